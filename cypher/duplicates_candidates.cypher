// Duplicate candidates: the exact prefix filter of graphmodel/analysis/blocking.py.
// The neighbour items of each initiative in $ids (professions it targets,
// competencies it addresses, drivers it responds to, organisations that lead
// it or are partners) weigh log((N + 1) / df) among those initiatives, times
// $organisation_factor for organisations; each
// initiative indexes its rarest items until the weight left is below
// ($bound - $slack) of its total. Returned: each item indexed by more than one
// initiative, with those initiatives (its posting list); every two of them are
// a candidate pair (expanded by the caller: sending the postings rather than
// the pairs moves a few thousand records instead of hundreds of thousands).
MATCH (i:Initiative)
WHERE i.id IN $ids
CALL (i) {
  MATCH (i)-[:TARGETS|ADDRESSES|RESPONDS_TO]->(n)
  RETURN n.id AS item, 1.0 AS factor
  UNION
  MATCH (i)<-[:LEADS|PARTNER_IN]-(o:Organisation)
  RETURN o.id AS item, $organisation_factor AS factor
}
WITH item, factor, collect(i.id) AS holders
WITH item, holders, log((size($ids) + 1.0) / size(holders)) * factor AS weight
UNWIND holders AS holder
WITH holder, item, weight
ORDER BY holder, weight DESC, item
WITH holder, collect({item: item, weight: weight}) AS items
WITH holder, items, reduce(total = 0.0, x IN items | total + x.weight) AS total
WITH holder,
     [k IN range(0, size(items) - 1)
      WHERE reduce(rest = 0.0, x IN items[k..] | rest + x.weight) >= ($bound - $slack) * total
      | items[k].item] AS indexed
UNWIND indexed AS item
WITH item, collect(holder) AS holders
WHERE size(holders) > 1
RETURN item, holders
ORDER BY item
