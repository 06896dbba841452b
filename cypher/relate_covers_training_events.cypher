// COVERS from the training_events column `covers`: TrainingEvent -> Competency.
// The owning node's earlier COVERS relationships were dropped by upsert_trainingevent,
// so CREATE writes each relationship exactly once.
UNWIND $rows AS row
MATCH (source:TrainingEvent {id: row.source})
MATCH (target:Competency {id: row.target})
CREATE (source)-[r:COVERS]->(target)
SET r = row.properties
