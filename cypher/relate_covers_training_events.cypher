// COVERS from the training_events column `covers`: TrainingEvent -> Competency.
// `graphmodel load` sends only the COVERS relationships the database lacks, so CREATE
// writes each exactly once.
UNWIND $rows AS row
MATCH (source:TrainingEvent {id: row.source})
MATCH (target:Competency {id: row.target})
CREATE (source)-[r:COVERS]->(target)
SET r = row.properties
