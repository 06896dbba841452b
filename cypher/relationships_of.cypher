// Every relationship of the model's types ($types) between model nodes ($labels)
// with at least one end among the nodes whose ids are in $ids (each found through
// its label's unique index); a relationship between two of them comes once.
UNWIND $ids AS wanted
CALL (wanted) {
  MATCH (n:Framework {id: wanted}) RETURN n
  UNION MATCH (n:Competency {id: wanted}) RETURN n
  UNION MATCH (n:Profession {id: wanted}) RETURN n
  UNION MATCH (n:Organisation {id: wanted}) RETURN n
  UNION MATCH (n:TrainingEvent {id: wanted}) RETURN n
  UNION MATCH (n:Initiative {id: wanted}) RETURN n
  UNION MATCH (n:Driver {id: wanted}) RETURN n
}
MATCH (n)-[r]-(other)
WHERE type(r) IN $types AND any(label IN labels(other) WHERE label IN $labels)
WITH DISTINCT r
RETURN startNode(r).id AS source, type(r) AS type, endNode(r).id AS target,
       properties(r) AS properties
ORDER BY source, type, target
