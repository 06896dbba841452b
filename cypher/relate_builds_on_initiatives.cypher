// BUILDS_ON from the initiatives column `builds_on`: Initiative -> Initiative.
// `graphmodel load` sends only the BUILDS_ON relationships the database lacks, so CREATE
// writes each exactly once.
UNWIND $rows AS row
MATCH (source:Initiative {id: row.source})
MATCH (target:Initiative {id: row.target})
CREATE (source)-[r:BUILDS_ON]->(target)
SET r = row.properties
