// Coverage projection: every requirement with its priority and level (null: none asked).
MATCH (p:Profession)-[r:REQUIRES]->(c:Competency)
RETURN p.id AS profession, c.id AS competency, r.priority AS priority, r.level AS level
ORDER BY profession, competency
