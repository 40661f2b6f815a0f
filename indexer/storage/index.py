"""Open a committed index for reading, and the report its last run left beside it.

This is the read side's only door to the index folder: it needs neither the
extractors nor the writer, so serving and searching never load pypdf.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.searching import Searcher

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


def open_index(index_dir: Path, mapped: bool = True):
    """Open an existing index for reading.

    :param mapped: read the segments through memory maps (Whoosh's default, for serving); False reads them
        through files, for a one-off pass over the whole index whose touched pages would all count in RSS
    """
    if not index_exists(index_dir):
        raise IndexMissing("no citymig index in %(path)s: run `citymig index` first", path=index_dir)
    if not mapped:
        return FileStorage(str(index_dir), supports_mmap=False).open_index(indexname=INDEX_NAME)
    return whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME)


_held = threading.local()  # each thread's readers: (folder, index name) → (generation, TOC stamp, reader)


def _toc_stamp(folder: str, indexname: str, generation: int) -> tuple[int, int] | None:
    try:
        stat = os.stat(os.path.join(folder, f"_{indexname}_{generation}.toc"))
    except OSError:
        return None
    return stat.st_ino, stat.st_mtime_ns


@contextmanager
def thread_searcher(ix) -> Iterator[Searcher]:
    """A searcher on the newest commit of ``ix``, on a reader this thread keeps until a commit follows.

    Opening a reader reads the index's table of contents and unpickles its schema, a few milliseconds of
    every search; this thread's reader is reused while the generation (and its TOC file: an index deleted
    and rebuilt in the same folder starts again at generation 1) is the same, and closed for a new one.
    Each thread has its own: readers are not shared.
    """
    folder = getattr(ix.storage, "folder", None)
    if folder is None or getattr(_held, "busy", False):  # nested: the outer search's reader must stay open
        with ix.searcher() as plain:
            yield plain
        return
    readers = _held.__dict__.setdefault("readers", {})
    key = (folder, ix.indexname)
    generation = ix.latest_generation()
    stamp = _toc_stamp(folder, ix.indexname, generation)
    held = readers.get(key)
    if held is None or held[:2] != (generation, stamp):
        if held is not None:
            held[2].close()
        reader = ix.reader()  # not reader(reuse=): Whoosh would keep the old reader's segments in the new one
        held = readers[key] = (reader.generation(), stamp, reader)
    _held.busy = True
    try:
        yield Searcher(held[2], fromindex=ix, closereader=False)
    finally:
        _held.busy = False


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
