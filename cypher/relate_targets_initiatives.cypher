// TARGETS from the initiatives column `targets`: Initiative -> Profession.
// `graphmodel load` sends only the TARGETS relationships the database lacks, so CREATE
// writes each exactly once.
UNWIND $rows AS row
MATCH (source:Initiative {id: row.source})
MATCH (target:Profession {id: row.target})
CREATE (source)-[r:TARGETS]->(target)
SET r = row.properties
