// A page of the neighbours of the node with id $id, either direction, sorted by id:
// only relationships of $types to nodes of $labels count. Returns how many neighbours
// there are and, for the $limit of them from $offset on, each with its label (the
// first of the model's labels, $known, it has), name and the relationships joining it
// to the node. (Sliced twice: $offset + $limit could pass the 32-bit integers Cypher
// slices with.)
CALL () {
  MATCH (n:Framework {id: $id}) RETURN n
  UNION MATCH (n:Competency {id: $id}) RETURN n
  UNION MATCH (n:Profession {id: $id}) RETURN n
  UNION MATCH (n:Organisation {id: $id}) RETURN n
  UNION MATCH (n:TrainingEvent {id: $id}) RETURN n
  UNION MATCH (n:Initiative {id: $id}) RETURN n
  UNION MATCH (n:Driver {id: $id}) RETURN n
}
MATCH (n)-[r]-(other)
WHERE type(r) IN $types AND any(label IN labels(other) WHERE label IN $labels)
WITH other, collect(r) AS links
ORDER BY other.id
WITH collect({other: other, links: links}) AS found
RETURN size(found) AS total,
       [entry IN found[$offset..][..$limit] | {
          id: entry.other.id,
          label: [label IN labels(entry.other) WHERE label IN $known][0],
          name: coalesce(entry.other.name, entry.other.title, entry.other.id),
          relationships: [r IN entry.links | {
             source: startNode(r).id, type: type(r), target: endNode(r).id,
             properties: properties(r)
          }]
       }] AS page
