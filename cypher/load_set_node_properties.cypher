// `graphmodel load`: a node whose row changed gets exactly the row's properties (a cell
// emptied since the last load removes the property).
UNWIND $rows AS row
MATCH (n)
WHERE elementId(n) = row.element
SET n = row.properties
