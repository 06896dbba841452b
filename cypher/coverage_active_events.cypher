// Coverage projection: the active training events with whom they target and
// what they cover (and, for overlapping provision, lead, dates, places and
// cost), with the event's level and the level each COVERS carries (null: none). Active: status not in $excluded_statuses, evaluation in
// $evaluations, and [start_date, end_date or start_date] overlapping
// [$from, $to] (inclusive; either bound may be null; an event without dates
// always passes).
MATCH (e:TrainingEvent)
WHERE NOT e.status IN $excluded_statuses
  AND e.evaluation IN $evaluations
  AND (e.start_date IS NULL
       OR (($to IS NULL OR e.start_date <= $to)
           AND ($from IS NULL OR coalesce(e.end_date, e.start_date) >= $from)))
RETURN e.id AS id, e.title AS title,
       [(e)-[:TARGETS]->(p:Profession) | p.id] AS targets,
       [(e)-[r:COVERS]->(c:Competency) | [c.id, r.level]] AS covers,
       head([(o:Organisation)-[:LEADS]->(e) | o.id]) AS lead_organisation,
       e.start_date AS start_date, e.end_date AS end_date, e.places AS places, e.cost AS cost,
       e.level AS level
ORDER BY id
