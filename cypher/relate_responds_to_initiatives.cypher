// RESPONDS_TO from the initiatives column `responds_to`: Initiative -> Driver.
// The owning node's earlier RESPONDS_TO relationships were dropped by upsert_initiative,
// so CREATE writes each relationship exactly once.
UNWIND $rows AS row
MATCH (source:Initiative {id: row.source})
MATCH (target:Driver {id: row.target})
CREATE (source)-[r:RESPONDS_TO]->(target)
SET r = row.properties
