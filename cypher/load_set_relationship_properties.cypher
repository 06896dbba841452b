// `graphmodel load`: a relationship whose row changed (a requirement's priority, a
// workforce row's headcount) gets exactly the row's properties.
UNWIND $rows AS row
MATCH ()-[r]->()
WHERE elementId(r) = row.element
SET r = row.properties
