// EMPLOYS from the workforce column `profession`: Organisation -> Profession.
// The owning node's earlier EMPLOYS relationships were dropped by upsert_organisation,
// so CREATE writes each relationship exactly once.
UNWIND $rows AS row
MATCH (source:Organisation {id: row.source})
MATCH (target:Profession {id: row.target})
CREATE (source)-[r:EMPLOYS]->(target)
SET r = row.properties
