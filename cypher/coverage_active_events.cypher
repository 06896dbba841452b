// Coverage projection: the active training events with whom they target and
// what they cover. Active: status not in $excluded_statuses, evaluation in
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
       [(e)-[:COVERS]->(c:Competency) | c.id] AS covers
ORDER BY id
