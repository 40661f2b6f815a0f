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

On document records a question's phrases (thesaurus labels, which recur from question to
question) also have their matching documents remembered per segment (``remember``): a search
there visits every document that holds all the words anyway (totals and facets count every
matching work), and a segment never changes once written (a merge writes a new one, with a new id), so
the set cannot go stale. The next search with the phrase checks membership instead of
decoding positions. Page records are not remembered: a search there skips to the pages of
the works shown, and filling the set would visit every page.
"""

from __future__ import annotations

from whoosh import matching
from whoosh.query import Phrase, Query, SpanNear2, Term
from whoosh.query.spans import Span

from indexer.storage.cache import RecentResults

# (segment, field, words) sets kept, least recently used dropped: on the scaled index 60 questions
# kept 263, of 24 documents on average (about 1.6 KB each); a set holds at most a segment's document records.
REMEMBERED = 1024
_remembered = RecentResults(REMEMBERED)


class AdjacentPhrase(Phrase):
    """``Phrase`` with slop 1, its words' adjacency checked by intersecting their positions."""

    remember = False  # keep the documents that match, per segment (document records: see the module)

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
        segment = reader.segment() if self.remember else None
        if segment is None:
            m = _AdjacentMatcher(ms, slop=1, ordered=True, mindist=1)
        else:
            key = (segment.segment_id(), self.fieldname, tuple(self.words))
            docs = _remembered.get(key)
            if docs is None:
                scan = _AdjacentMatcher([term.matcher(searcher, context) for term in terms])
                docs = frozenset(scan.all_ids())
                _remembered.put(key, docs)
            m = _KnownMatcher(ms, docs=docs)
        return matching.WrappingMatcher(m, boost=self.boost) if self.boost != 1.0 else m


class _AdjacentMatcher(SpanNear2.SpanNear2Matcher):
    def _starts(self) -> set[int]:
        """The positions where the phrase starts in the current document (empty: it does not match)."""
        starts = set(self.ms[0].value_as("positions"))
        for offset, m in enumerate(self.ms[1:], start=1):
            if not starts:
                break
            starts.intersection_update(position - offset for position in m.value_as("positions"))
        return starts

    def _get_spans(self):
        return self._starts()

    def spans(self):
        # Built only when asked for (a span query around this one): matching needs only whether there are any.
        return _spans(self._spans or (), len(self.ms))


class _KnownMatcher(_AdjacentMatcher):
    """Adjacency read from the remembered set of the segment's documents that hold the phrase."""

    def __init__(self, ms, slop=1, ordered=True, mindist=1, docs: frozenset = frozenset()):
        self.docs = docs  # before the base class looks for the first match
        super().__init__(ms, slop=slop, ordered=ordered, mindist=mindist)

    def copy(self):
        return self.__class__([m.copy() for m in self.ms], docs=self.docs)

    def _get_spans(self):
        return self.child.id() in self.docs

    def spans(self):
        return _spans(self._starts() if self._spans else (), len(self.ms))


def _spans(starts, words: int) -> list[Span]:
    return [Span(start, start + words - 1) for start in sorted(starts)]


def adjacent_phrases(query: Query | None, remember: bool = False) -> Query | None:
    """``query`` with each exact ``Phrase`` in it matched as an ``AdjacentPhrase`` (``remember``: see the module)."""

    def swap(node: Query) -> Query:
        if type(node) is Phrase and node.slop == 1:
            node = AdjacentPhrase(node.fieldname, node.words, boost=node.boost, char_ranges=node.char_ranges)
            node.remember = remember
        return node

    return None if query is None else query.accept(swap)
