// `graphmodel load`: how many nodes and relationships the database holds in all (from
// Neo4j's counts store, at once) and how many of the nodes are graphmodel's bookkeeping
// node. When its pages saw fewer, the load looks for what is outside the model
// (load_foreign_nodes, load_unowned_relationships).
CALL () { MATCH (n) RETURN count(n) AS nodes }
CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships }
CALL () { MATCH (n:GraphmodelLoad) RETURN count(n) AS bookkeeping }
RETURN nodes, relationships, bookkeeping
