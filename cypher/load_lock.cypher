// `graphmodel load`, first statement of every writing transaction: take the write lock on
// graphmodel's bookkeeping node (created by the first load; the uniqueness constraint on
// GraphmodelLoad.id makes two first loads meet on one node). Setting a property to its own
// value locks the node without changing it, so a load that then finds nothing to write
// commits nothing. Another load waits here until this transaction ends. Returns the
// version, which tells whether a load wrote since this one read the database.
MERGE (load:GraphmodelLoad {id: $key})
SET load.id = load.id
RETURN load.version AS version
