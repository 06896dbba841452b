// Every relationship of the model's types ($types), as its ends' ids and its type, with
// its properties only when it has any (most have none; the explorer's overview rolls
// these up).
MATCH (source)-[r]->(target)
WHERE type(r) IN $types
RETURN source.id AS source, type(r) AS type, target.id AS target,
       CASE WHEN size(keys(r)) > 0 THEN properties(r) END AS properties
