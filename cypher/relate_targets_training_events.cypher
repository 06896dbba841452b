// TARGETS from the training_events column `targets`: TrainingEvent -> Profession.
// The owning node's earlier TARGETS relationships were dropped by upsert_trainingevent,
// so CREATE writes each relationship exactly once.
UNWIND $rows AS row
MATCH (source:TrainingEvent {id: row.source})
MATCH (target:Profession {id: row.target})
CREATE (source)-[r:TARGETS]->(target)
SET r = row.properties
