// `graphmodel load`, last statement of every transaction that wrote: one more load.
MATCH (load:GraphmodelLoad {id: $key})
SET load.version = $version
