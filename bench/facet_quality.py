"""Facet and ranking quality against gold labels: the bundled collection, real documents and trap manuals.

    python -m bench.facet_quality [INDEX_DIR] [--mistakes]   # INDEX_DIR: an index of corpus/
    python -m bench.facet_quality --before CHECKOUT          # measure a previous release (its .venv) as "before"

Prints, side by side with the figures before this release (``bench/facet_baseline.json``,
measured with ``--before`` on the previous release and the same evaluation sets):

- the bundled collection's gold (``tests/data/gold.json``), split by practice into a *tuning* half
  (the rules' thresholds were chosen on it) and a *reporting* half (measured, never tuned on); a
  practice's language versions stay in one half;
- the *real documents* (``tests/realdocs.py``: four texts about the archive, rendered as a library
  receives them, labelled by reading them) and the *trap* manuals (Debian's documentation, installed
  by ``.ci/run``), which must get no city, no country and no theme;
- precision and recall per facet (micro-averaged over documents), theme macro-F1, year exactness,
  title exactness, and the ranking of the evaluation questions on the bundled collection.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

from indexer.errors import IndexMissing
from indexer.search import SearchRequest, search
from indexer.storage.index import open_index
from indexer.text import fold

REPO = Path(__file__).resolve().parent.parent
GOLD = REPO / "tests" / "data" / "gold.json"
QUERIES = REPO / "tests" / "data" / "queries.json"
CORPUS = REPO / "corpus"
CACHE = REPO / "bench" / "cache"
BASELINE = REPO / "bench" / "facet_baseline.json"
SECOND_READINGS = {"real": REPO / "tests" / "data" / "real_second_reading.json",
                   "bundled reports": REPO / "tests" / "data" / "bundled_second_reading.json"}  # fmt: skip
GOALS = {"city": (0.95, 0.90), "country": (0.95, 0.95)}
THEME_GOAL = 0.80
SETS = ("all", "tuning", "reporting", "real", "traps")


def gold_half(practice: str) -> str:
    """``tuning`` or ``reporting``: a fixed split by practice id, so a practice's language versions stay together."""
    return "tuning" if int(hashlib.sha256(practice.encode()).hexdigest(), 16) % 2 == 0 else "reporting"


def _prf(pairs: list[tuple[set, set]]) -> dict:
    tp = sum(len(found & gold) for found, gold in pairs)
    found_n = sum(len(found) for found, _ in pairs)
    gold_n = sum(len(gold) for _, gold in pairs)
    precision = tp / found_n if found_n else 1.0
    recall = tp / gold_n if gold_n else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3), "found": found_n}


def _theme_macro_f1(pairs: list[tuple[set, set]]) -> float:
    themes = {t for found, gold in pairs for t in found | gold}
    scores = [_prf([({t} & found, {t} & gold) for found, gold in pairs])["f1"] for t in sorted(themes)]
    return round(sum(scores) / len(scores), 3) if scores else 1.0


def _same_title(found: str | None, gold: str | None) -> bool:
    def key(title: str | None) -> str:
        return " ".join(fold((title or "").replace("’", "'")).split())

    return key(found) == key(gold)


def _open_any(index_dir: Path):
    """This release's index, or the index an older release wrote there (another schema version)."""
    try:
        return open_index(index_dir)
    except IndexMissing:
        from whoosh import index as whoosh_index

        names = sorted({toc.name[1:].rsplit("_", 1)[0] for toc in Path(index_dir).glob("_citymig_v*_*.toc")})
        if not names:
            raise
        return whoosh_index.open_dir(str(index_dir), indexname=names[-1])


def _indexed(index_dir: Path, root: Path) -> dict[str, dict]:
    """Stored fields of every document under ``root``, by path relative to it."""
    ix = _open_any(index_dir)
    root = root.resolve()
    with ix.searcher() as searcher:
        return {
            Path(f["path"]).relative_to(root).as_posix(): dict(f)
            for f in searcher.documents(kind="doc")
            if Path(f["path"]).is_relative_to(root)
        }


def _values(fields: dict, name: str) -> set:
    value = fields.get(name) or ""
    return {v for v in (value if isinstance(value, list) else value.split(",")) if v}


