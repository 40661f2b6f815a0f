"""A query's matching records and their scores, computed a set at a time from Whoosh's postings.

Why: a search scores every matching document (totals, facets, sorts and the
works grouping all need every match), and Whoosh does that a record at a
time, walking a tree of union and intersection matchers in Python. A
practitioner's question or a common word expands to 30-60 terms and phrases
in four languages; on the scaled collection that walk was most of a search
(``bench/``: 100-200 ms for the slowest tenth of the one-word searches).
Here each term's postings are read once into ``{record: score}`` with
Whoosh's own scorer, and the query tree is combined over those dictionaries:
an ``Or`` adds, an ``And`` intersects and adds, ``Require`` filters,
``AndMaybe`` adds where both match, a ``NOT`` inside an ``And`` removes
(adding Whoosh's constant 1.0 for it), and an exact phrase is the records
holding all its words (a set intersection) where their positions line up
(``phrases.phrase_starts``), scored as the sum of its words. On document records a term's scores
change only with the index, so they are kept per index version
(``TermScores``): the thesaurus labels of a question recur from question to
question.

Scores are Whoosh's BM25F: every term's score is computed by Whoosh's scorer,
and compound scores are their sums, added in the query's order (Whoosh adds
them in an order that depends on each segment's term statistics, so the two
may differ in the last bit of a float, never in rank beyond such ties).
Query types this module does not know (ranges, wildcards, fuzzy terms, slop
phrases, scaled ``Or``) are matched by Whoosh's own matchers, record by
record, so every query has one meaning; ``tests/test_evaluate.py`` compares
both on an index.

``within``: only the records given are looked at (the pages of the works a
result page shows), each term's postings skipping to them.

Which terms matched a record (a question's coordination and its
translation-only matches need them) are those of the terms and phrases
that matched it, every query above them matching it too.
"""

from __future__ import annotations

import time
from array import array
from bisect import bisect_left
from collections.abc import Callable
from collections.abc import Set as AbstractSet

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.matching.wrappers import FilterMatcher
from whoosh.query import And, AndMaybe, Not, NullQuery, Or, Phrase, Query, Require, Term
from whoosh.query.qcore import _NullQuery
from whoosh.scoring import BM25F, bm25
from whoosh.util.numeric import byte_to_length

from indexer.query.phrases import AdjacentPhrase, starts_from_values
from indexer.storage import prepared
from indexer.storage.cache import RecentResults, per_generation
from indexer.storage.records import term_text

Scores = dict[int, float]  # record number (whole index) → score
TermKey = tuple[str, bytes]

KEPT_TERMS = 4096  # term score lists kept per index version (a common term on document records: about 20 KB)
RECHECK_SECONDS = 2.0  # how often a version without prepared scores looks for their file again


class TermScores(RecentResults):
    """The scores of terms and phrases over all records, for one index version: ``key`` → (numbers, scores).

    ``fixed``: scores prepared for this version (``indexer.query.prepared``), never forgotten.
    """

    def __init__(self, size: int = KEPT_TERMS, fixed: dict | None = None) -> None:
        super().__init__(size)
        self.fixed = fixed or {}
        self.checked = time.monotonic()

    def recheck_due(self) -> bool:
        """True (once every RECHECK_SECONDS, in one thread) when it is time to look for prepared scores again."""
        with self.lock:
            now = time.monotonic()
            if now - self.checked < RECHECK_SECONDS:
                return False
            self.checked = now
            return True

    def get(self, key):
        """The scores kept for ``key``, or None."""
        found = self.fixed.get(key)
        return found if found is not None else super().get(key)


def term_scores(ix, searcher) -> TermScores:
    """The per-version store of term scores of ``ix`` at the version ``searcher`` reads, with the scores
    prepared for it when its indexing run wrote them.

    A run on a large index prepares them in the background after its commit, so a process that reads the
    new version first looks for their file again, every RECHECK_SECONDS, until it is there.
    """
    folder = getattr(ix.storage, "folder", None)
    kept = per_generation(
        ix, searcher, "term scores", lambda: TermScores(fixed=prepared.read(folder, searcher) if folder else None)
    )
    if folder and not kept.fixed and kept.recheck_due():
        kept.fixed = prepared.read(folder, searcher)
    return kept


