"""Analyses, written once over the backends' projections (see :mod:`graphmodel.projections`)."""
