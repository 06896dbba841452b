// EQUIVALENT_TO from the competencies column `equivalent_to`: Competency -> Competency.
// `graphmodel load` sends only the EQUIVALENT_TO relationships the database lacks, so CREATE
// writes each exactly once.
UNWIND $rows AS row
MATCH (source:Competency {id: row.source})
MATCH (target:Competency {id: row.target})
CREATE (source)-[r:EQUIVALENT_TO]->(target)
SET r = row.properties
