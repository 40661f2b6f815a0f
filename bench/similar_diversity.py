"""How varied "similar practices in other cities" is over a whole collection, with and without MMR.

    python -m bench.similar_diversity [--index DIR] [COLLECTION]

Indexes COLLECTION (default corpus/) into a temporary folder unless ``--index``
names an index, then lists the similar documents of every document twice: by
likeness alone (``MMR_LAMBDA = 1``) and diversified (the module's setting).
Prints, for each: the slots filled, distinct documents shown, the share of slots
the three most shown documents take, and the lists holding two or more documents
about no city (the survey reports).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from indexer.query import similar
from indexer.query.translations import translation_groups
from indexer.storage.index import open_index
from indexer.storage.records import split_values

REPO = Path(__file__).resolve().parent.parent


def measure(index_dir: Path) -> dict:
    """The figures of one run of similar_documents over every document."""
    ix = open_index(index_dir)
    with ix.searcher() as searcher:
        groups = translation_groups(searcher)
        records = {fields["doc_id"]: fields for fields in searcher.documents(kind="doc")}
        shown: Counter = Counter()
        slots = crowded = 0
        for doc_id in records:
            hits = similar.similar_documents(searcher, doc_id, groups=groups)
            slots += len(hits)
            shown.update(hit["id"] for hit in hits)
            crowded += sum(1 for hit in hits if not split_values(records[hit["id"]].get("city"))) >= 2
    top3 = sum(n for _, n in shown.most_common(3))
    return {
        "documents": len(records),
        "slots": slots,
        "distinct": len(shown),
        "top3_share": round(top3 / slots, 3) if slots else 0.0,
        "lists_with_2_cityless": crowded,
    }


def main() -> None:
    """Index if needed, measure both ways, print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("collection", nargs="?", default=str(REPO / "corpus"))
    parser.add_argument("--index")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        index_dir = Path(args.index or tmp)
        if not args.index:
            command = [sys.executable, "-m", "indexer", "index", args.collection, "--index", str(index_dir)]
            subprocess.run(command, check=True, capture_output=True)
        tuned = similar.MMR_LAMBDA
        rows = []
        for name, weight in (("likeness only", 1.0), (f"MMR, lambda {tuned}", tuned)):
            similar.MMR_LAMBDA = weight
            rows.append((name, measure(index_dir)))
        similar.MMR_LAMBDA = tuned
    print(f"{'':18} {'slots':>6} {'distinct':>9} {'top-3 share':>12} {'lists with 2+ city-less':>24}")
    for name, row in rows:
        print(
            f"{name:18} {row['slots']:>6} {row['distinct']:>9} {row['top3_share']:>12.3f} "
            f"{row['lists_with_2_cityless']:>24}"
        )


if __name__ == "__main__":
    main()
