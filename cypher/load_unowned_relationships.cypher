// `graphmodel load --replace`: the relationships no row of the model owns: a type and
// direction no label owns ($outgoing, $incoming: [label, type] pairs from the model), or
// an owner outside the model. Nothing in a dataset gives them, so --replace removes them.
MATCH (a)-[r]->(b)
WITH r, type(r) AS type,
     [label IN labels(a) WHERE label IN $labels] AS from,
     [label IN labels(b) WHERE label IN $labels] AS to,
     a.id IS :: STRING NOT NULL AS from_ok,
     b.id IS :: STRING NOT NULL AS to_ok
WHERE NOT (size(from) = 1 AND from_ok AND [from[0], type] IN $outgoing)
  AND NOT (size(to) = 1 AND to_ok AND [to[0], type] IN $incoming)
RETURN elementId(r) AS element, type
