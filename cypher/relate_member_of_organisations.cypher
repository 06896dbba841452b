// MEMBER_OF from the organisations column `member_of`: Organisation -> Organisation.
// `graphmodel load` sends only the MEMBER_OF relationships the database lacks, so CREATE
// writes each exactly once.
UNWIND $rows AS row
MATCH (source:Organisation {id: row.source})
MATCH (target:Organisation {id: row.target})
CREATE (source)-[r:MEMBER_OF]->(target)
SET r = row.properties
