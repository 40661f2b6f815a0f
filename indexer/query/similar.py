"""Similar practices in other cities: more-like-this across the four languages.

A document's likeness is read from its own pages: its key terms (in its own
language's field) and the thesaurus concepts it names most, each concept
searched through its labels in all four languages, so a Spanish profile on
anti-rumour agents finds the German and French ones on prejudice and
rumours. The document itself, its other language versions and every
document about one of its cities are left out: the point is what other
cities did.
"""

from __future__ import annotations

from collections import Counter

from whoosh.query import Or, Term

from indexer.lexicon.thesaurus import Thesaurus, analyze
from indexer.query.expand import text_query
from indexer.query.translations import group_versions, translation_groups
from indexer.storage.records import hit_summary, split_values
from indexer.storage.schema import content_field
from indexer.vocabulary import LANGUAGES

KEY_TERMS = 12
CONCEPTS = 10
LABELS_PER_LANGUAGE = 3
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
    return Or(clauses) if clauses else None


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
    similar = []
    for shown, versions in group_versions(candidates, groups, ui_lang)[:limit]:
        # The reader's language version, even when another version is the one that matched.
        readers = next((v["id"] for v in versions if v["lang"] == ui_lang), shown)
        fields = stored.get(readers) or searcher.document(id=readers, kind="doc") or stored[shown]
        hit = hit_summary(fields, best[shown])
        hit["versions"] = versions
        similar.append(hit)
    return similar
