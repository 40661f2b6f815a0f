"""Index terms prepared in the extraction workers give the index that analysing the text in the writer gives.

The workers analyse each page once (``indexer.ingest.postings``); the writer
takes those terms for the page records and, shifted to the joined text's
positions, for the document record. Compared here posting by posting with
Whoosh's own analysis of the same text, on real files and a real index.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

import indexer.ingest.index_records as index_records
from indexer.config import IndexConfig
from indexer.ingest.postings import DocumentTerms, Prepared, _PreparedField, accepts_prepared, analyse_page
from indexer.ingest.writer import index_paths
from indexer.storage.index import INDEX_NAME
from indexer.storage.schema import build_schema, content_field
from indexer.text import join_pages
from tests.pdfs import PROSE, write_tex_like_pdf

REPO = Path(__file__).resolve().parent.parent
VOLATILE = {"indexed_at"}  # when a record was written

# Pages with the edge cases of positions: leading stop words, stop words only, no word at all,
# one-letter words (dropped by the stop filter), accents folded before stemming, repeated words.
EDGE_PAGES = {
    "en": ["The city of Toronto and the city of Lisbon", "of the and a", "!!! … ---", "a b c integration", "the"],
    "de": ["Die Stadt und die Städte der Zukunft", "der die das", "Straße Strasse STRASSE", "und"],
    "es": ["La integración de los inmigrantes en la ciudad", "de la y", "integracion integración"],
    "fr": ["Les villes et les habitants de la ville", "de la et", "Égalité égalité"],
}


def _analysed(field, value):
    return list(field.index(value)), list(field.spellable_words(value))


def _prepared(field, value: Prepared):
    wrapped = _PreparedField(field)
    return list(wrapped.index(value)), list(wrapped.spellable_words(value))


@pytest.mark.parametrize("lang", sorted(EDGE_PAGES))
def test_page_and_document_terms_equal_whooshs_analysis_of_the_text(lang):
    schema = build_schema()
    field = schema[content_field(lang)]
    prose = PROSE[lang]
    orders = [
        [prose, *EDGE_PAGES[lang]],
        [*EDGE_PAGES[lang], prose],  # the document's first pages hold no term at all
        EDGE_PAGES[lang][1:2] * 3 + [prose, prose],
    ]
    for pages in orders:
        document = DocumentTerms()
        for text in pages:
            page = analyse_page(text, lang)
            assert _prepared(field, Prepared.of_page(page)) == _analysed(field, text), text
            document.add(page)
        assert _prepared(field, document.value()) == _analysed(field, join_pages(pages))


def test_prepared_terms_are_taken_only_by_a_field_that_analyses_alike(tmp_path):
    ix = whoosh_index.create_in(str(tmp_path), build_schema())
    assert accepts_prepared(ix.schema, content_field("en"), "en")
    assert not accepts_prepared(ix.schema, content_field("de"), "en")
    assert not accepts_prepared(ix.schema, "title", "en")


def index_content(index_dir: Path) -> tuple[dict, dict, dict]:
    """Stored fields, postings and field lengths of an index, keyed by record id instead of document number."""
    ix = whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME)
    with ix.searcher() as searcher:
        reader = searcher.reader()
        ids = {docnum: fields["id"] for docnum, fields in reader.iter_docs()}
        stored = {
            fields["id"]: {k: v for k, v in fields.items() if k not in VOLATILE} for _, fields in reader.iter_docs()
        }
        postings = {}
        for name, term in reader.all_terms():
            if name in VOLATILE:
                continue
            matcher = reader.postings(name, term)
            found = []
            while matcher.is_active():
                # The spelling vocabulary's postings all name document 0: keep the number itself.
                record = matcher.id() if name.startswith("spell_") else ids[matcher.id()]
                found.append((record, matcher.weight(), matcher.value()))
                matcher.next()
            postings[(name, term)] = sorted(found, key=repr)
        lengths = {
            (name, record): reader.doc_field_length(docnum, name)
            for name in searcher.schema.names()
            if searcher.schema[name].scorable
            for docnum, record in ids.items()
        }
    return stored, postings, lengths


@pytest.fixture(scope="module")
def mixed_collection(collection, tmp_path_factory) -> Path:
    """The shared four-language collection plus real documents of corpus/: a bilingual report, profiles, posts."""
    root = tmp_path_factory.mktemp("mixed")
    shutil.copytree(collection, root / "collection")
    for relpath in (
        "good-ideas/auckland-omega-en.pdf",
        "good-ideas/auckland-omega-fr.pdf",
        "good-ideas/auckland-walking-school-bus-de.pdf",
        "blog/estrategia-antirrumores-barcelona-es.md",
        "blog/gute-ideen-reisen-de.html",
    ):
        target = root / "corpus" / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / "corpus" / relpath, target)
    reports = sorted((REPO / "corpus" / "reports").glob("*.pdf"), key=lambda p: p.stat().st_size)
    shutil.copy2(reports[0], root / "corpus" / reports[0].name)
    write_tex_like_pdf(root / "tex-like.pdf", " ".join([PROSE["en"]] * 2))  # glued words, repaired
    return root


def test_an_index_written_from_prepared_terms_equals_one_written_from_the_text(mixed_collection, tmp_path, monkeypatch):
    prepared = index_paths([mixed_collection], IndexConfig(index_dir=tmp_path / "prepared", jobs=1))
    monkeypatch.setattr(index_records, "accepts_prepared", lambda *args: False)  # Whoosh analyses the text
    from_text = index_paths([mixed_collection], IndexConfig(index_dir=tmp_path / "text", jobs=1))
    assert (prepared.added, prepared.pages, prepared.failed) == (from_text.added, from_text.pages, [])
    assert prepared.added >= 12
    stored, postings, lengths = index_content(tmp_path / "prepared")
    assert any(name.startswith("spell_") for name, _ in postings)
    assert (stored, postings, lengths) == index_content(tmp_path / "text")


def test_worker_processes_leave_enrichment_to_the_writer_and_give_the_same_index(mixed_collection, tmp_path):
    alone = index_paths([mixed_collection], IndexConfig(index_dir=tmp_path / "one", jobs=1))
    workers = index_paths([mixed_collection], IndexConfig(index_dir=tmp_path / "two", jobs=2))
    assert (workers.added, workers.pages, workers.warnings) == (alone.added, alone.pages, alone.warnings)
    one, two = index_content(tmp_path / "one"), index_content(tmp_path / "two")
    assert any(fields.get("city") for fields in one[0].values())  # enriched: facets were found
    assert one == two


def _crash_on_doomed(source, known_hash, spool_dir, timeout, enrich_facets=True):
    """``process_file``, except that the process dies on a file named doomed.pdf (as on a segfault)."""
    import os

    from indexer.ingest.pipeline import process_file

    if source.path.name == "doomed.pdf":
        os._exit(1)
    return process_file(source, known_hash, spool_dir, timeout, enrich_facets)


def test_a_crashed_worker_fails_its_file_and_every_other_file_is_indexed(collection, tmp_path, monkeypatch):
    import indexer.ingest.tasks as tasks

    root = tmp_path / "files"
    shutil.copytree(collection, root)
    shutil.copy2(root / "report-en.pdf", root / "doomed.pdf")
    (root / "doomed.pdf").write_bytes((root / "doomed.pdf").read_bytes() + b"\n% another file\n")
    monkeypatch.setattr(tasks, "process_file", _crash_on_doomed)
    report = index_paths([root], IndexConfig(index_dir=tmp_path / "index", jobs=2))
    files = sum(1 for path in root.rglob("*") if path.is_file())
    failed = {Path(entry["path"]).name for entry in report.failed}
    assert "doomed.pdf" in failed
    assert report.added + len(report.failed) == files
    # At most the files in flight with it fail (the pool breaks for all of them); none is lost.
    assert len(report.failed) <= tasks.IN_FLIGHT_PER_WORKER * 2
