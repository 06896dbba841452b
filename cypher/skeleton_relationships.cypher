// Every relationship of the model's types ($types), as columns per type: the sources'
// ids, the targets' ids and, for the types in $with_properties, each one's properties
// (a million rows travel ten times faster as fourteen rows of lists). The explorer's
// overview rolls these up.
MATCH (source)-[r]->(target)
WHERE type(r) IN $types
WITH type(r) AS type, source.id AS source, target.id AS target, r
RETURN type, collect(source) AS sources, collect(target) AS targets,
       CASE WHEN type IN $with_properties THEN collect(properties(r)) ELSE [] END AS properties
