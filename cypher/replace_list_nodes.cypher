// --replace, first step: every node now in the database, with its id and its
// labels from the model ($labels), so the loader can tell which ones the
// dataset does not hold.
MATCH (n)
RETURN elementId(n) AS element, n.id AS id,
       [label IN labels(n) WHERE label IN $labels] AS labels
