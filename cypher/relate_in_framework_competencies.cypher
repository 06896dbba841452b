// IN_FRAMEWORK from the competencies column `framework`: Competency -> Framework.
// The owning node's earlier IN_FRAMEWORK relationships were dropped by upsert_competency,
// so CREATE writes each relationship exactly once.
UNWIND $rows AS row
MATCH (source:Competency {id: row.source})
MATCH (target:Framework {id: row.target})
CREATE (source)-[r:IN_FRAMEWORK]->(target)
SET r = row.properties
