// LEADS from the training_events column `lead_organisation`: Organisation -> TrainingEvent.
// `graphmodel load` sends only the LEADS relationships the database lacks, so CREATE
// writes each exactly once.
UNWIND $rows AS row
MATCH (source:Organisation {id: row.source})
MATCH (target:TrainingEvent {id: row.target})
CREATE (source)-[r:LEADS]->(target)
SET r = row.properties
