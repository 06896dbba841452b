// Coverage projection: every competency with its framework, parent and the
// equivalences it lists (the closure treats them as symmetric).
MATCH (c:Competency)
OPTIONAL MATCH (c)-[:IN_FRAMEWORK]->(f:Framework)
OPTIONAL MATCH (c)-[:PART_OF]->(parent:Competency)
RETURN c.id AS id, c.name AS name, f.id AS framework, parent.id AS parent,
       [(c)-[:EQUIVALENT_TO]->(other:Competency) | other.id] AS equivalent_to
ORDER BY id
