"""citymig core: find documents, extract their pages, enrich them and index them with Whoosh.

The package knows nothing of Flask or the command line: ``search_app`` and
``indexer.cli`` are thin shells over the functions exported here.

Ingestion is a chain of small steps, each in its own module:
``discover`` (find files) → ``pdf`` / ``textfiles`` (extract pages) →
``normalize`` (clean text) → ``language`` (detect) → ``store`` (write the index).
``search`` answers queries; ``status`` describes an index.
"""

from indexer.config import IndexConfig
from indexer.errors import BadQuery, CitymigError, IndexBusy, IndexMissing

__all__ = ["IndexConfig", "CitymigError", "BadQuery", "IndexBusy", "IndexMissing"]
