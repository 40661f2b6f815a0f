"""The thesaurus labels' scores on document records, computed by the indexing run that makes a version.

Why: a question or a word with a concept expands to 20-30 thesaurus labels in
four languages, half of them phrases ("local government", "gobierno local"),
and a phrase on document records means reading every candidate report's
positions of its words. Kept per index version (``evaluate.TermScores``), a
label costs that only once, but once per process and per version: each server
worker paid it again for every concept on its first question about it (on the
scaled collection most of the slowest tenth of the one- and two-word
searches, 40-80 ms of cold labels each). The labels are few (about 3,000
terms and phrases, 8.5 MB of scores on the scaled collection) and known
before anyone asks, so they are computed once after a commit (4.7 s on the
scaled collection, a fraction of a second on the bundled one) and written
beside the index (``indexer.storage.prepared``); every process
reading that version starts with them (``evaluate.term_scores``). On a large
index ``citymig index`` leaves them to a process of its own, so that a rerun
returns when its documents are searchable (``indexer.cli.common.prepare_labels``).
"""

from __future__ import annotations

from pathlib import Path

from indexer.errors import CitymigError
from indexer.lexicon.thesaurus import Thesaurus
from indexer.query.builder import on_documents
from indexer.query.evaluate import Evaluation, TermScores
from indexer.query.expand import text_query
from indexer.storage import prepared
from indexer.storage.index import open_index
from indexer.storage.schema import content_field


def label_queries(schema, thesaurus: Thesaurus) -> list:
    """Every label of every concept as query understanding puts it on document records."""
    queries = []
    for concept in thesaurus.concepts:
        for lang, labels in concept.labels.items():
            for label in labels:
                query = text_query(schema, content_field(lang), label)
                if query is not None:
                    queries.append(on_documents(query))
    return queries


def prepare(index_dir: Path, thesaurus: Thesaurus | None = None) -> bool:
    """Compute and write the labels' scores for the index's latest version, unless they are there already.

    True when it computed and wrote them. Run after a commit, by whoever committed (``citymig index``, the librarian's
    reindex, ``serve`` building its first index); without it the labels are computed when first asked for.
    """
    ix = open_index(index_dir, mapped=False)  # after the writer, in its process: no mapped pages in its RSS
    with ix.searcher() as searcher:
        if prepared.written(index_dir, searcher):
            return False
        queries = label_queries(ix.schema, thesaurus or Thesaurus.load())
        kept = TermScores(size=4 * len(queries))  # every label and each word of its phrases, none forgotten
        evaluation = Evaluation(searcher, kept)
        for query in queries:
            evaluation.scores(query)
        if ix.latest_generation() != searcher.reader().generation():
            return False  # committed again meanwhile (prepared in the background): the next version's run prepares
        scores = {key: value for key, value in kept.results.items() if key[0] in ("term", "phrase")}
        prepared.write(index_dir, searcher, scores)  # not the segments' length columns, also kept there
    return True


def unprepared_records(index_dir: Path) -> int | None:
    """The records of the index's latest version when its labels' scores are not written yet, else None
    (prepared, or no index): what preparing them would read, about 0.1 ms a record."""
    try:
        ix = open_index(index_dir, mapped=False)
    except CitymigError:
        return None
    with ix.searcher() as searcher:
        return None if prepared.written(index_dir, searcher) else searcher.doc_count_all()


def prepare_after_commit(index_dir: Path) -> str | None:
    """``prepare`` as a committing run calls it: None, or why it could not (a full disk, no index), which costs
    only speed (the labels are then computed when first asked for), so the run that committed still succeeded."""
    try:
        prepare(index_dir)
    except (OSError, CitymigError) as error:
        return str(error)
    return None
