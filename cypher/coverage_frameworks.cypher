// Coverage projection: every framework with its proficiency levels, lowest first (an
// empty list for a framework that states none).
MATCH (f:Framework)
RETURN f.id AS id, f.name AS name, coalesce(f.levels, []) AS levels
ORDER BY id
