// A page of the frameworks the database holds, for `graphmodel load` to compare with the
// dataset: at most $page nodes in id order after $after, each as a list: its id, its
// element id, its properties, how many relationships of the types and directions its row
// owns it has (always 0: this table owns no relationships). Nodes with more than one of the
// model's labels ($labels) are left to load_foreign_nodes.
MATCH (n:Framework)
WHERE n.id > $after AND size([label IN labels(n) WHERE label IN $labels]) = 1
WITH n
ORDER BY n.id
LIMIT $page
RETURN collect([
  n.id,
  elementId(n),
  n {.*},
  0
]) AS page