class Evaluation:
    """Evaluate queries on one searcher: ``scores(query)``; with ``terms``, also which terms matched where."""

    def __init__(
        self,
        searcher,
        kept: TermScores | None = None,
        within: list[int] | None = None,
        terms: bool = False,
        narrow: Callable[[Query], list[int] | None] | None = None,
    ):
        """:param kept: the index version's term scores (None: compute every term afresh)
        :param within: look only at these records (their scores are then not kept)
        :param terms: record which terms matched where (``matched_terms``)
        :param narrow: with ``within``, the records of it a term or phrase can match at all (sorted; None:
            all of them), e.g. the pages of the documents whose record holds it
        """
        self.searcher = searcher
        self.kept = kept if within is None else None  # scores restricted to ``within`` are not the term's
        self.within = sorted(within) if within is not None else None
        self.narrow = narrow
        self.record_terms = terms
        # (terms as (field, text), records where they matched), a pair per term and phrase
        self.leaves: list[tuple[frozenset[tuple[str, str]], AbstractSet[int]]] = []
        self._segments = [(s, offset, s.reader().doc_count_all()) for s, offset in self._subsearchers()]

    def _subsearchers(self):
        return self.searcher.subsearchers or [(self.searcher, 0)]

    # The query tree

    def scores(self, query: Query, universe: set[int] | None = None) -> Scores:
        """``{record: score}`` of the records ``query`` matches (``universe``: what ``NOT`` is taken from)."""
        mark = len(self.leaves)
        found = self._scores(query, universe)
        if self.record_terms and len(self.leaves) > mark:
            # A term counts where its term or phrase matched and every query above it matched too (Whoosh's
            # ``terms=True`` also counts a phrase's words where they are not side by side).
            if type(query) is Not:
                del self.leaves[mark:]
            else:
                self.leaves[mark:] = [(terms, records & found.keys()) for terms, records in self.leaves[mark:]]
        return found

    def _scores(self, query: Query, universe: set[int] | None) -> Scores:
        kind = type(query)
        if query is NullQuery or kind is _NullQuery:
            return {}
        if kind is Term:
            return self._boosted(self._term(query), query.boost)
        if kind is AdjacentPhrase or kind is Phrase:
            return self._phrase(query)
        if kind is Or and not query.scale and not query.minmatch:
            return self._boosted(self._union([self.scores(q, universe) for q in query.subqueries]), query.boost)
        if kind is And:
            return self._boosted(self._intersection(query.subqueries, universe), query.boost)
        if kind is Require:
            required = self.scores(query.b, universe)
            scored = self.scores(query.a, required.keys() if universe is None else required.keys() & universe)
            return {d: s for d, s in scored.items() if d in required}
        if kind is AndMaybe:
            found = self.scores(query.a, universe)
            extra = self.scores(query.b, found.keys())
            return {d: s + extra[d] if d in extra else s for d, s in found.items()}
        if kind is Not and universe is not None:
            excluded = self.scores(query.query, universe)
            return {d: 1.0 for d in universe if d not in excluded}  # Whoosh's InverseMatcher scores 1.0
        return self._whoosh(query, record=self.record_terms)

    @staticmethod
    def _boosted(scores: Scores, boost: float) -> Scores:
        if boost == 1.0:
            return scores
        return {d: s * boost for d, s in scores.items()}

    @staticmethod
    def _union(parts: list[Scores]) -> Scores:
        parts = [part for part in parts if part]
        if not parts:
            return {}
        total = dict(parts[0])
        for part in parts[1:]:
            for d, s in part.items():
                total[d] = total[d] + s if d in total else s
        return total

    def _intersection(self, subqueries: list[Query], universe: set[int] | None) -> Scores:
        positive = [q for q in subqueries if type(q) is not Not]
        negative = [q.query for q in subqueries if type(q) is Not]
        if not positive:
            return self.scores(Not(Or(negative)) if len(negative) > 1 else subqueries[0], universe)
        total: Scores | None = None
        for q in positive:
            part = self.scores(q, universe if total is None else total.keys())
            if total is None:
                total = dict(part)
            else:
                total = {d: s + part[d] for d, s in total.items() if d in part}
            if not total:
                return {}
        for q in negative:
            excluded = self.scores(Not(q), total.keys())
            total = {d: s + excluded[d] for d, s in total.items() if d in excluded}
        return total

    # Leaves

    def _term(self, query: Term) -> Scores:
        field = self.searcher.schema[query.fieldname] if query.fieldname in self.searcher.schema else None
        if field is None:
            return {}
        try:
            text = field.to_bytes(query.text)
        except ValueError:
            return {}
        key = (query.fieldname, text)
        found = self._kept(("term", *key), lambda: self._postings(key, self._leaf_within(query)))
        if self.record_terms:
            self.leaves.append((frozenset([(query.fieldname, term_text(text))]), found.keys()))
        return found

    def _phrase(self, query: Phrase) -> Scores:
        within = self._leaf_within(query)
        key = ("phrase", query.fieldname, tuple(query.words))
        field = self.searcher.schema[query.fieldname] if query.fieldname in self.searcher.schema else None
        try:
            words = [(query.fieldname, field.to_bytes(word)) for word in query.words] if field else []
        except ValueError:
            words = []
        if query.slop == 1 and len(words) > 1 and field.format.supports("positions"):
            found = self._boosted(self._kept(key, lambda: self._adjacent(words, within)), query.boost)
        else:  # a slop, one word: Whoosh's matcher (its scores are boosted inside)
            found = self._kept((*key, query.slop, query.boost), lambda: self._whoosh(query, within))
        if self.record_terms:
            self.leaves.append((frozenset((f, term_text(t)) for f, t in words), found.keys()))
        return found

    def _adjacent(self, words: list[TermKey], within: list[int] | None) -> Scores:
        """The records where ``words`` stand side by side, scored as Whoosh scores a phrase: the sum of its
        words' scores, added as its tree of intersections adds them (the phrase's boost multiplies it)."""
        parts = [self._kept(("term", *key), lambda key=key: self._postings(key, within)) for key in words]
        candidates = set(min(parts, key=len)).intersection(*parts)
        if not candidates:
            return {}
        candidates = sorted(candidates)
        found: Scores = {}
        for subsearcher, offset, count in self._segments:
            local = _in_segment(candidates, offset, count)
            if not local:
                continue
            reader = subsearcher.reader()
            wanted = [record - offset for record in local]
            values = [_values_at(reader.postings(fieldname, text), wanted) for fieldname, text in words]
            fmt = self.searcher.schema[words[0][0]].format
            for record, docnum in zip(local, wanted, strict=True):
                if starts_from_values(fmt, [held[docnum] for held in values]):
                    found[record] = _tree_sum([part[record] for part in parts])
        return found

    def _kept(self, key, compute) -> Scores:
        if self.kept is None:
            return compute()
        stored = self.kept.get(key)
        if stored is None:
            found = compute()
            self.kept.put(key, (array("q", found), array("d", found.values())))
            return found
        return dict(zip(*stored, strict=True))

    def _leaf_within(self, query: Query) -> list[int] | None:
        if self.within is None or self.narrow is None:
            return self.within
        narrowed = self.narrow(query)
        return self.within if narrowed is None else narrowed

    def _postings(self, key: TermKey, within: list[int] | None) -> Scores:
        """Whoosh's score of every record holding the term (of those ``within``), segment by segment."""
        fieldname, text = key
        weighting = self.searcher.weighting
        found: Scores = {}
        if within == []:
            return found
        fast = _bm25(self.searcher, fieldname, text)
        for subsearcher, offset, count in self._segments:
            reader = subsearcher.reader()
            if key not in reader:
                continue
            if fast is not None:
                m = reader.postings(fieldname, text)
                leaf, deleted = m, frozenset()
                if type(m) is FilterMatcher and m._exclude and m.boost == 1.0:  # a segment with deletions
                    leaf, deleted = m.child, m._ids
                if type(leaf) is W3LeafMatcher:
                    targets = None if within is None else [d - offset for d in _in_segment(within, offset, count)]
                    if targets != []:
                        _block_scores(leaf, fast, self._lengths(reader, fieldname), offset, found, deleted, targets)
                    continue
            scorer = weighting.scorer(subsearcher, fieldname, text)
            m = reader.postings(fieldname, text, scorer=scorer)
            self._collect(m, offset, count, found, scorer.score, within)
        return found

    def _lengths(self, reader, fieldname: str) -> bytes:
        """The segment's length byte of ``fieldname`` for every record (kept per index version)."""

        def read() -> bytes:
            column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            if column is None:
                return bytes(reader.doc_count_all())
            if getattr(column, "_typecode", None) != "B" or column._default != 0:
                return bytes(column)
            # One byte a record, the records after the last written one absent (0): read at once.
            return bytes(column._dbfile.get(column._basepos, column._count)) + bytes(column._doccount - column._count)

        if self.kept is None:
            return read()
        key = ("lengths", reader.segment().segment_id(), fieldname)
        stored = self.kept.get(key)
        if stored is None:
            stored = read()
            self.kept.put(key, stored)
        return stored

    def _whoosh(self, query: Query, within: list[int] | None = None, record: bool = False) -> Scores:
        """Records and scores of ``query`` from Whoosh's own matcher (types this module does not combine).

        ``record``: its terms count where their matchers stand on a matching record (a wildcard's words),
        as Whoosh's ``terms=True`` counts them.
        """
        found: Scores = {}
        within = self.within if within is None else within
        for subsearcher, offset, count in self._segments:
            m = query.matcher(subsearcher, subsearcher.context())
            self._collect(m, offset, count, found, lambda m: m.score(), within)
        if record and found:
            self._record_standing(query, sorted(found))
        return found

    def _record_standing(self, query: Query, records: list[int]) -> None:
        # A matcher that keeps its term matchers (Whoosh otherwise preloads a wildcard's postings, and scores
        # it differently then: its scores are not taken from this one).
        standing: dict[TermKey, set[int]] = {}
        for subsearcher, offset, count in self._segments:
            m = query.matcher(subsearcher, subsearcher.context(needs_current=True))
            leaves = list(m.term_matchers())

            def record(m, leaves=leaves, offset=offset) -> None:
                here = m.id()
                for leaf in leaves:
                    if leaf.is_active() and leaf.id() == here:
                        standing.setdefault(leaf.term(), set()).add(here + offset)

            self._collect(m, offset, count, {}, record, records)
        self.leaves.extend((frozenset([(f, term_text(t))]), found) for (f, t), found in standing.items())

    @staticmethod
    def _collect(m, offset: int, count: int, found: Scores, score, within: list[int] | None) -> None:
        if within is None:
            while m.is_active():
                found[m.id() + offset] = score(m)
                m.next()
            return
        for target in _in_segment(within, offset, count):
            if not m.is_active():
                return
            local = target - offset
            if m.id() < local:
                m.skip_to(local)
                if not m.is_active():
                    return
            if m.id() == local:
                found[target] = score(m)

    # Which terms matched where (Whoosh's ``terms=True``)

    def matched_terms(self) -> dict[int, set[tuple[str, str]]]:
        """The (field, text) terms each matching record matched (after ``scores`` with ``terms``)."""
        matched: dict[int, set[tuple[str, str]]] = {}
        for terms, records in self.leaves:
            for d in records:
                matched.setdefault(d, set()).update(terms)
        return matched

    def matching(self, terms: AbstractSet[tuple[str, str]]) -> set[int]:
        """The records that matched one of ``terms`` ((field, text) pairs), after ``scores`` with ``terms``:
        ``{d for d, t in matched_terms().items() if t & terms}``, a set per term and phrase, not per record."""
        found: set[int] = set()
        for leaf_terms, records in self.leaves:
            if not terms.isdisjoint(leaf_terms):
                found.update(records)
        return found


