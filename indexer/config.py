"""Configuration of an index: passed in by the caller, never read from globals."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_INDEX = "index"
DEFAULT_CORPUS = "corpus"


def default_index_dir() -> Path:
    """Index location: ``$CITYMIG_INDEX`` if set, else ``index/``."""
    return Path(os.environ.get("CITYMIG_INDEX") or DEFAULT_INDEX)


@dataclass
class IndexConfig:
    """Where the index lives and how ingestion behaves."""

    index_dir: Path = field(default_factory=default_index_dir)
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    file_timeout: float = 120.0  # seconds per file before it is reported as too slow
    lock_timeout: float = 10.0  # seconds to wait for another indexing run
    commit_every: int = 200  # documents between commits, so a killed run keeps its progress
    metadata_file: str = "metadata.csv"
    scheduler: str | None = None  # tcp://HOST:PORT of a Dask scheduler: extraction on its cluster

    def __post_init__(self) -> None:
        self.index_dir = Path(self.index_dir)
        self.jobs = max(1, int(self.jobs))
