// `graphmodel load`: delete nodes (by element id) with whatever relationships they still
// have. With --replace the nodes the dataset does not hold go last, after every write:
// Neo4j merges the nodes a transaction has deleted into each later index seek of that
// transaction, so deleting first would make every following MATCH by id pay for them.
UNWIND $elements AS element
MATCH (n)
WHERE elementId(n) = element
DETACH DELETE n
