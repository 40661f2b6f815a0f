"""Facet and ranking quality against the gold labels of the bundled collection.

    python -m bench.facet_quality [INDEX_DIR]   # default: an index of corpus/ built in bench/cache/

Prints precision and recall per facet (micro-averaged over documents),
year exactness, theme macro-F1, document-level language accuracy, and the
ranking of the evaluation questions (success@1, success@3, MRR).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from indexer.search import SearchRequest, search
from indexer.storage.index import open_index

REPO = Path(__file__).resolve().parent.parent
GOLD = REPO / "tests" / "data" / "gold.json"
QUERIES = REPO / "tests" / "data" / "queries.json"
CORPUS = REPO / "corpus"
GOALS = {"city": (0.95, 0.90), "country": (0.95, 0.95)}


def _prf(pairs: list[tuple[set, set]]) -> dict:
    tp = sum(len(found & gold) for found, gold in pairs)
    found_n = sum(len(found) for found, _ in pairs)
    gold_n = sum(len(gold) for _, gold in pairs)
    precision = tp / found_n if found_n else 1.0
    recall = tp / gold_n if gold_n else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}


def _theme_macro_f1(pairs: list[tuple[set, set]]) -> float:
    themes = {t for found, gold in pairs for t in found | gold}
    scores = [_prf([({t} & found, {t} & gold) for found, gold in pairs])["f1"] for t in sorted(themes)]
    return round(sum(scores) / len(scores), 3) if scores else 0.0


def facet_scores(index_dir: Path) -> dict:
    """Compare every indexed document of corpus/ with its gold label."""
    gold = {entry["path"]: entry for entry in json.loads(GOLD.read_text(encoding="utf-8"))}
    ix = open_index(index_dir)
    with ix.searcher() as searcher:
        docs = {
            Path(f["path"]).relative_to(CORPUS.resolve()).as_posix(): f
            for f in searcher.documents(kind="doc")
            if Path(f["path"]).is_relative_to(CORPUS.resolve())
        }
    matched = [(docs[path], label) for path, label in gold.items() if path in docs]

    def values(fields: dict, name: str) -> set:
        return {v for v in (fields.get(name) or "").split(",") if v}

    mistakes: dict[str, list] = {}

    def pairs(name: str, gold_name: str) -> list[tuple[set, set]]:
        out = []
        for fields, label in matched:
            found, expected = values(fields, name), set(label[gold_name])
            if found != expected:
                mistakes.setdefault(name, []).append(
                    {"path": label["path"], "found": sorted(found), "gold": sorted(expected)}
                )
            out.append((found, expected))
        return out

    report = {"documents": len(matched), "missing_from_index": sorted(set(gold) - set(docs))}
    report["city"] = _prf(pairs("city", "city"))
    report["country"] = _prf(pairs("country", "country"))
    theme_pairs = pairs("theme", "themes")
    report["theme"] = {**_prf(theme_pairs), "macro_f1": _theme_macro_f1(theme_pairs)}
    for name, gold_name in (("year", "year"), ("lang", "lang"), ("doc_type", "doc_type")):
        right = 0
        for fields, label in matched:
            if fields.get(name) == label[gold_name]:
                right += 1
            else:
                mistakes.setdefault(name, []).append(
                    {"path": label["path"], "found": fields.get(name), "gold": label[gold_name]}
                )
        report[name] = {"exact": round(right / len(matched), 3) if matched else 0.0}
    report["mistakes"] = mistakes
    return report


def ranking_scores(index_dir: Path, understand: bool = True) -> dict:
    """success@1, success@3 and MRR of the evaluation queries, plain or through query understanding."""
    if not QUERIES.exists():
        return {}
    queries = json.loads(QUERIES.read_text(encoding="utf-8"))
    ix = open_index(index_dir)
    corpus = CORPUS.resolve()
    rows, s1, s3, rr, none_ok, answered = [], 0, 0, 0.0, 0, 0
    for query in queries:
        request = SearchRequest(q=query["query"], per_page=10, understand=understand)
        try:
            result = search(ix, request)
        except Exception as exc:  # noqa: BLE001 - a benchmark reports every failure and goes on
            rows.append({"id": query["id"], "error": str(exc)})
            continue
        ranked = [Path(h["path"]).relative_to(corpus).as_posix() for h in result["hits"] if h["path"]]
        if not query["relevant"]:
            none_ok += result["total"] == 0
            rows.append({"id": query["id"], "query": query["query"], "total": result["total"]})
            continue
        answered += 1
        rank = next((i for i, path in enumerate(ranked, 1) if path in set(query["relevant"])), None)
        s1 += rank == 1
        s3 += bool(rank and rank <= 3)
        rr += 1 / rank if rank else 0.0
        rows.append({"id": query["id"], "query": query["query"], "rank": rank, "top": ranked[:3]})
    n = max(answered, 1)
    return {
        "questions": answered,
        "success@1": round(s1 / n, 3),
        "success@3": round(s3 / n, 3),
        "mrr": round(rr / n, 3),
        "empty_as_expected": none_ok,
        "expected_empty": sum(1 for q in queries if not q["relevant"]),
        "rows": rows,
    }


def run(index_dir: Path | None = None) -> dict:
    """Facet and ranking quality of an index of corpus/ (built in bench/cache/quality-index when not given)."""
    if index_dir is None:
        index_dir = REPO / "bench" / "cache" / "quality-index"
        subprocess.run(
            [sys.executable, "-m", "indexer", "index", str(CORPUS), "--index", str(index_dir), "--json"],
            check=False,
            capture_output=True,
        )
    return {
        "facets": facet_scores(Path(index_dir)),
        "ranking": ranking_scores(Path(index_dir)),
        "ranking_plain": ranking_scores(Path(index_dir), understand=False),
    }


def print_report(report: dict) -> None:
    """A readable summary of ``run``'s report."""
    facets = report["facets"]
    print(f"documents compared: {facets['documents']}")
    for name in ("city", "country"):
        goal_p, goal_r = GOALS[name]
        print(
            f"{name:8} precision {facets[name]['precision']:.3f} (goal {goal_p})  "
            f"recall {facets[name]['recall']:.3f} (goal {goal_r})"
        )
    print(f"year     exact {facets['year']['exact']:.3f} (goal 0.90)")
    print(f"theme    macro-F1 {facets['theme']['macro_f1']:.3f} (goal 0.80)")
    print(f"language exact {facets['lang']['exact']:.3f} (goal 1.00)")
    print(f"doc type exact {facets['doc_type']['exact']:.3f}")
    for name, label in (("ranking_plain", "plain query"), ("ranking", "understood query")):
        ranking = report.get(name) or {}
        if ranking:
            print(
                f"{label:16} {ranking['questions']} questions: success@1 {ranking['success@1']:.3f}  "
                f"success@3 {ranking['success@3']:.3f}  MRR {ranking['mrr']:.3f}  "
                f"empty as expected {ranking['empty_as_expected']}/{ranking['expected_empty']}"
            )
    plain = {row["id"]: row.get("rank") for row in (report.get("ranking_plain") or {}).get("rows", [])}
    lost = [
        row["id"]
        for row in (report.get("ranking") or {}).get("rows", [])
        if plain.get(row["id"]) and plain[row["id"]] <= 3 and not (row.get("rank") and row["rank"] <= 3)
    ]
    print(f"answered in the top 3 by the plain query but not by the understood one: {', '.join(lost) or 'none'}")


if __name__ == "__main__":
    result = run(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
    print_report(result)
    if "--mistakes" in sys.argv:
        print(json.dumps(result["facets"]["mistakes"], indent=1, ensure_ascii=False))
