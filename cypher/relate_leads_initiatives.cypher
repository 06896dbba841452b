// LEADS from the initiatives column `lead_organisation`: Organisation -> Initiative.
// The owning node's earlier LEADS relationships were dropped by upsert_initiative,
// so CREATE writes each relationship exactly once.
UNWIND $rows AS row
MATCH (source:Organisation {id: row.source})
MATCH (target:Initiative {id: row.target})
CREATE (source)-[r:LEADS]->(target)
SET r = row.properties
