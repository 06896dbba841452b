// The state of the full-text index named $index ("ONLINE", "POPULATING", ...); no row
// when the database has no such index.
SHOW FULLTEXT INDEXES YIELD name, state
WHERE name = $index
RETURN state