def score(matched: list[tuple[dict, dict]], titles: bool = False) -> dict:
    """Figures for (stored fields, gold label) pairs, with the mistakes."""
    mistakes: dict[str, list] = {}

    def pairs(name: str, gold_name: str) -> list[tuple[set, set]]:
        out = []
        for fields, label in matched:
            found, expected = _values(fields, name), set(label.get(gold_name) or [])
            if found != expected:
                mistakes.setdefault(name, []).append(
                    {"path": label["path"], "found": sorted(found), "gold": sorted(expected)}
                )
            out.append((found, expected))
        return out

    report: dict = {"documents": len(matched)}
    report["city"] = _prf(pairs("city", "city"))
    report["country"] = _prf(pairs("country", "country"))
    theme_pairs = pairs("theme", "themes")
    report["theme"] = {**_prf(theme_pairs), "macro_f1": _theme_macro_f1(theme_pairs)}
    dated = [(fields, label) for fields, label in matched if label.get("year")]
    right = 0
    for fields, label in dated:
        if fields.get("year") == label["year"]:
            right += 1
        else:
            mistakes.setdefault("year", []).append(
                {"path": label["path"], "found": fields.get("year"), "gold": label["year"]}
            )
    report["year"] = {"exact": round(right / len(dated), 3) if dated else None}
    if titles:
        good = 0
        for fields, label in matched:
            if _same_title(fields.get("title"), label.get("title")):
                good += 1
            else:
                mistakes.setdefault("title", []).append(
                    {"path": label["path"], "found": fields.get("title"), "gold": label.get("title")}
                )
        report["title"] = {"exact": round(good / len(matched), 3) if matched else None}
    report["mistakes"] = mistakes
    return report


def facet_scores(index_dir: Path) -> dict:
    """Compare every indexed document of corpus/ with its gold label: all, and each half of the split."""
    gold = {entry["path"]: entry for entry in json.loads(GOLD.read_text(encoding="utf-8"))}
    docs = _indexed(index_dir, CORPUS)
    matched = [(docs[path], label) for path, label in gold.items() if path in docs]
    report = score(matched)
    for name, gold_name in (("lang", "lang"), ("doc_type", "doc_type")):
        right = sum(fields.get(name) == label[gold_name] for fields, label in matched)
        report[name] = {"exact": round(right / len(matched), 3) if matched else 0.0}
    report["missing_from_index"] = sorted(set(gold) - set(docs))
    report["readers"] = reader_agreement(docs, list(gold.values()), SECOND_READINGS["bundled reports"])
    for half in ("tuning", "reporting"):
        report[half] = score([(f, label) for f, label in matched if gold_half(label["practice"]) == half])
    return report


def build_real_sets(root: Path) -> tuple[Path, Path, list[str]]:
    """The real documents and the traps in ``root`` (rendered, copied); the traps not installed here."""
    sys.path.insert(0, str(REPO))
    from tests.realdocs import build_real_documents, copy_traps

    real, traps = root / "real", root / "traps"
    build_real_documents(real)
    return real, traps, copy_traps(traps)


def _index(python: str, folders: list[Path], index_dir: Path, cwd: Path) -> None:
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [python, "-m", "indexer", "index", *map(str, folders), "--index", str(index_dir), "--rebuild", "--json"],
        check=False,
        capture_output=True,
        text=True,
        cwd=cwd,
    )
    if done.returncode not in (0, 1):  # 1: some file failed, reported in the index's run report
        raise RuntimeError(f"indexing {folders} with {python} failed: {done.stderr[-2000:]}")


def real_scores(index_dir: Path, real: Path, traps: Path) -> dict:
    """Figures on the real documents and on the trap manuals, from an index of both folders."""
    sys.path.insert(0, str(REPO))
    from tests.realdocs import gold

    labels = gold()
    out = {}
    for name, folder, entries in (("real", real, labels["documents"]), ("traps", traps, labels["traps"])):
        docs = _indexed(index_dir, folder)
        out[name] = score([(docs[e["path"]], e) for e in entries if e["path"] in docs], titles=True)
        out[name]["missing"] = [e["path"] for e in entries if e["path"] not in docs]
        if name == "real":
            out[name]["readers"] = reader_agreement(docs, entries, SECOND_READINGS["real"])
    return out


def reader_agreement(docs: dict[str, dict], entries: list[dict], reading: Path) -> dict:
    """Theme macro-F1 between the gold, a blind second reading of the same texts (``reading``) and citymig:
    how far two readers agree says how much of a theme figure on a few documents a rule can be asked for."""
    if not reading.exists():
        return {}
    second = {e["path"]: set(e["themes"]) for e in json.loads(reading.read_text(encoding="utf-8"))["documents"]}
    gold = {e["path"]: set(e["themes"]) for e in entries if e["path"] in second}
    found = {path: _values(docs[path], "theme") for path in gold if path in docs}

    def f1(a: dict, b: dict) -> float:
        return _theme_macro_f1([(a[path], b[path]) for path in a if path in b])

    return {"second_vs_gold": f1(second, gold), "citymig_vs_second": f1(found, second),
            "citymig_vs_gold": f1(found, gold), "documents": len(gold)}  # fmt: skip


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


def run(index_dir: Path | None = None, real_sets: bool = True) -> dict:
    """Facet and ranking quality of an index of corpus/ (built in bench/cache/quality-index when not given).

    With ``real_sets``, also the real documents and traps, indexed with this checkout into bench/cache/.
    """
    if index_dir is None:
        index_dir = CACHE / "quality-index"
        _index(sys.executable, [CORPUS], index_dir, REPO)
    report = {
        "facets": facet_scores(Path(index_dir)),
        "ranking": ranking_scores(Path(index_dir)),
        "ranking_plain": ranking_scores(Path(index_dir), understand=False),
    }
    if real_sets:
        real, traps, missing = build_real_sets(CACHE / "real-sets")
        _index(sys.executable, [real, traps], CACHE / "real-index", REPO)
        report |= real_scores(CACHE / "real-index", real, traps)
        report["traps_not_installed"] = missing
    return report


