// EMPLOYS from the workforce column `profession`: Organisation -> Profession.
// `graphmodel load` sends only the EMPLOYS relationships the database lacks, so CREATE
// writes each exactly once.
UNWIND $rows AS row
MATCH (source:Organisation {id: row.source})
MATCH (target:Profession {id: row.target})
CREATE (source)-[r:EMPLOYS]->(target)
SET r = row.properties
