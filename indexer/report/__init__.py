"""Describing what was indexed: ``explain`` (the evidence for each facet), ``status`` and ``export``."""
