"""Interactive network views (pyvis), installed as ``graphmodel.visuals``."""
