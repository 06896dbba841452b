// `graphmodel load`: the nodes outside the model (not one of the model's labels
// ($labels), or several, or no text id), but not graphmodel's own bookkeeping node.
// --replace removes them; a load without it refuses one that holds an id the dataset
// needs.
MATCH (n)
WHERE NOT n:GraphmodelLoad
WITH n, [label IN labels(n) WHERE label IN $labels] AS known
WHERE size(known) <> 1 OR NOT n.id IS :: STRING NOT NULL
RETURN elementId(n) AS element, n.id AS id, labels(n) AS labels, known
