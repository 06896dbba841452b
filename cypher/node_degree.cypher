// How many relationships of each of the model's types ($types) the node with id $id
// has, either direction, to nodes of the model's labels ($labels).
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
RETURN type(r) AS type, count(r) AS count
