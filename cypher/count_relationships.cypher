// Relationships per type, for the model's types ($types).
MATCH ()-[r]->()
WITH type(r) AS type
WHERE type IN $types
RETURN type, count(*) AS count
