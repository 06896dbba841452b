// DELIVERS from the training_events column `initiative`: Initiative -> TrainingEvent.
// The owning node's earlier DELIVERS relationships were dropped by upsert_trainingevent,
// so CREATE writes each relationship exactly once.
UNWIND $rows AS row
MATCH (source:Initiative {id: row.source})
MATCH (target:TrainingEvent {id: row.target})
CREATE (source)-[r:DELIVERS]->(target)
SET r = row.properties
