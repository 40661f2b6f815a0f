"""Queries evaluated a set at a time match the records Whoosh's matchers match, with Whoosh's scores and terms."""

import shutil

import pytest
from whoosh.query import And, Not, Or, Phrase, Require, Term

from indexer.query.builder import build, documents_query, unions
from indexer.query.evaluate import Evaluation, TermScores
from indexer.query.request import SearchRequest
from indexer.search import best_pages
from indexer.storage.index import open_index
from indexer.storage.records import term_text

TEXTS = [
    # Questions and plain words, understood (thesaurus labels in four languages, phrases among them).
    "what worked in Barcelona",
    "housing for refugees",
    "Mentoring für zugewanderte Frauen",
    "vivienda para refugiados en Madrid",
    "jobs for newcomers in Toronto",
    "integration",
    # A reader's syntax, taken literally.
    "housing AND NOT London",
    "(work OR jobs) AND city",
    "housing NOT (London OR Toronto)",
    '"good idea"',
    '"local government" OR "city council"',
    '"integration city"~3',
    "integr*",
    "title:city",
    "NOT housing",
    "housing^2 work",
    "welcome AND (language OR school) AND NOT refugees",
]
FILTERS = [{}, {"lang": ["en"]}, {"theme": ["Work", "Live"]}]
TEXT_FIELDS = ("title", "content_", "document_")


def _whoosh(searcher, query) -> dict[int, float]:
    return {docnum: score for score, docnum in searcher.search(query, limit=None).top_n}


def _text_terms(terms) -> set:
    return {(field, term_text(text)) for field, text in terms if field.startswith(TEXT_FIELDS)}


def _reference_terms(searcher, query) -> dict[int, set]:
    """The terms of the terms and phrases that matched each record, every query above them matching it too,
    from Whoosh's own searches of each part of the query. (Whoosh's ``terms=True`` counts a phrase's words
    wherever its matchers happen to stand, also where the words are not side by side.)"""
    found: dict[int, set] = {}

    def walk(query, where: set) -> None:
        if not where or isinstance(query, Not):
            return
        matched = where & set(_whoosh(searcher, query))
        if isinstance(query, Term | Phrase):
            field = searcher.schema[query.fieldname]
            words = [query.text] if isinstance(query, Term) else query.words
            for docnum in matched:
                found.setdefault(docnum, set()).update((query.fieldname, field.to_bytes(w)) for w in words)
        elif query.is_leaf():  # a wildcard: its words that the record holds
            docterms = searcher.search(query, limit=None, terms=True).docterms
            for docnum in matched:
                found.setdefault(docnum, set()).update(docterms.get(docnum, ()))
        else:
            for child in query.children():
                walk(child, matched)

    walk(query, set(_whoosh(searcher, query)))
    return {docnum: _text_terms(terms) for docnum, terms in found.items()}


def _same_scores(ours: dict, theirs: dict) -> None:
    assert ours.keys() == theirs.keys()
    for docnum, score in theirs.items():
        assert ours[docnum] == pytest.approx(score, rel=1e-12), docnum


def _compare_on_documents(ix, searcher) -> int:
    kept, compared = TermScores(4096), 0
    for text in TEXTS:
        built = build(ix, searcher, text)
        for filters in FILTERS:
            query = Require(built.doc_query, documents_query(SearchRequest(q=text, filters=filters)))
            theirs, their_terms = _whoosh(searcher, query), _reference_terms(searcher, query)
            for _ in range(2):  # terms read afresh, then from the kept scores
                evaluation = Evaluation(searcher, kept, terms=True)
                _same_scores(evaluation.scores(query), theirs)
                ours = {d: _text_terms(terms) for d, terms in evaluation.matched_terms().items()}
                assert {d: terms for d, terms in ours.items() if terms} == {
                    d: terms for d, terms in their_terms.items() if terms
                }, text
                for concept in built.concepts:  # a question's coordination counts the records matching each
                    words = {(field, term_text(t)) for field, t in concept.iter_all_terms()}
                    assert evaluation.matching(words) & theirs.keys() == {
                        d for d, terms in their_terms.items() if terms & words
                    }
            compared += len(theirs)
    return compared


def test_documents_match_and_score_as_with_whooshs_matchers(corpus_index):
    ix = open_index(corpus_index)
    with ix.searcher() as searcher:
        assert _compare_on_documents(ix, searcher) > 500


def test_the_same_on_an_index_whose_segments_have_deletions(corpus_index, tmp_path):
    copy = tmp_path / "index"
    shutil.copytree(corpus_index, copy)
    ix = open_index(copy)
    with ix.searcher() as searcher:
        doc_ids = sorted({fields["doc_id"] for fields in searcher.documents(kind="doc")})
    writer = ix.writer()
    for doc_id in doc_ids[::5]:
        writer.delete_by_term("doc_id", doc_id)
    writer.commit(merge=False)
    with ix.searcher() as searcher:
        assert searcher.reader().has_deletions()
        assert _compare_on_documents(ix, searcher) > 300


def test_pages_within_the_documents_shown_match_as_a_restricted_search(corpus_index):
    ix = open_index(corpus_index)
    with ix.searcher() as searcher:
        column = list(searcher.reader().column_reader("doc_id"))
        checked = 0
        for text in TEXTS:
            built = build(ix, searcher, text)
            if built.page_query is None:
                continue
            documents = _whoosh(searcher, Require(built.doc_query, Term("kind", "doc")))
            shown = [column[d] for d in sorted(documents, key=lambda d: -documents[d])[:6]]
            theirs = And([Term("kind", "page"), unions(Or([Term("doc_id", d) for d in shown]))])
            pages = [n for n in searcher.docs_for_query(theirs)]
            scores = _whoosh(searcher, Require(built.page_query, theirs))
            _same_scores(Evaluation(searcher, within=pages).scores(built.page_query), scores)
            # What a hit shows: its best pages, as Whoosh's restricted search ranks them.
            ranked: dict[str, list[tuple[int, float]]] = {}
            for docnum, score in sorted(scores.items(), key=lambda item: (-item[1], item[0])):
                ranked.setdefault(column[docnum], []).append((searcher.stored_fields(docnum)["page"], score))
            best = best_pages(ix, searcher, built, shown, limit=None)
            assert {d: [p["page"] for p in found] for d, found in best.items()} == {
                d: [page for page, _ in found] for d, found in ranked.items()
            }, text
            for d, found in best.items():
                assert [p["score"] for p in found] == [round(score, 4) for _, score in ranked[d]]
            checked += sum(len(found) for found in ranked.values())
        assert checked > 100
