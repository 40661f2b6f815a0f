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
LOCK_HOLDER = "citymig.lock.json"  # who holds the lock: {"what", "pid", "host", "since"}
RUN_HISTORY = "citymig-runs.jsonl"  # the last runs' summaries, one JSON object a line
INDEX_NAME = f"citymig_v{SCHEMA_VERSION}"


def index_exists(index_dir: Path) -> bool:
    """True when a citymig index has been committed in ``index_dir``."""
    return Path(index_dir).is_dir() and whoosh_index.exists_in(str(index_dir), indexname=INDEX_NAME)


def open_index(index_dir: Path):
    """Open an existing index for reading."""
    if not index_exists(index_dir):
        raise IndexMissing("no citymig index in %(path)s: run `citymig index` first", path=index_dir)
    return whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME)


def read_run_report(index_dir: Path) -> dict | None:
    """The report of the last completed run, if any."""
    try:
        return json.loads((Path(index_dir) / RUN_REPORT).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def read_run_history(index_dir: Path) -> list[dict]:
    """Summaries of the last runs, newest first."""
    try:
        lines = (Path(index_dir) / RUN_HISTORY).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    runs = []
    for line in lines:
        try:
            runs.append(json.loads(line))
        except ValueError:
            continue
    return runs[::-1]


def read_lock_holder(index_dir: Path) -> dict | None:
    """Who holds the index's write lock, as the holder wrote it (None when nobody says)."""
    try:
        return json.loads((Path(index_dir) / LOCK_HOLDER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
