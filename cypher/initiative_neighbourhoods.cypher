// Initiative projection: the initiatives whose status is in $statuses (null:
// any) and whose period [start_date, end_date or open) overlaps [$from, $to]
// (inclusive; either bound may be null; an initiative without dates always
// passes), each with its whole neighbourhood.
MATCH (i:Initiative)
WHERE ($statuses IS NULL OR i.status IN $statuses)
  AND (i.start_date IS NULL
       OR (($to IS NULL OR i.start_date <= $to)
           AND ($from IS NULL OR i.end_date IS NULL OR i.end_date >= $from)))
RETURN i.id AS id, i.title AS title, i.description AS description, i.kind AS kind,
       head([(o:Organisation)-[:LEADS]->(i) | o.id]) AS lead,
       [(o:Organisation)-[:PARTNER_IN]->(i) | o.id] AS partners,
       i.status AS status, i.start_date AS start_date, i.end_date AS end_date,
       i.budget AS budget,
       [(i)-[:TARGETS]->(p:Profession) | p.id] AS targets,
       [(i)-[:ADDRESSES]->(c:Competency) | c.id] AS addresses,
       [(i)-[:RESPONDS_TO]->(d:Driver) | d.id] AS responds_to,
       [(i)-[:BUILDS_ON]->(earlier:Initiative) | earlier.id] AS builds_on
ORDER BY id
