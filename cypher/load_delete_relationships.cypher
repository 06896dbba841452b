// `graphmodel load`: delete relationships by element id (those a row no longer gives, and
// with --replace those nothing in the dataset gives).
UNWIND $elements AS element
MATCH ()-[r]->()
WHERE elementId(r) = element
DELETE r
