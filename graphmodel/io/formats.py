"""Which file suffixes are which dataset format (a module that imports nothing).

Reading a dataset picks its reader by these (:func:`graphmodel.dataset.read_dataset`)
and imports only that reader: a CSV folder never loads the spreadsheet libraries.
"""

from __future__ import annotations

#: Workbook formats read as a dataset (python-calamine reads them all).
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
#: YAML files (JSON is read by the same reader).
YAML_SUFFIXES = (".yaml", ".yml")
#: File suffixes read as a single-file dataset of tables.
MAPPING_SUFFIXES = (".json", *YAML_SUFFIXES)
#: A graph rather than tables.
GRAPHML_SUFFIXES = (".graphml",)
