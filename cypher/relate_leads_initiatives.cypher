// LEADS from the initiatives column `lead_organisation`: Organisation -> Initiative.
// `graphmodel load` sends only the LEADS relationships the database lacks, so CREATE
// writes each exactly once.
UNWIND $rows AS row
MATCH (source:Organisation {id: row.source})
MATCH (target:Initiative {id: row.target})
CREATE (source)-[r:LEADS]->(target)
SET r = row.properties
