// IN_FRAMEWORK from the competencies column `framework`: Competency -> Framework.
// `graphmodel load` sends only the IN_FRAMEWORK relationships the database lacks, so CREATE
// writes each exactly once.
UNWIND $rows AS row
MATCH (source:Competency {id: row.source})
MATCH (target:Framework {id: row.target})
CREATE (source)-[r:IN_FRAMEWORK]->(target)
SET r = row.properties
