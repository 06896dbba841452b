// The nodes whose ids are in $ids, of the model's labels (each found through its
// label's unique index), with their label and properties.
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
WITH DISTINCT n
RETURN n.id AS id, [label IN labels(n) WHERE label IN $labels][0] AS label,
       properties(n) AS properties
ORDER BY id
