"""Every Cypher statement graphmodel runs, one per ``.cypher`` file, loaded by name.

Use :func:`graphmodel.queries.query` to read one. Values always travel as
parameters; labels and relationship types are written into the files from
the fixed model, never taken from input.
"""
