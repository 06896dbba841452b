// EQUIVALENT_TO from the competencies column `equivalent_to`: Competency -> Competency.
// The owning node's earlier EQUIVALENT_TO relationships were dropped by upsert_competency,
// so CREATE writes each relationship exactly once.
UNWIND $rows AS row
MATCH (source:Competency {id: row.source})
MATCH (target:Competency {id: row.target})
CREATE (source)-[r:EQUIVALENT_TO]->(target)
SET r = row.properties