def _bm25(searcher, fieldname: str, text: bytes):
    """``score(weight, length)`` of a term as Whoosh's ``BM25FScorer`` computes it, or None (another model,
    a field without lengths). Its statistics are the whole index's, so one function serves every segment,
    where Whoosh builds a scorer a segment."""
    weighting = searcher.weighting
    if type(weighting) is not BM25F or not searcher.schema[fieldname].scorable:
        return None
    idf, avgfl = searcher.idf(fieldname, text), searcher.avg_field_length(fieldname) or 1
    b, k1 = weighting._field_B.get(fieldname, weighting.B), weighting.K1
    return lambda weight, length: bm25(idf, weight, length, avgfl, b, k1)


def _block_scores(m: W3LeafMatcher, score, lengths: bytes, offset: int, found: Scores, deleted, targets) -> None:
    """Whoosh's score of each posting of ``m`` (only at ``targets``, sorted, if given), read a block at a time.

    The same as Whoosh's ``scorer.score(m)`` posting by posting (``score(weight, field length)``), without the
    matcher's ``is_active``/``id``/``weight``/``next`` calls and the length column's lookup around each
    one: most of the cost of reading a common word's postings. With ``targets``, a block that ends before
    the next target is passed by its header alone. whoosh3 is pinned, so its block attributes are known.
    """
    t, last = 0, len(targets) if targets is not None else 0
    while m.is_active():
        if targets is not None:
            if t == last:
                return
            if m._maxid < targets[t]:
                m._next_block()
                continue
        m._read_ids()
        m._read_weights()
        ids, weights = m._ids, m._weights
        for i in range(m._i, m._blocklength):
            docnum = ids[i]
            if targets is not None:
                while t < last and targets[t] < docnum:
                    t += 1
                if t == last:
                    return
                if targets[t] != docnum:
                    continue
            if docnum not in deleted:
                found[docnum + offset] = score(weights[i], _LENGTH_OF_BYTE[lengths[docnum]])
        m._next_block()


