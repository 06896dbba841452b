// Coverage projection: every requirement with its priority.
MATCH (p:Profession)-[r:REQUIRES]->(c:Competency)
RETURN p.id AS profession, c.id AS competency, r.priority AS priority
ORDER BY profession, competency
