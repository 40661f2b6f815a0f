"""The app's index: opened once, read at its latest commit, with results cached per commit.

A Whoosh index object reads the table of contents again for every new
searcher, so a reindex by ``citymig index`` while the server runs is seen by
the next request without a restart. What is worth keeping between requests
(the home page's overview) is cached under the index generation it was
computed from and dropped when a newer generation appears.

Under gunicorn (``citymig serve --workers N``) every worker process has its
own LiveIndex: nothing here is shared or needs to be. Each worker reads the
generation from the index folder on each request, so all of them move to a
new commit on their next request, whichever worker served the one before.
The index is opened after the workers are forked (on the first request),
never in the master, so no file handle or cached reader crosses a fork.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from indexer.storage.index import open_index


class LiveIndex:
    """One opened index shared by the server's threads."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = Path(index_dir)
        self._lock = threading.Lock()
        self._ix = None
        self._cache: dict[tuple[int, str], Any] = {}

    def get(self):
        """The opened index (raise IndexMissing while there is none)."""
        with self._lock:
            if self._ix is None:
                self._ix = open_index(self.index_dir)
            return self._ix

    def generation(self) -> int:
        """The generation of the latest commit."""
        return self.get().latest_generation()

    def cached(self, key: str, compute: Callable[[Any], Any]) -> Any:
        """``compute(ix)`` for the latest generation, computed once per generation."""
        ix = self.get()
        generation = ix.latest_generation()
        with self._lock:
            if (generation, key) in self._cache:
                return self._cache[(generation, key)]
        value = compute(ix)
        with self._lock:
            self._cache = {k: v for k, v in self._cache.items() if k[0] >= generation}
            self._cache[(generation, key)] = value
        return value
