"""The thesaurus labels' scores prepared by the indexing run: the same scores and results as computed, and
only ever read for the index version they were computed on."""

import json
import shutil
import time

from indexer.lexicon.thesaurus import Thesaurus
from indexer.query import evaluate
from indexer.query.evaluate import Evaluation
from indexer.query.prepared import label_queries
from indexer.search import SearchRequest, search
from indexer.storage import prepared
from indexer.storage.index import open_index
from tests.conftest import build_collection, run_cli
from tests.pdfs import write_prose_pdf

QUESTIONS = ["what worked in Barcelona", "Mentoring für zugewanderte Frauen", "vivienda para refugiados", "kommunen"]


def _files(index_dir):
    return sorted(index_dir.glob(f"{prepared.PREFIX}*.pickle"))


def _results(index_dir) -> list:
    ix = open_index(index_dir)  # a new index object: its own per-version caches
    found = []
    for q in QUESTIONS:
        result = search(ix, SearchRequest(q=q, per_page=20), cache=False)
        found.append([(hit["id"], hit["score"], [p["page"] for p in hit["pages"]]) for hit in result["hits"]])
    return found


def test_index_run_prepares_every_label_with_the_scores_a_search_computes(corpus_index):
    assert len(_files(corpus_index)) == 1
    ix = open_index(corpus_index)
    with ix.searcher() as searcher:
        stored = prepared.read(corpus_index, searcher)
        assert ("phrase", "document_en", ("local", "govern")) in stored  # "local government", stemmed
        checked = 0
        for query in label_queries(ix.schema, Thesaurus.load()):
            if hasattr(query, "words"):
                key = ("phrase", query.fieldname, tuple(query.words))
            else:
                key = ("term", query.fieldname, ix.schema[query.fieldname].to_bytes(query.text))
            if key in stored:
                numbers, scores = stored[key]
                assert dict(zip(numbers, scores, strict=True)) == Evaluation(searcher).scores(query), key
                checked += 1
        assert checked > 1000  # a label the collection lacks has no postings to keep


def test_results_are_the_same_without_the_file_and_with_a_damaged_one(corpus_index, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(corpus_index, copy)
    with_file = _results(copy)
    assert any(with_file)
    (file,) = _files(copy)
    file.unlink()
    assert _results(copy) == with_file
    file.write_bytes(b"not a pickle")
    assert _results(copy) == with_file


def test_a_new_version_gets_its_own_file_and_the_old_one_is_never_read(tmp_path):
    collection = build_collection(tmp_path / "collection")
    index_dir = tmp_path / "index"
    assert run_cli("index", collection, "--index", index_dir).exit_code == 0
    (first,) = _files(index_dir)
    old = first.read_bytes()
    write_prose_pdf(collection / "added.pdf", "en", pages=2, title="Housing in Lisbon")
    assert run_cli("index", collection, "--index", index_dir).exit_code == 0
    (second,) = _files(index_dir)
    assert second != first
    ix = open_index(index_dir)
    with ix.searcher() as searcher:
        assert prepared.read(index_dir, searcher)
        second.unlink()
        first.write_bytes(old)  # the last version's file, back under its own name: not this version's
        assert prepared.read(index_dir, searcher) == {}
        second.write_bytes(old)  # and under this version's name: its recorded version does not match
        assert prepared.read(index_dir, searcher) == {}


def test_a_background_preparation_outlives_the_run_and_a_reader_of_the_version_picks_it_up(tmp_path, monkeypatch):
    collection = build_collection(tmp_path / "collection")
    index_dir = tmp_path / "index"
    assert run_cli("index", collection, "--index", index_dir, "--labels", "wait").exit_code == 0
    write_prose_pdf(collection / "added.pdf", "en", pages=2, title="Housing in Lisbon")
    monkeypatch.setattr(evaluate, "RECHECK_SECONDS", 0.0)
    result = run_cli("index", collection, "--index", index_dir, "--labels", "background", "--json")
    assert result.exit_code == 0 and json.loads(result.output)["added"] == 1
    with open_index(index_dir).searcher() as searcher:
        deadline = time.monotonic() + 120
        while not prepared.written(index_dir, searcher) and time.monotonic() < deadline:
            time.sleep(0.2)  # a process of its own, started by the run and still working after it returned
        assert prepared.written(index_dir, searcher)
    (file,) = _files(index_dir)  # the last version's file removed
    aside = file.rename(tmp_path / file.name)
    ix = open_index(index_dir)
    with ix.searcher() as searcher:
        kept = evaluate.term_scores(ix, searcher)  # a reader of this version before its file is there
        assert kept.fixed == {}
        aside.rename(file)
        assert evaluate.term_scores(ix, searcher) is kept
        assert kept.fixed == prepared.read(index_dir, searcher) != {}, "it takes the file up once it is there"
