// PARTNER_IN from the initiatives column `partners`: Organisation -> Initiative.
// The owning node's earlier PARTNER_IN relationships were dropped by upsert_initiative,
// so CREATE writes each relationship exactly once.
UNWIND $rows AS row
MATCH (source:Organisation {id: row.source})
MATCH (target:Initiative {id: row.target})
CREATE (source)-[r:PARTNER_IN]->(target)
SET r = row.properties
