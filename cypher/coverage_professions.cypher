// Coverage projection: every profession with the sum of its workforce
// headcounts, or null when no organisation reports employing it.
MATCH (p:Profession)
OPTIONAL MATCH (:Organisation)-[w:EMPLOYS]->(p)
WITH p, collect(w.headcount) AS headcounts
RETURN p.id AS id, p.name AS name,
       CASE WHEN size(headcounts) = 0 THEN null
            ELSE reduce(total = 0, h IN headcounts | total + h) END AS headcount
ORDER BY id
