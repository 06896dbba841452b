// Nodes per label, for the model's labels ($labels).
MATCH (n)
UNWIND labels(n) AS label
WITH label
WHERE label IN $labels
RETURN label, count(*) AS count
