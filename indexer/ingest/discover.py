"""Find the files of a collection and fingerprint them for incremental indexing.

What is read and what is not, so that nothing outside the collection is ever indexed:

- a symbolic link (to a file or a folder) whose target lies outside the folder being
  indexed is never opened; it is listed as skipped, with its target;
- a link whose target is inside is followed once: a folder reached twice (through a link
  or a loop of links) is walked only the first time;
- a file whose format is not in ``indexer.vocabulary.FORMATS`` is listed as skipped;
- hidden files and folders and the librarian's ``metadata.csv`` are neither read nor listed.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from indexer.vocabulary import FORMATS

SUPPORTED = frozenset(FORMATS)  # the suffixes the extractors read
METADATA_FILE = "metadata.csv"

# Kinds of skipped files (the keys of /library's "skipped" group).
LINK_OUTSIDE = "link_outside"
UNSUPPORTED = "unsupported"
DUPLICATE = "duplicate"


@dataclass(frozen=True)
class SourceFile:
    """A file of the collection, as found on disk."""

    path: Path  # absolute
    root: Path  # the folder (or file) the user named
    size: int
    mtime: float

    @property
    def relpath(self) -> str:
        """Path relative to the folder the user named, with forward slashes."""
        if self.root == self.path:
            return self.path.name
        return self.path.relative_to(self.root).as_posix()

    @property
    def doc_id(self) -> str:
        """Stable identifier derived from the absolute path."""
        return hashlib.sha1(str(self.path).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Skipped:
    """A file that was found but not read, and why (``kind`` is one of the constants above)."""

    path: Path
    kind: str
    reason: str
    target: str | None = None  # where a link points, or the file a duplicate repeats

    def to_dict(self) -> dict:
        """JSON-ready form for the run report."""
        return {"path": str(self.path), "kind": self.kind, "reason": self.reason, "target": self.target}


@dataclass
class Discovery:
    """What a walk of the collection found: files to read and files skipped."""

    files: list[SourceFile] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def _stat(path: Path, root: Path) -> SourceFile | None:
    try:
        st = path.stat()
    except OSError:
        try:  # a dangling or looping link: keep it, so that reading it fails and is reported
            st = path.lstat()
        except OSError:
            return None
    return SourceFile(path=path, root=root, size=st.st_size, mtime=st.st_mtime)


def _inside(real: str, real_root: str) -> bool:
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def _link_outside(path: Path, real_root: str) -> Skipped | None:
    """A Skipped entry when ``path`` is a link whose target (resolved) lies outside the collection."""
    if not path.is_symlink():
        return None
    real = os.path.realpath(path)  # never raises, even on loops (they resolve to a path inside)
    if _inside(real, real_root):
        return None
    return Skipped(path, LINK_OUTSIDE, "link to a file outside the collection: not read", target=real)


def _classify(path: Path, real_root: str) -> Skipped | None:
    """Why a file found in a folder is not read, or None when it is."""
    outside = _link_outside(path, real_root)
    if outside:
        return outside
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        shown = suffix or "no file name extension"
        return Skipped(path, UNSUPPORTED, f"unsupported format ({shown}): not indexed")
    return None


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir(follow_symlinks=True)
    except OSError:  # a link that loops: not a folder; reading it fails and is reported
        return False


def _walk(root: Path, skipped: list[Skipped]) -> Iterator[Path]:
    """Files under ``root`` in a stable order; links out of the collection are recorded, not followed."""
    real_root = os.path.realpath(root)
    visited: set[str] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        real = os.path.realpath(folder)
        if real in visited:  # reached again through a link: walked once already
            continue
        visited.add(real)
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError:
            continue
        subfolders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            if _is_dir(entry):
                outside = _link_outside(path, real_root)
                if outside:
                    skipped.append(
                        Skipped(path, LINK_OUTSIDE, "link to a folder outside the collection: not read", outside.target)
                    )
                else:
                    subfolders.append(path)
            elif not (folder == root and entry.name == METADATA_FILE):
                yield path
        stack.extend(reversed(subfolders))


def discover(paths: Iterable[Path]) -> Discovery:
    """Walk each path (folders recursively) and sort what is found into files to read and files skipped."""
    found = Discovery()
    seen: set[Path] = set()
    for given in paths:
        root = Path(given).absolute()
        if root.is_dir():
            candidates: Iterable[Path] = _walk(root, found.skipped)
            base, real_root = root, os.path.realpath(root)
        else:  # a single file named by the user: its own folder is the collection
            candidates, base, real_root = [root], root, os.path.realpath(root.parent)
        for path in candidates:
            if path in seen:
                continue
            seen.add(path)
            why = _classify(path, real_root)
            if why:
                found.skipped.append(why)
                continue
            source = _stat(path, base)
            if source:
                found.files.append(source)
    return found


def find_files(paths: Iterable[Path]) -> Iterator[SourceFile]:
    """Yield the files under each path that are read (see ``discover`` for what is skipped)."""
    yield from discover(paths).files


def file_hash(path: Path) -> str:
    """SHA-256 of a file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
