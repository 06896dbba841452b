// `graphmodel load`: create the organisations the database does not hold yet, each with
// its row's properties (its relationships follow, from the relate_* statements).
UNWIND $rows AS row
CREATE (n:Organisation)
SET n = row
