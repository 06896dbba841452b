// Every shortest chain between the nodes with ids $source and $target, walking
// the model's relationship types either way. A variable-length bound cannot be
// a parameter, so the search is bounded at 15 relationships here (the Python
// side refuses --max-hops above that, MAX_PATH_HOPS) and chains longer than
// $max_hops are dropped after the search, which finds the shortest ones first.
// Each chain comes back as its relationships in walking order.
CALL () {
  MATCH (n:Framework {id: $source}) RETURN n
  UNION MATCH (n:Competency {id: $source}) RETURN n
  UNION MATCH (n:Profession {id: $source}) RETURN n
  UNION MATCH (n:Organisation {id: $source}) RETURN n
  UNION MATCH (n:TrainingEvent {id: $source}) RETURN n
  UNION MATCH (n:Initiative {id: $source}) RETURN n
  UNION MATCH (n:Driver {id: $source}) RETURN n
}
WITH n AS a
CALL () {
  MATCH (n:Framework {id: $target}) RETURN n
  UNION MATCH (n:Competency {id: $target}) RETURN n
  UNION MATCH (n:Profession {id: $target}) RETURN n
  UNION MATCH (n:Organisation {id: $target}) RETURN n
  UNION MATCH (n:TrainingEvent {id: $target}) RETURN n
  UNION MATCH (n:Initiative {id: $target}) RETURN n
  UNION MATCH (n:Driver {id: $target}) RETURN n
}
WITH a, n AS b
MATCH p = allShortestPaths(
  (a)-[:IN_FRAMEWORK|PART_OF|EQUIVALENT_TO|REQUIRES|EMPLOYS|MEMBER_OF|LEADS|PARTNER_IN|TARGETS|COVERS|ADDRESSES|RESPONDS_TO|BUILDS_ON|DELIVERS*..15]-(b)
)
WITH p
WHERE length(p) <= $max_hops
RETURN [r IN relationships(p) | [startNode(r).id, type(r), endNode(r).id]] AS links
