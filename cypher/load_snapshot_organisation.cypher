// A page of the organisations the database holds, for `graphmodel load` to compare with
// the dataset: at most $page nodes in id order after $after, each as a list: its id, its
// element id, its properties, how many relationships of the types and directions its row
// owns it has (whatever is at the other end), then, for each relationship spec this table
// owns (in graphmodel.model.RELATIONSHIPS order: EMPLOYS from `profession`, MEMBER_OF from
// `member_of`), the ids at the other end with the relationship's properties. The lists
// keep only relationships ending at the right label: when their lengths do not add up to
// the count, the loader looks closer (load_details). Nodes with more than one of the
// model's labels ($labels) are left to load_foreign_nodes.
MATCH (n:Organisation)
WHERE n.id > $after AND size([label IN labels(n) WHERE label IN $labels]) = 1
WITH n
ORDER BY n.id
LIMIT $page
RETURN collect([
  n.id,
  elementId(n),
  n {.*},
  COUNT { (n)-[:EMPLOYS|MEMBER_OF]->() },
  [(n)-[r:EMPLOYS]->(other:Profession) | [other.id, properties(r)]],
  [(n)-[r:MEMBER_OF]->(other:Organisation) | other.id]
]) AS page
