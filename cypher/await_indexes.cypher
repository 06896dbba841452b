// Wait up to $seconds for every index to be online (a new full-text index over an
// existing graph is populated in the background).
CALL db.awaitIndexes($seconds)
