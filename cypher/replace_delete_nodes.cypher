// --replace, last step: delete the nodes the dataset does not hold, with their
// relationships. This runs after the dataset is written because Neo4j merges a
// transaction's deleted nodes into every later index seek of that transaction:
// deleting first would make each MERGE and MATCH by id pay for every deletion.
UNWIND $elements AS element
MATCH (n)
WHERE elementId(n) = element
DETACH DELETE n
