// DELIVERS from the training_events column `initiative`: Initiative -> TrainingEvent.
// `graphmodel load` sends only the DELIVERS relationships the database lacks, so CREATE
// writes each exactly once.
UNWIND $rows AS row
MATCH (source:Initiative {id: row.source})
MATCH (target:TrainingEvent {id: row.target})
CREATE (source)-[r:DELIVERS]->(target)
SET r = row.properties
