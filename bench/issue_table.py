"""The figures of issue 11's table from one benchmark report, citymig and its references side by side.

Every ratio is of two figures measured in the same run on the same machine:
citymig's query latency against tantivy's on the same queries and index
contents, ``citymig index`` with all cores against pdftotext in one process
on the same PDFs. The HTTP figure is of distinct queries (no request repeats
one the server has seen, so no cache hit), with the server's worker processes.
"""

from __future__ import annotations

from bench.report import Row, _row

KINDS = {
    "terms": ("one or two terms", 50),
    "phrase": ("phrase", 50),
    "facets": ("faceted query", 50),
    "city": ("city filter", 50),
    "browse": ("browse", 20),
    "question": ("practitioner question", 100),
}
RATIO_GOAL = 10.0  # citymig ÷ tantivy, p50, on every kind
INDEXING_GOAL = 0.25
RSS_GOAL_MB = 500
RPS_GOAL = 100


def _pair(figures: dict) -> str:
    return f"{figures['p50_ms']:,.1f} / {figures['p95_ms']:,.1f}" if figures.get("n") else "–"


def _query_rows(data: dict) -> list[Row]:
    rows = []
    ours, theirs = data.get("citymig") or {}, data.get("tantivy") or {}
    ratios = []
    for kind, (label, goal_ms) in KINDS.items():
        mine, ref = ours.get(kind) or {}, theirs.get(kind) or {}
        if not mine.get("n"):
            continue
        ok = mine["p95_ms"] <= goal_ms
        rows.append(_row("queries", "scaled", f"{label} p50 / p95 ms", _pair(mine), f"p95 ≤ {goal_ms} ms", ok))
        if ref.get("n"):
            rows.append(_row("queries", "scaled", f"{label}: tantivy p50 / p95 ms, same run", _pair(ref)))
            ratios.append((label, mine["p50_ms"] / max(ref["p50_ms"], 1e-3)))
    if ratios:
        worst = max(r for _, r in ratios)
        spread = f"{min(r for _, r in ratios):,.0f}–{worst:,.0f}×"
        rows.append(_row("queries", "scaled", "citymig ÷ tantivy, p50 (every kind)", spread, "≤ 10×", worst <= 10))
    return rows


def _http_rows(data: dict) -> list[Row]:
    figures = (data.get("/api/search") or {}).get("4")
    if not figures:
        return []
    server = data.get("server") or "server"
    label = f"/api/search, 4 clients, distinct queries (no cache hits), {server}: requests/s"
    if figures.get("repeats"):
        label += " (the query list ran out: some repeats)"
    return [_row("http", "scaled", label, figures["rps"], f"≥ {RPS_GOAL}", figures["rps"] >= RPS_GOAL)]


def _indexing_rows(coll: str, data: dict, label: str) -> list[Row]:
    run = (data.get("runs") or {}).get(str(data.get("all_cores")))
    if not run or not run.get("pages_per_s"):
        return []
    ratio = run.get("ratio_to_pdftotext")
    rows = [
        _row(
            "indexing",
            coll,
            f"{label}: index --jobs {data['all_cores']} pages/s ÷ pdftotext 1 process "
            f"({run['pages_per_s']:,.0f} vs {run['pdftotext_pages_per_s']:,.0f} pages/s)",
            ratio,
            f"≥ {INDEXING_GOAL}",
            ratio is not None and ratio >= INDEXING_GOAL,
        )
    ]
    if coll == "scaled" and run.get("peak_rss_mb"):
        rows.append(
            _row(
                "memory",
                coll,
                f"peak RSS, whole indexing run with {data['all_cores']} jobs, MB (tree sum)",
                run["peak_rss_mb"],
                f"< {RSS_GOAL_MB}",
                run["peak_rss_mb"] < RSS_GOAL_MB,
            )
        )
    return rows


def issue_rows(report: dict) -> list[Row]:
    """The issue's table, as rows of the benchmark report (empty for what the run did not measure)."""
    colls = report.get("collections") or {}
    scaled, tex = colls.get("scaled") or {}, colls.get("tex") or {}
    rows = _query_rows(scaled.get("queries") or {}) + _http_rows(scaled.get("http") or {})
    rows += _indexing_rows("scaled", scaled.get("indexing") or {}, "scaled collection")
    rows += _indexing_rows("tex", tex.get("indexing") or {}, f"real TeX-made manuals ({tex.get('pdfs', 0)} PDFs)")
    return rows
