"""Open a committed index for reading, and the report its last run left beside it.

This is the read side's only door to the index folder: it needs neither the
extractors nor the writer, so serving and searching never load pypdf.
"""

from __future__ import annotations

import json
from pathlib import Path

from whoosh import index as whoosh_index

from indexer.errors import IndexMissing
from indexer.storage.schema import SCHEMA_VERSION

RUN_REPORT = "citymig-run.json"
LOCK_FILE = "citymig.lock"
INDEX_NAME = f"citymig_v{SCHEMA_VERSION}"


def index_exists(index_dir: Path) -> bool:
    """True when a citymig index has been committed in ``index_dir``."""
    return Path(index_dir).is_dir() and whoosh_index.exists_in(str(index_dir), indexname=INDEX_NAME)


def open_index(index_dir: Path):
    """Open an existing index for reading."""
    if not index_exists(index_dir):
        raise IndexMissing(f"no citymig index in {index_dir}: run `citymig index` first")
    return whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME)


def read_run_report(index_dir: Path) -> dict | None:
    """The report of the last completed run, if any."""
    try:
        return json.loads((Path(index_dir) / RUN_REPORT).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
