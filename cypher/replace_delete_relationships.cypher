// --replace: relationships of types outside the model ($types) do not belong
// in a database that equals the dataset.
MATCH ()-[r]->()
WHERE NOT type(r) IN $types
DELETE r
