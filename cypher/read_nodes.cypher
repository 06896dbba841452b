// Every node of the model's labels (passed as $labels), with its properties.
MATCH (n)
WITH n, [label IN labels(n) WHERE label IN $labels] AS known
WHERE size(known) > 0
RETURN n.id AS id, known[0] AS label, properties(n) AS properties
