"""Exact phrases matched by intersecting position sets, not by Whoosh's span objects.

Why: a document record holds a whole report's text, and a question's thesaurus labels of
several words ("find work", "affordable housing", in four languages) are phrases. Whoosh
matches a phrase with ``SpanNear2``, which builds a ``Span`` object per position of every
word in every candidate document and pairs them in Python: on the scaled collection that was
about 40 % of a practitioner's question's time. Whether the words stand side by side is one
set intersection of their positions (the positions of word *k*, shifted back by *k*).

The result is Whoosh's, document for document and score for score: a span query scores as
the intersection of its words (the spans only decide whether a document matches), so only
that decision is computed differently (``tests/test_phrases.py`` compares both on an index).
Phrases with a slop other than 1 (``"a b"~3``) keep Whoosh's matcher.

Searches evaluate phrases a set at a time (``indexer.query.evaluate``, with the same
``phrase_starts``); this matcher serves Whoosh's own searches (a document's pages, snippets).
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import accumulate
from pickle import loads

from whoosh import matching
from whoosh.formats import _INT_SIZE, Positions
from whoosh.query import Phrase, Query, SpanNear2, Term
from whoosh.query.spans import Span


class AdjacentPhrase(Phrase):
    """``Phrase`` with slop 1, its words' adjacency checked by intersecting their positions."""

    def matcher(self, searcher, context=None):
        field = searcher.schema[self.fieldname] if self.fieldname in searcher.schema else None
        if self.slop != 1 or len(self.words) < 2 or not (field and field.format.supports("positions")):
            return super().matcher(searcher, context)
        reader = searcher.reader()
        terms = []
        for word in self.words:
            try:
                word = field.to_bytes(word)
            except ValueError:
                return matching.NullMatcher()
            if (self.fieldname, word) not in reader:
                return matching.NullMatcher()  # as Whoosh's Phrase: a missing word matches nothing
            terms.append(Term(self.fieldname, word))
        near = SpanNear2(terms, slop=1, ordered=True, mindist=1)  # for its span context only
        context = near._span_context(context)
        ms = [term.matcher(searcher, context) for term in terms]
        m = _AdjacentMatcher(ms)
        return matching.WrappingMatcher(m, boost=self.boost) if self.boost != 1.0 else m


class _AdjacentMatcher(SpanNear2.SpanNear2Matcher):
    def __init__(self, ms):
        super().__init__(ms, slop=1, ordered=True, mindist=1)

    def copy(self):
        return self.__class__([m.copy() for m in self.ms])

    def _get_spans(self):
        return phrase_starts(self.ms)

    def spans(self):
        # Built only when asked for (a span query around this one): matching needs only whether there are any.
        return [Span(start, start + len(self.ms) - 1) for start in sorted(self._spans or ())]


def phrase_starts(ms) -> set[int]:
    """The positions where a phrase starts in the document its words' matchers ``ms`` stand on (all on the
    same one; empty: the words are there but not side by side)."""
    leaf = ms[0]
    while not hasattr(leaf, "format") and hasattr(leaf, "child"):  # a segment with deletions filters its postings
        leaf = leaf.child
    return starts_from_values(leaf.format, [m.value() for m in ms])


def starts_from_values(fmt, values: list[bytes]) -> set[int]:
    """The positions where a phrase starts, from its words' posting values in one document (``fmt``: the
    field's format, which decodes them)."""
    starts = set(_positions(fmt, values[0], 0))
    for offset, value in enumerate(values[1:], start=1):
        if not starts:
            break
        starts.intersection_update(_positions(fmt, value, offset))
    return starts


def _positions(fmt, value: bytes, shift: int) -> Iterable[int]:
    """A word's positions in one document, less ``shift`` (the word's place in the phrase).

    Whoosh's ``Positions`` format stores a pickled list of gaps after a 4-byte count and decodes it in a
    Python loop; summed here by ``itertools.accumulate`` (a whole report's positions of a common word are
    thousands). ``initial`` makes the sums start at ``-shift`` and yields it first: no position is
    negative, so that extra value never meets another word's.
    """
    if type(fmt) is Positions:
        gaps = loads(value[_INT_SIZE:] if value.endswith(b".") else value[_INT_SIZE:] + b".")
        return accumulate(gaps, initial=-shift) if shift else accumulate(gaps)
    return [position - shift for position in fmt.decode_positions(value)]


def adjacent_phrases(query: Query | None) -> Query | None:
    """``query`` with each exact ``Phrase`` in it matched as an ``AdjacentPhrase``."""

    def swap(node: Query) -> Query:
        if type(node) is Phrase and node.slop == 1:
            node = AdjacentPhrase(node.fieldname, node.words, boost=node.boost, char_ranges=node.char_ranges)
        return node

    return None if query is None else query.accept(swap)
