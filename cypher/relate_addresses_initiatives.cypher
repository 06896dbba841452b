// ADDRESSES from the initiatives column `addresses`: Initiative -> Competency.
// `graphmodel load` sends only the ADDRESSES relationships the database lacks, so CREATE
// writes each exactly once.
UNWIND $rows AS row
MATCH (source:Initiative {id: row.source})
MATCH (target:Competency {id: row.target})
CREATE (source)-[r:ADDRESSES]->(target)
SET r = row.properties
