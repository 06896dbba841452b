// PARTNER_IN from the initiatives column `partners`: Organisation -> Initiative.
// `graphmodel load` sends only the PARTNER_IN relationships the database lacks, so CREATE
// writes each exactly once.
UNWIND $rows AS row
MATCH (source:Organisation {id: row.source})
MATCH (target:Initiative {id: row.target})
CREATE (source)-[r:PARTNER_IN]->(target)
SET r = row.properties