def measure_before(checkout: Path) -> dict:
    """The figures of a previous release (its own .venv and indexer) on today's evaluation sets."""
    python = str(checkout / ".venv" / "bin" / "python")
    corpus_index, real_index = CACHE / "before-quality-index", CACHE / "before-real-index"
    _index(python, [CORPUS], corpus_index, checkout)
    real, traps, missing = build_real_sets(CACHE / "real-sets")
    _index(python, [real, traps], real_index, checkout)
    facets = facet_scores(corpus_index)
    return {
        "measured_with": str(checkout),
        "all": facets,
        "tuning": facets["tuning"],
        "reporting": facets["reporting"],
        **real_scores(real_index, real, traps),
        "traps_not_installed": missing,
    }


def _sets(report: dict) -> dict[str, dict]:
    facets = report.get("facets") or report.get("all") or {}
    return {"all": facets, "tuning": facets.get("tuning", {}), "reporting": facets.get("reporting", {}),
            "real": report.get("real", {}), "traps": report.get("traps", {})}  # fmt: skip


def _figure(data: dict, metric: str) -> str:
    path = {"city P": ("city", "precision"), "city R": ("city", "recall"), "country P": ("country", "precision"),
            "country R": ("country", "recall"), "theme F1": ("theme", "macro_f1"), "year": ("year", "exact"),
            "title": ("title", "exact"), "cities": ("city", "found"), "themes": ("theme", "found"),
            "countries": ("country", "found")}[metric]  # fmt: skip
    value = (data.get(path[0]) or {}).get(path[1]) if data else None
    if value is None:
        return "–"
    return str(value) if isinstance(value, int) else f"{value:.3f}"


def print_report(report: dict, before: dict | None = None) -> None:
    """The before/after table, then the bundled collection's other figures and the ranking."""
    after_sets, before_sets = _sets(report), _sets(before or {})
    metrics = ("city P", "city R", "country P", "country R", "theme F1", "year", "title")
    print("set (documents)     " + "".join(f"{m:>19}" for m in metrics))
    for name in SETS:
        after = after_sets.get(name) or {}
        if not after.get("documents"):
            continue
        row = f"{name} ({after['documents']})"
        cells = "".join(f"{_figure(before_sets.get(name, {}), m) + ' → ' + _figure(after, m):>19}" for m in metrics)
        print(f"{row:20}{cells}")
    traps = after_sets.get("traps") or {}
    if traps.get("documents"):
        old = before_sets.get("traps") or {}
        print(
            f"traps: cities found {_figure(old, 'cities')} → {_figure(traps, 'cities')}, countries "
            f"{_figure(old, 'countries')} → {_figure(traps, 'countries')}, themes {_figure(old, 'themes')} → "
            f"{_figure(traps, 'themes')} (goal 0 each)"
        )
    for name, data in (("real documents", after_sets.get("real")), ("bundled reports", after_sets.get("all"))):
        readers = (data or {}).get("readers") or {}
        if readers:
            print(
                f"themes of the {readers['documents']} {name}, macro-F1: a blind second reader vs the gold "
                f"{readers['second_vs_gold']:.3f}, citymig vs the second reader {readers['citymig_vs_second']:.3f}, "
                f"citymig vs the gold {readers['citymig_vs_gold']:.3f}"
            )
    if report.get("traps_not_installed"):
        print(f"traps not installed here (bash .ci/run installs them): {', '.join(report['traps_not_installed'])}")
    goal_p, goal_r = GOALS["city"]
    print(
        f"goals: city precision ≥ {goal_p} and recall ≥ {goal_r} on real and reporting; theme macro-F1 ≥ {THEME_GOAL}"
    )
    facets = report["facets"]
    print(
        f"language exact {facets['lang']['exact']:.3f} (goal 1.00)   doc type exact {facets['doc_type']['exact']:.3f}"
    )
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


def main(argv: list[str]) -> None:
    """Command line: see the module docstring."""
    if "--before" in argv:
        checkout = Path(argv[argv.index("--before") + 1]).resolve()
        BASELINE.write_text(json.dumps(measure_before(checkout), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {BASELINE}")
        return
    positional = [a for a in argv if not a.startswith("--")]
    result = run(Path(positional[0]) if positional else None)
    before = json.loads(BASELINE.read_text(encoding="utf-8")) if BASELINE.exists() else None
    print_report(result, before)
    if "--mistakes" in argv:
        sets = _sets(result)
        print(
            json.dumps({name: sets[name].get("mistakes") for name in SETS if sets[name]}, indent=1, ensure_ascii=False)
        )


if __name__ == "__main__":
    main(sys.argv[1:])
