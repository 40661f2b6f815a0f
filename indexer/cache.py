"""What every search needs and only a commit changes, kept per index and per index version.

Document numbers, language versions and the collection's cities are read
from the whole index; a search reads them from here instead, and a commit (a
new generation) makes them be read again.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
_caches: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def per_generation(ix, searcher, name: str, build: Callable[[], T]) -> T:
    """``build()``'s value for this index at the generation ``searcher`` reads, computed once."""
    generation = searcher.reader().generation()
    with _lock:
        cache = _caches.setdefault(ix, {})
        if cache.get("generation") != generation:
            cache.clear()
            cache["generation"] = generation
        if name in cache:
            return cache[name]
    value = build()
    with _lock:
        if cache.get("generation") == generation:
            cache[name] = value
    return value
