// A page of the drivers the database holds, for `graphmodel load` to compare with the
// dataset: at most $page nodes in id order after $after, each as a list: its id, its
// element id, its properties, how many relationships of the types and directions its row
// owns it has (always 0: this table owns no relationships). Dates come as ISO text, which
// crosses the wire far faster than date values; a date column holding anything but a date
// comes as a one-item list, which never equals a dataset's value. Nodes with more than one
// of the model's labels ($labels) are left to load_foreign_nodes.
MATCH (n:Driver)
WHERE n.id > $after AND size([label IN labels(n) WHERE label IN $labels]) = 1
WITH n
ORDER BY n.id
LIMIT $page
RETURN collect([
  n.id,
  elementId(n),
  n {
    .*,
    issued: CASE WHEN n.issued IS :: DATE THEN toString(n.issued) ELSE [n.issued] END
  },
  0
]) AS page
