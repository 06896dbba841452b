// REQUIRES from the requirements column `competency`: Profession -> Competency.
// The owning node's earlier REQUIRES relationships were dropped by upsert_profession,
// so CREATE writes each relationship exactly once.
UNWIND $rows AS row
MATCH (source:Profession {id: row.source})
MATCH (target:Competency {id: row.target})
CREATE (source)-[r:REQUIRES]->(target)
SET r = row.properties
