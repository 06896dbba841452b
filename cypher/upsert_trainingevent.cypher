// A dataset row is the truth about its node: its properties replace the
// node's, and the relationships its columns own are dropped here so the
// relate_* statements that follow write exactly the row's.
UNWIND $rows AS row
MERGE (n:TrainingEvent {id: row.id})
SET n = row
WITH n
CALL (n) {
  MATCH (n)-[r:TARGETS|COVERS]->()
  DELETE r
}
CALL (n) {
  MATCH (n)<-[r:LEADS|DELIVERS]-()
  DELETE r
}