def _values_at(m, wanted: list[int]) -> dict[int, bytes]:
    """The posting values (a word's positions) of ``m`` at the records ``wanted`` (sorted, all of them in
    its postings): block by block when they are many, skipping to each when they are few."""
    if type(m) is FilterMatcher:  # deletions: ``wanted`` holds no deleted record, the raw postings will do
        m = m.child
    values: dict[int, bytes] = {}
    if type(m) is W3LeafMatcher and len(wanted) > 64:
        keep = set(wanted)
        while m.is_active():
            m._read_ids()
            ids = m._ids
            if not keep.isdisjoint(ids):
                m._read_values()
                block = m._values
                for i in range(m._i, m._blocklength):
                    if ids[i] in keep:
                        values[ids[i]] = block[i]
            m._next_block()
        return values
    for docnum in wanted:
        m.skip_to(docnum)
        values[docnum] = m.value()
    return values


# Whoosh stores a field's length per record in one byte (``doc_field_length``: 0 reads as None).
_LENGTH_OF_BYTE = [None, *(byte_to_length(b) for b in range(1, 256))]


def _in_segment(records: list[int], offset: int, count: int) -> list[int]:
    """The numbers of ``records`` (sorted) that belong to the segment starting at ``offset``."""
    return records[bisect_left(records, offset) : bisect_left(records, offset + count)]


def _tree_sum(values: list[float]) -> float:
    """``values`` added as Whoosh's ``make_binary_tree`` of intersections adds its matchers' scores."""
    if len(values) == 1:
        return values[0]
    half = len(values) // 2
    return _tree_sum(values[:half]) + _tree_sum(values[half:])
