"""``python -m indexer`` runs the citymig command line."""

from indexer.cli import main

main()
