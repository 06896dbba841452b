// Every relationship of the model's types (passed as $types) between model nodes.
MATCH (source)-[r]->(target)
WHERE type(r) IN $types
RETURN source.id AS source, type(r) AS type, target.id AS target, properties(r) AS properties
