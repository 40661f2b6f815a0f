"""What every search needs and only a commit changes, kept per index and per index version.

Document numbers, language versions and the collection's cities are read
from the whole index; a search reads them from here instead, and a commit (a
new generation) makes them be read again. Recent results are kept the same
way (``RecentResults``): a page of results, its facet counts and its
snippets do not change until the index does, and the second reader of a
popular permalink should not pay for them again.

What is kept is moved out of the cyclic garbage collector's sight once built
(``gc.freeze``), and given back to it when a commit makes it stale. Why: a
search makes tens of thousands of short-lived objects, and each full
collection they trigger walks every object the process holds, these
long-lived tables first (about 15 ms on the scaled collection: a browse took
5 ms, or 20 when a collection fell in it). They hold no reference cycles, so
reference counting still frees them when they are dropped.
"""

from __future__ import annotations

import gc
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
_caches: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def per_generation(ix, searcher, name: str, build: Callable[[], T]) -> T:
    """``build()``'s value for this index at the generation ``searcher`` reads, computed once."""
    return at_generation(ix, searcher.reader().generation(), name, build)


def at_generation(ix, generation: int, name: str, build: Callable[[], T]) -> T:
    """``build()``'s value for this index at ``generation``, computed once."""
    with _lock:
        cache = _caches.setdefault(ix, {})
        if cache.get("generation") != generation:
            if cache:
                gc.unfreeze()  # the stale tables become collectable again
            cache.clear()
            cache["generation"] = generation
        if name in cache:
            return cache[name]
    value = build()
    with _lock:
        if cache.get("generation") == generation:
            cache[name] = value
            gc.freeze()
    return value


class RecentResults:
    """The last ``size`` results by request, for one generation of one index; thread-safe."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self.results: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        """The result stored for ``key``, or None."""
        with self.lock:
            if key in self.results:
                self.results.move_to_end(key)
                return self.results[key]
        return None

    def put(self, key, result) -> None:
        """Remember ``result`` for ``key``, forgetting the least recently used beyond ``size``."""
        with self.lock:
            self.results[key] = result
            self.results.move_to_end(key)
            while len(self.results) > self.size:
                self.results.popitem(last=False)
