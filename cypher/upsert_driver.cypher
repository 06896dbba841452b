// A dataset row is the truth about its node: its properties replace the
// node's, and the relationships its columns own are dropped here so the
// relate_* statements that follow write exactly the row's.
UNWIND $rows AS row
MERGE (n:Driver {id: row.id})
SET n = row
