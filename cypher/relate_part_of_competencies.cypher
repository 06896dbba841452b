// PART_OF from the competencies column `parent`: Competency -> Competency.
// The owning node's earlier PART_OF relationships were dropped by upsert_competency,
// so CREATE writes each relationship exactly once.
UNWIND $rows AS row
MATCH (source:Competency {id: row.source})
MATCH (target:Competency {id: row.target})
CREATE (source)-[r:PART_OF]->(target)
SET r = row.properties
