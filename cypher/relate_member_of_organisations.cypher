// MEMBER_OF from the organisations column `member_of`: Organisation -> Organisation.
// The owning node's earlier MEMBER_OF relationships were dropped by upsert_organisation,
// so CREATE writes each relationship exactly once.
UNWIND $rows AS row
MATCH (source:Organisation {id: row.source})
MATCH (target:Organisation {id: row.target})
CREATE (source)-[r:MEMBER_OF]->(target)
SET r = row.properties
