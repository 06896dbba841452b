// RESPONDS_TO from the initiatives column `responds_to`: Initiative -> Driver.
// `graphmodel load` sends only the RESPONDS_TO relationships the database lacks, so CREATE
// writes each exactly once.
UNWIND $rows AS row
MATCH (source:Initiative {id: row.source})
MATCH (target:Driver {id: row.target})
CREATE (source)-[r:RESPONDS_TO]->(target)
SET r = row.properties
