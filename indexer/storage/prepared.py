"""Scores computed once for an index version, kept in a file beside it (``indexer.query.prepared`` fills it).

The file names the version it was computed on: the generation and each
segment with its deletion count (a rebuilt index starts again at generation
1, with new segments), and ``FORMAT`` for the way its scores are computed. A
file for another version is never read; a missing one only means the scores
are computed when first asked for. It is a pickle, as Whoosh's own files in
the folder are: the index folder is trusted.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from array import array
from pathlib import Path

FORMAT = 1
PREFIX = "citymig-prepared-"
Prepared = dict[tuple, tuple[array, array]]  # a term score key → (record numbers, scores)


def version_key(searcher) -> tuple:
    """What identifies the index version ``searcher`` reads: generation, segments and their deletions."""
    segments = (reader.segment() for reader, _ in searcher.reader().leaf_readers())
    return FORMAT, searcher.reader().generation(), tuple(sorted((s.segment_id(), s.deleted_count()) for s in segments))


def _path(index_dir: str | Path, key: tuple) -> Path:
    digest = hashlib.sha256(repr(key).encode()).hexdigest()[:16]
    return Path(index_dir) / f"{PREFIX}{key[1]}-{digest}.pickle"


def read(index_dir: str | Path, searcher) -> Prepared:
    """The prepared scores of the version ``searcher`` reads, or {} (none written for it)."""
    key = version_key(searcher)
    try:
        with _path(index_dir, key).open("rb") as stored:
            data = pickle.load(stored)  # noqa: S301 - the index folder is trusted (Whoosh pickles into it too)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != key:
        return {}
    return {k: (array("q", numbers), array("d", values)) for k, (numbers, values) in data["scores"].items()}


def write(index_dir: str | Path, searcher, scores: Prepared) -> Path:
    """Write ``scores`` for the version ``searcher`` reads (atomically); other versions' files are removed."""
    key = version_key(searcher)
    path = _path(index_dir, key)
    payload = {"version": key, "scores": {k: (n.tobytes(), s.tobytes()) for k, (n, s) in scores.items()}}
    fd, temporary = tempfile.mkstemp(prefix=".prepared-", dir=index_dir)
    try:
        os.fchmod(fd, 0o644)  # readable as the index files are (mkstemp makes it private)
        with os.fdopen(fd, "wb") as out:
            pickle.dump(payload, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)  # a full disk leaves no half-written file behind
        raise
    for old in Path(index_dir).glob(f"{PREFIX}*.pickle"):
        if old != path:
            old.unlink(missing_ok=True)
    return path


def written(index_dir: str | Path, searcher) -> bool:
    """True when the version ``searcher`` reads has its file."""
    return _path(index_dir, version_key(searcher)).exists()
