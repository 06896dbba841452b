"""Readers and writers for the three dataset formats (CSV folder, workbook, JSON/YAML).

Readers turn a file into :class:`~graphmodel.io.raw.RawTable` objects: every
cell as stripped text or ``None``, every row with its location. Parsing and
validation of those cells happens once, in :mod:`graphmodel.dataset`, so the
three formats cannot drift apart.
"""
