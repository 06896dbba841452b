// ADDRESSES from the initiatives column `addresses`: Initiative -> Competency.
// The owning node's earlier ADDRESSES relationships were dropped by upsert_initiative,
// so CREATE writes each relationship exactly once.
UNWIND $rows AS row
MATCH (source:Initiative {id: row.source})
MATCH (target:Competency {id: row.target})
CREATE (source)-[r:ADDRESSES]->(target)
SET r = row.properties
