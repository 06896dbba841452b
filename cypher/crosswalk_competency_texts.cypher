// Crosswalk projection: the wording of every competency of the frameworks in
// $frameworks (name, alternative labels, description), by id.
MATCH (c:Competency)-[:IN_FRAMEWORK]->(f:Framework)
WHERE f.id IN $frameworks
RETURN c.id AS id, c.name AS name, f.id AS framework, c.description AS description,
       coalesce(c.alt_labels, []) AS alt_labels
ORDER BY id
