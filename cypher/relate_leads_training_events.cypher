// LEADS from the training_events column `lead_organisation`: Organisation -> TrainingEvent.
// The owning node's earlier LEADS relationships were dropped by upsert_trainingevent,
// so CREATE writes each relationship exactly once.
UNWIND $rows AS row
MATCH (source:Organisation {id: row.source})
MATCH (target:TrainingEvent {id: row.target})
CREATE (source)-[r:LEADS]->(target)
SET r = row.properties
