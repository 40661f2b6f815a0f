"""Find the files of a collection and fingerprint them for incremental indexing."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

SUPPORTED = {".pdf", ".html", ".htm", ".md", ".markdown", ".txt"}


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


def _stat(path: Path, root: Path) -> SourceFile | None:
    try:
        st = path.stat()
    except OSError:
        try:  # a dangling or looping link: keep it, so that reading it fails and is reported
            st = path.lstat()
        except OSError:
            return None
    return SourceFile(path=path, root=root, size=st.st_size, mtime=st.st_mtime)


def _walk(root: Path) -> Iterator[Path]:
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            yield Path(folder) / name


def find_files(paths: Iterable[Path]) -> Iterator[SourceFile]:
    """Yield supported files under each path (folders walked recursively, hidden ones skipped)."""
    seen: set[Path] = set()
    for given in paths:
        root = Path(given).absolute()
        candidates = [root] if root.is_file() else _walk(root)
        for path in candidates:
            if path.suffix.lower() not in SUPPORTED or path.name.startswith(".") or path in seen:
                continue
            seen.add(path)
            found = _stat(path, root if root.is_dir() else path)
            if found:
                yield found


def file_hash(path: Path) -> str:
    """SHA-256 of a file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
