// `graphmodel load`: everything about the nodes a first comparison found different
// ($elements): their properties and the relationships of the types their rows own
// ($outgoing, $incoming), each as [element id, type, the model's labels ($labels) of the
// node at the other end, its id, the relationship's properties].
UNWIND $elements AS element
MATCH (n)
WHERE elementId(n) = element
RETURN element,
       properties(n) AS properties,
       [(n)-[r]->(other) WHERE type(r) IN $outgoing |
         [elementId(r), type(r), [label IN labels(other) WHERE label IN $labels], other.id,
          properties(r)]] AS outgoing,
       [(n)<-[r]-(other) WHERE type(r) IN $incoming |
         [elementId(r), type(r), [label IN labels(other) WHERE label IN $labels], other.id,
          properties(r)]] AS incoming
