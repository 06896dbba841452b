// A page of the initiatives the database holds, for `graphmodel load` to compare with the
// dataset: at most $page nodes in id order after $after, each as a list: its id, its
// element id, its properties, how many relationships of the types and directions its row
// owns it has (whatever is at the other end), then, for each relationship spec this table
// owns (in graphmodel.model.RELATIONSHIPS order: LEADS from `lead_organisation`,
// PARTNER_IN from `partners`, TARGETS from `targets`, ADDRESSES from `addresses`,
// RESPONDS_TO from `responds_to`, BUILDS_ON from `builds_on`), the ids at the other end.
// The lists keep only relationships ending at the right label: when their lengths do not
// add up to the count, the loader looks closer (load_details). Dates come as ISO text,
// which crosses the wire far faster than date values; a date column holding anything but a
// date comes as a one-item list, which never equals a dataset's value. Nodes with more
// than one of the model's labels ($labels) are left to load_foreign_nodes.
MATCH (n:Initiative)
WHERE n.id > $after AND size([label IN labels(n) WHERE label IN $labels]) = 1
WITH n
ORDER BY n.id
LIMIT $page
RETURN collect([
  n.id,
  elementId(n),
  n {
    .*,
    start_date: CASE WHEN n.start_date IS :: DATE THEN toString(n.start_date) ELSE [n.start_date] END,
    end_date: CASE WHEN n.end_date IS :: DATE THEN toString(n.end_date) ELSE [n.end_date] END
  },
  COUNT { (n)-[:TARGETS|ADDRESSES|RESPONDS_TO|BUILDS_ON]->() } + COUNT { (n)<-[:LEADS|PARTNER_IN]-() },
  [(n)<-[r:LEADS]-(other:Organisation) | other.id],
  [(n)<-[r:PARTNER_IN]-(other:Organisation) | other.id],
  [(n)-[r:TARGETS]->(other:Profession) | other.id],
  [(n)-[r:ADDRESSES]->(other:Competency) | other.id],
  [(n)-[r:RESPONDS_TO]->(other:Driver) | other.id],
  [(n)-[r:BUILDS_ON]->(other:Initiative) | other.id]
]) AS page
