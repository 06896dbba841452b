"""Frameworks from standards (ESCO, 1EdTech CASE) and crosswalks between frameworks.

- :mod:`graphmodel.frameworks.esco` reads an ESCO CSV download;
- :mod:`graphmodel.frameworks.case` reads a CASE package (JSON);
- :mod:`graphmodel.frameworks.review` applies a reviewed crosswalk sheet.

Both importers return an :class:`~graphmodel.frameworks.common.ImportResult`:
a validated :class:`~graphmodel.model.Dataset` and the notices a person
should read (what was dropped or not imported, and why).
"""

from graphmodel.frameworks.common import ImportResult, merge_datasets

__all__ = ["ImportResult", "merge_datasets"]
