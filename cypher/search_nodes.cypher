// The explorer's search. Nodes answering $text (stripped), best first: rank 0 when
// the id is $text; otherwise every one of $words (lower-cased runs of letters and
// digits; none: no match) must be in the name or the id, in any order, and the rank is
// 1 when the name is $text (case ignored: $lowered), 2 when it starts with it, 3 when
// the name holds every word, 4 when some are only in the id; then by id. The
// candidates come from the unique id indexes and the full-text index node_words on
// names, titles and ids ($lucene holds every word as *word*, or null when there are
// no words), so a search
// never reads the whole graph. $labels keeps nodes of those labels; $known are the
// model's labels (a node's label is the first of them it has).
CALL () {
  MATCH (n:Framework {id: $text}) RETURN n
  UNION MATCH (n:Competency {id: $text}) RETURN n
  UNION MATCH (n:Profession {id: $text}) RETURN n
  UNION MATCH (n:Organisation {id: $text}) RETURN n
  UNION MATCH (n:TrainingEvent {id: $text}) RETURN n
  UNION MATCH (n:Initiative {id: $text}) RETURN n
  UNION MATCH (n:Driver {id: $text}) RETURN n
  UNION
  WITH $lucene AS lucene
  WHERE lucene IS NOT NULL
  CALL db.index.fulltext.queryNodes($index, lucene) YIELD node
  RETURN node AS n
}
WITH DISTINCT n
WITH n, [label IN labels(n) WHERE label IN $known][0] AS label,
     coalesce(n.name, n.title, n.id) AS name
WHERE label IN $labels
WITH n.id AS id, label, name, toLower(name) AS lowered
WITH id, label, name,
     CASE
       WHEN id = $text THEN 0
       WHEN size($words) = 0 THEN null
       WHEN all(word IN $words WHERE lowered CONTAINS word) THEN
         CASE WHEN lowered = $lowered THEN 1 WHEN lowered STARTS WITH $lowered THEN 2 ELSE 3 END
       WHEN all(word IN $words WHERE lowered CONTAINS word OR toLower(id) CONTAINS word) THEN 4
       ELSE null
     END AS rank
WHERE rank IS NOT NULL
ORDER BY rank, id
WITH collect({id: id, label: label, name: name}) AS hits
RETURN size(hits) AS total, hits[..$limit] AS results
