// BUILDS_ON from the initiatives column `builds_on`: Initiative -> Initiative.
// The owning node's earlier BUILDS_ON relationships were dropped by upsert_initiative,
// so CREATE writes each relationship exactly once.
UNWIND $rows AS row
MATCH (source:Initiative {id: row.source})
MATCH (target:Initiative {id: row.target})
CREATE (source)-[r:BUILDS_ON]->(target)
SET r = row.properties
