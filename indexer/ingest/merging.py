"""Which segments a commit keeps, merges or drops, so that the index holds what the collection holds.

Why: Whoosh marks a replaced or removed record deleted and keeps it in its
segment until that segment is merged, and its default policy (``MERGE_SMALL``)
merges only runs of five or more small segments. Every ``--rebuild`` and every
reindex of changed files left the old records behind: after four rebuilds of
the bundled collection its index held 1,388 records for 347 live ones (29 MB
for 7.4), searches read the dead postings too, and the scores were not a fresh
build's (BM25's document frequencies and average field lengths count deleted
records), so one query ranked two indexes of the same files differently.

Like Lucene's ``TieredMergePolicy`` (which rewrites a segment once a third of
it is deleted), a run's last commit drops every segment with no live record
(free: its files are removed) and rewrites every segment more than a quarter
deleted (its live records copied into the new segment), then merges small
segments as Whoosh does. Commits in the middle of a run only drop dead
segments: a rebuild deletes the old segments a batch at a time, and rewriting
one that is about to die would copy the same records again and again.

A copied segment keeps its exact field lengths. Whoosh's ``add_reader`` sums
the one-byte length it keeps of each record (exact to 1 %), so every merge
moved a field's average length, and with it every BM25 score, by up to 1–2 %:
the same files ranked a little differently after a different history of
commits. ``copy_records`` restores the segment's own total, less the one-byte
lengths of its deleted records (exact when nothing was deleted).
"""

from __future__ import annotations

from whoosh.reading import SegmentReader
from whoosh.writing import MERGE_SMALL

RECLAIM_SHARE = 0.25  # a segment with more than this share of its records deleted is rewritten at a run's end


def copy_records(writer, reader) -> None:
    """``writer.add_reader(reader)`` (the live records of a segment), keeping its scorable fields' exact lengths."""
    lengths = writer.perdocwriter._fieldlengths  # whoosh3 is pinned: its per-document writer's running totals
    names = [name for name in writer.schema.scorable_names() if name in reader.indexed_field_names()]
    before = {name: lengths[name] for name in names}
    writer.add_reader(reader)
    deleted = reader.deleted_docs_set if reader.has_deletions() else ()
    for name in names:
        dead = sum(reader.doc_field_length(docnum, name) or 0 for docnum in deleted)
        exact = (reader.field_length(name) or 0) - dead
        lengths[name] += exact - (lengths[name] - before[name])


class _ExactCopies:
    """A writer as Whoosh's merge policies see it, whose ``add_reader`` is ``copy_records``."""

    def __init__(self, writer) -> None:
        self._writer = writer

    def __getattr__(self, name: str):
        return getattr(self._writer, name)

    def add_reader(self, reader) -> None:
        copy_records(self._writer, reader)


def _live(segments: list) -> list:
    return [segment for segment in segments if segment.doc_count() > 0]


def drop_dead(writer, segments: list) -> list:
    """Merge policy for a commit in the middle of a run: dead segments dropped, small ones merged."""
    return MERGE_SMALL(_ExactCopies(writer), _live(segments))


def reclaim_deleted(writer, segments: list) -> list:
    """Merge policy for a run's last commit: dead segments dropped, mostly deleted ones rewritten."""
    kept = []
    for segment in _live(segments):
        if segment.deleted_count() > RECLAIM_SHARE * segment.doc_count_all():
            reader = SegmentReader(writer.storage, writer.schema, segment)
            try:
                copy_records(writer, reader)  # the live records only
            finally:
                reader.close()
        else:
            kept.append(segment)
    return MERGE_SMALL(_ExactCopies(writer), kept)


__all__ = ["RECLAIM_SHARE", "copy_records", "drop_dead", "reclaim_deleted"]
