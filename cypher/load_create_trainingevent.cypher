// `graphmodel load`: create the training events the database does not hold yet, each with
// its row's properties (its relationships follow, from the relate_* statements).
UNWIND $rows AS row
CREATE (n:TrainingEvent)
SET n = row
