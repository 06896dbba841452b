// `graphmodel load`: how many loads have written to this database (the version on
// graphmodel's bookkeeping node, keyed by $key); null before the first.
OPTIONAL MATCH (load:GraphmodelLoad {id: $key})
RETURN load.version AS version
