// A page of the training events the database holds, for `graphmodel load` to compare with
// the dataset: at most $page nodes in id order after $after, each as a list: its id, its
// element id, its properties, how many relationships of the types and directions its row
// owns it has (whatever is at the other end), then, for each relationship spec this table
// owns (in graphmodel.model.RELATIONSHIPS order: LEADS from `lead_organisation`, TARGETS
// from `targets`, COVERS from `covers`, DELIVERS from `initiative`), the ids at the other
// end (a COVERS with a level as id, $separator, level: `c-1@Expert`, as the `covers` cell
// writes it). The lists keep only relationships ending at the right label: when their
// lengths do not add up to the count, the loader looks closer (load_details). Dates come as
// ISO text, which crosses the wire far faster than date values; a date column holding
// anything but a date comes as a one-item list, which never equals a dataset's value. Nodes
// with more than one of the model's labels ($labels) are left to load_foreign_nodes.
MATCH (n:TrainingEvent)
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
  COUNT { (n)-[:TARGETS|COVERS]->() } + COUNT { (n)<-[:LEADS|DELIVERS]-() },
  [(n)<-[r:LEADS]-(other:Organisation) | other.id],
  [(n)-[r:TARGETS]->(other:Profession) | other.id],
  [(n)-[r:COVERS]->(other:Competency) | CASE WHEN r.level IS NULL THEN other.id
    ELSE other.id + $separator + toString(r.level) END],
  [(n)<-[r:DELIVERS]-(other:Initiative) | other.id]
]) AS page
