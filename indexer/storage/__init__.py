"""The index on disk: its ``schema``, opening it for reading (``index``), and ``cache`` per index version."""
