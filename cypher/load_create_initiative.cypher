// `graphmodel load`: create the initiatives the database does not hold yet, each with
// its row's properties (its relationships follow, from the relate_* statements).
UNWIND $rows AS row
CREATE (n:Initiative)
SET n = row
