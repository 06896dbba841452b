// PART_OF from the competencies column `parent`: Competency -> Competency.
// `graphmodel load` sends only the PART_OF relationships the database lacks, so CREATE
// writes each exactly once.
UNWIND $rows AS row
MATCH (source:Competency {id: row.source})
MATCH (target:Competency {id: row.target})
CREATE (source)-[r:PART_OF]->(target)
SET r = row.properties
