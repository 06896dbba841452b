// REQUIRES from the requirements column `competency`: Profession -> Competency.
// `graphmodel load` sends only the REQUIRES relationships the database lacks, so CREATE
// writes each exactly once.
UNWIND $rows AS row
MATCH (source:Profession {id: row.source})
MATCH (target:Competency {id: row.target})
CREATE (source)-[r:REQUIRES]->(target)
SET r = row.properties
