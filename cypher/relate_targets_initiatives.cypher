// TARGETS from the initiatives column `targets`: Initiative -> Profession.
// The owning node's earlier TARGETS relationships were dropped by upsert_initiative,
// so CREATE writes each relationship exactly once.
UNWIND $rows AS row
MATCH (source:Initiative {id: row.source})
MATCH (target:Profession {id: row.target})
CREATE (source)-[r:TARGETS]->(target)
SET r = row.properties
