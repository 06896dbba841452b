// Every node of the labels in $labels with its name (or title) and description.
MATCH (n)
WITH n, [label IN labels(n) WHERE label IN $labels] AS known
WHERE size(known) > 0
RETURN n.id AS id, known[0] AS label, coalesce(n.name, n.title, n.id) AS name,
       n.description AS description
ORDER BY id
