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
"""

from __future__ import annotations

from whoosh import matching
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
        ms = [term.matcher(searcher, near._span_context(context)) for term in terms]
        m = _AdjacentMatcher(ms, slop=1, ordered=True, mindist=1)
        return matching.WrappingMatcher(m, boost=self.boost) if self.boost != 1.0 else m


class _AdjacentMatcher(SpanNear2.SpanNear2Matcher):
    def _get_spans(self):
        """The positions where the phrase starts in the current document (empty: it does not match)."""
        starts = set(self.ms[0].value_as("positions"))
        for offset, m in enumerate(self.ms[1:], start=1):
            if not starts:
                break
            starts.intersection_update(position - offset for position in m.value_as("positions"))
        return starts

    def spans(self):
        # Built only when asked for (a span query around this one): matching needs only whether there are any.
        last = len(self.ms) - 1
        return [Span(start, start + last) for start in sorted(self._spans or ())]


def adjacent_phrases(query: Query | None) -> Query | None:
    """``query`` with each exact ``Phrase`` in it matched as an ``AdjacentPhrase``."""

    def swap(node: Query) -> Query:
        if type(node) is Phrase and node.slop == 1:
            return AdjacentPhrase(node.fieldname, node.words, boost=node.boost, char_ranges=node.char_ranges)
        return node

    return None if query is None else query.accept(swap)
