"""Similar practices in other cities: more-like-this across the four languages.

A document's likeness is read from its own pages: its key terms (in its own
language's field) and the thesaurus concepts it names most, each concept
searched through its labels in all four languages, so a Spanish profile on
anti-rumour agents finds the German and French ones on prejudice and
rumours. The document itself, its other language versions and every
document about one of its cities are left out: the point is what other
cities did.

The list is diversified by maximal marginal relevance (Carbonell & Goldstein
1998): each next document is the one whose likeness, less its overlap with
the documents already chosen, is highest. Overlap is shared places (cities,
else countries); documents about no city at all overlap each other fully.
Without it, the same two or three survey reports, whose many pages match
almost anything, took half of all the slots over the collection (they were
about no city then; now they are about the many cities they discuss, which
leaves them out of the lists of those cities' documents).
"""

from __future__ import annotations

from collections import Counter

from whoosh.query import Or, Term

from indexer.lexicon.thesaurus import Thesaurus, analyze
from indexer.query.builder import unions
from indexer.query.expand import text_query
from indexer.query.translations import group_versions, translation_groups
from indexer.storage.records import hit_summary, split_values
from indexer.storage.schema import content_field
from indexer.vocabulary import LANGUAGES

KEY_TERMS = 12
CONCEPTS = 10
LABELS_PER_LANGUAGE = 3
MMR_LAMBDA = 0.6  # weight of likeness against overlap with the documents already chosen
MMR_POOL = 40  # candidates considered, best first
KEY_TERM_CHARS = 60_000  # enough text to read a document's likeness; a 1,400-page PDF is not read whole


def _own_text(searcher, doc_id: str) -> str:
    chunks, size = [], 0
    for fields in sorted(searcher.documents(doc_id=doc_id, kind="page"), key=lambda f: f.get("page") or 0):
        chunks.append(fields.get("text") or "")
        size += len(chunks[-1])
        if size >= KEY_TERM_CHARS:
            break
    return " ".join(chunks)[:KEY_TERM_CHARS]


def likeness_query(searcher, lang: str, text: str):
    """A query for pages like ``text`` (in ``lang``): its key terms, and its main concepts in every language."""
    field = content_field(lang)
    clauses = [Term(field, term, boost=weight) for term, weight in searcher.key_terms_from_text(field, text, KEY_TERMS)]
    thesaurus = Thesaurus.load()
    concepts = Counter(concept for _, _, concept in thesaurus.match_in_text(analyze(text, lang), lang))
    for concept, _ in concepts.most_common(CONCEPTS):
        for language in LANGUAGES:
            for label in concept.labels.get(language, ())[:LABELS_PER_LANGUAGE]:
                query = text_query(searcher.schema, content_field(language), label)
                if query is not None:
                    clauses.append(query)
    return unions(Or(clauses)) if clauses else None


def _places(fields: dict) -> frozenset[str]:
    return frozenset(split_values(fields.get("city")) or split_values(fields.get("country")))


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """How much two documents are about the same places (Jaccard); two documents about no place overlap fully."""
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def diversify(pool: list, scores: dict[str, float], places: dict[str, frozenset[str]], limit: int) -> list:
    """Maximal marginal relevance: ``limit`` items of ``pool`` ((doc_id, versions), best first), each the best
    trade-off of likeness (``scores``, scaled to the best) against overlap with those already chosen."""
    if not pool:
        return []
    top = max(scores[doc_id] for doc_id, _ in pool) or 1.0
    chosen: list = []
    left = list(pool)
    while left and len(chosen) < limit:

        def gain(item) -> float:
            redundancy = max((overlap(places[item[0]], places[c[0]]) for c in chosen), default=0.0)
            return MMR_LAMBDA * scores[item[0]] / top - (1 - MMR_LAMBDA) * redundancy

        best_item = max(left, key=gain)  # max keeps the first of equals: the likelier one
        chosen.append(best_item)
        left.remove(best_item)
    return chosen


def similar_documents(
    searcher, doc_id: str, limit: int = 5, ui_lang: str | None = None, groups: dict | None = None
) -> list[dict]:
    """Documents like ``doc_id`` about other cities, best first, one hit per document with its versions.

    :param groups: ``translation_groups(searcher)``, when the caller has it already
    """
    fields = searcher.document(id=doc_id, kind="doc")
    text = _own_text(searcher, doc_id)
    if not fields or not fields.get("lang") or not text.strip():
        return []
    query = likeness_query(searcher, fields["lang"], text)
    if query is None:
        return []
    groups = translation_groups(searcher) if groups is None else groups
    excluded = {doc_id} | {version["id"] for version in groups.get(doc_id, [])}
    own_cities = set(split_values(fields.get("city")))
    doc_ids = searcher.reader().column_reader("doc_id")
    best: dict[str, float] = {}
    for score, docnum in searcher.search(query, filter=Term("kind", "page"), limit=500).top_n:
        other = doc_ids[docnum]
        if other not in excluded:
            best[other] = max(best.get(other, 0.0), score)
    stored = {other: searcher.document(id=other, kind="doc") or {} for other in best}
    candidates = [
        other
        for other in sorted(best, key=lambda d: (-best[d], d))
        if not own_cities & set(split_values(stored[other].get("city")))
    ]
    pool = group_versions(candidates, groups, ui_lang)[:MMR_POOL]
    places = {other: _places(stored.get(other) or {}) for other, _ in pool}
    similar = []
    for shown, versions in diversify(pool, best, places, limit):
        # The reader's language version, even when another version is the one that matched.
        readers = next((v["id"] for v in versions if v["lang"] == ui_lang), shown)
        fields = stored.get(readers) or searcher.document(id=readers, kind="doc") or stored[shown]
        hit = hit_summary(fields, best[shown])
        hit["versions"] = versions
        similar.append(hit)
    return similar
