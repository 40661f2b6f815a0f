"""The benchmark report: rows of (benchmark, collection, figure, value, goal, status) and their table.

Goals (issue 7) are checked where they apply: faceted query p95 ≤ 50 ms and
an unchanged rerun ≤ 3 s on the scaled collection; a new report indexed in
its extraction time + 2 s; indexing with all cores ≥ 0.25× pdftotext's
single-process pages/s; /api/search ≥ 100 requests/s with 4 clients and no
error with 16.
"""

from __future__ import annotations

from collections.abc import Callable

from bench.facet_quality import GOALS

Row = dict


def _row(bench: str, coll: str, figure: str, value, goal: str = "", ok: bool | None = None) -> Row:
    status = "" if ok is None else ("ok" if ok else "MISSED")
    return {"benchmark": bench, "collection": coll, "figure": figure, "value": value, "goal": goal, "status": status}


def _fmt(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, str):
        return value if len(value) <= 60 else value[:59] + "…"
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
    return str(value)


def _indexing_rows(coll: str, data: dict, scaled: bool) -> list[Row]:
    rows = []
    ref = data.get("pdftotext") or {}
    rows.append(
        _row("indexing", coll, f"pdftotext pages/s, 1 process ({ref.get('pages')} pages)", ref.get("pages_per_s"))
    )
    sample = data.get("pdftotext_sample")
    if sample:
        rows.append(
            _row(
                "indexing",
                coll,
                f"pdftotext pages/s, every {sample['every']}th file ({sample['pages']} pages)",
                sample.get("pages_per_s"),
            )
        )
    for jobs, run in (data.get("runs") or {}).items():
        label = f"citymig index --jobs {jobs}"
        if run.get("sample_every", 1) > 1:
            label += f" (every {run['sample_every']}th file)"
        if run.get("error") or run.get("exit") not in (0, 1):
            rows.append(_row("indexing", coll, label, f"error: {str(run.get('error'))[:60]}"))
            continue
        rows.append(
            _row(
                "indexing",
                coll,
                f"{label}: pages/s ({run.get('pages')} pages, {run['seconds']:.0f} s)",
                run.get("pages_per_s"),
            )
        )
        if jobs == str(data.get("all_cores")) or run.get("sample_every", 1) > 1:
            ratio = run.get("ratio_to_pdftotext")
            all_cores = jobs == str(data.get("all_cores"))
            goal = "≥ 0.25" if all_cores else ""
            ok = ratio >= 0.25 if all_cores and ratio is not None else None
            rows.append(_row("indexing", coll, f"{label} ÷ pdftotext", ratio, goal, ok))
        if run.get("pages_per_cpu_s"):
            label_cpu = f"{label}: pages per CPU second ({run['cpu_seconds']:.0f} CPU s, whole tree)"
            rows.append(_row("indexing", coll, label_cpu, run["pages_per_cpu_s"]))
        if jobs == str(data.get("all_cores")) and run.get("peak_rss_mb"):
            rss = run["peak_rss_mb"]
            rows.append(_row("indexing", coll, f"{label}: peak RSS MB, tree, whole run", rss, "< 500", rss < 500))
        if run.get("failed"):
            rows.append(_row("indexing", coll, f"{label}: files failed", run["failed"]))
    return rows


def _memory_rows(coll: str, data: dict) -> list[Row]:
    label = f"peak RSS MB, tree, largest PDF ({data.get('file_pages')} pages)"
    return [
        _row("memory", coll, label, data.get("peak_rss_mb")),
        _row("memory", coll, "seconds for that PDF alone", round(data.get("seconds") or 0, 2)),
    ]


def _incremental_rows(coll: str, data: dict, scaled: bool) -> list[Row]:
    rows = []
    unchanged = data.get("unchanged", {}).get("seconds")
    rows.append(
        _row(
            "incremental",
            coll,
            "rerun, nothing changed: s",
            unchanged,
            "≤ 3 s" if scaled else "",
            (unchanged <= 3) if scaled and unchanged is not None else None,
        )
    )
    add = data.get("add_report", {})
    extraction = add.get("extraction_seconds")
    if add:
        goal_s = (extraction or 0) + 2
        rows.append(_row("incremental", coll, "one new 40-page report: its extraction alone, s", extraction))
        rows.append(
            _row(
                "incremental",
                coll,
                "one new 40-page report: rerun s",
                add.get("seconds"),
                f"≤ {goal_s:.1f} s",
                add.get("seconds") <= goal_s if extraction is not None else None,
            )
        )
        if add.get("labels_after_s") is not None:
            label = "one new 40-page report: labels' scores written, s after the run (background)"
            rows.append(_row("incremental", coll, label, add["labels_after_s"]))
    for key, label in (
        ("delete_file", "one file deleted"),
        ("metadata_row_added", "metadata.csv row added"),
        ("metadata_row_removed", "metadata.csv row removed"),
    ):
        step = data.get(key)
        if step:
            extra = f" (metadata updated {step.get('metadata_updated')})" if key.startswith("metadata") else ""
            rows.append(_row("incremental", coll, f"{label}: rerun s{extra}", step.get("seconds")))
    return rows


def _query_rows(coll: str, data: dict, scaled: bool) -> list[Row]:
    rows = []
    ours, ref = data.get("citymig", {}), data.get("tantivy") or {}
    for kind, figures in ours.items():
        if not figures.get("n"):
            rows.append(_row("queries", coll, f"{kind}: errors {figures.get('errors')}", figures.get("first_error")))
            continue
        goal = "≤ 50 ms" if kind == "facets" and scaled else ""
        ok = figures["p95_ms"] <= 50 if goal else None
        rows.append(_row("queries", coll, f"{kind}: p50 ms (n={figures['n']})", figures["p50_ms"]))
        rows.append(_row("queries", coll, f"{kind}: p95 ms", figures["p95_ms"], goal, ok))
        theirs = ref.get(kind) or {}
        if theirs.get("n"):
            rows.append(_row("queries", coll, f"{kind}: tantivy p95 ms", theirs["p95_ms"]))
            rows.append(
                _row(
                    "queries",
                    coll,
                    f"{kind}: p95 citymig ÷ tantivy",
                    round(figures["p95_ms"] / max(theirs["p95_ms"], 1e-3), 1),
                )
            )
        if figures.get("errors"):
            rows.append(_row("queries", coll, f"{kind}: errors", figures["errors"]))
    return rows


def _http_rows(coll: str, data: dict, scaled: bool) -> list[Row]:
    rows = []
    if data.get("error"):
        return [_row("http", coll, "server", f"error: {data['error'][:80]}")]
    for endpoint, levels in data.items():
        if not isinstance(levels, dict):
            continue  # "server": how it ran
        for clients, figures in levels.items():
            rps_goal = endpoint == "/api/search" and clients == "4"
            rows.append(
                _row(
                    "http",
                    coll,
                    f"{endpoint} {clients} clients: requests/s ({figures['requests']} distinct queries)",
                    figures["rps"],
                    "≥ 100" if rps_goal else "",
                    figures["rps"] >= 100 if rps_goal else None,
                )
            )
            rows.append(_row("http", coll, f"{endpoint} {clients} clients: p95 ms", figures.get("p95_ms")))
            err_goal = clients == "16"
            rows.append(
                _row(
                    "http",
                    coll,
                    f"{endpoint} {clients} clients: errors",
                    figures["errors"],
                    "0" if err_goal else "",
                    figures["errors"] == 0 if err_goal else None,
                )
            )
    return rows


def _quality_rows(coll: str, data: dict) -> list[Row]:
    if data.get("error"):
        return [_row("quality", coll, "facet_quality", f"error: {data['error'][:80]}")]
    facets, ranking = data.get("facets", {}), data.get("ranking", {})
    rows = []
    for name, (goal_p, goal_r) in GOALS.items():
        if name in facets:
            rows.append(
                _row(
                    "quality",
                    coll,
                    f"{name} precision",
                    facets[name]["precision"],
                    f"≥ {goal_p}",
                    facets[name]["precision"] >= goal_p,
                )
            )
            rows.append(
                _row(
                    "quality",
                    coll,
                    f"{name} recall",
                    facets[name]["recall"],
                    f"≥ {goal_r}",
                    facets[name]["recall"] >= goal_r,
                )
            )
    if "year" in facets:
        rows.append(
            _row("quality", coll, "year exact", facets["year"]["exact"], "≥ 0.9", facets["year"]["exact"] >= 0.9)
        )
    if "theme" in facets:
        f1 = facets["theme"].get("macro_f1")
        rows.append(_row("quality", coll, "theme macro-F1", f1, "≥ 0.8", f1 >= 0.8 if f1 is not None else None))
    if "lang" in facets:
        rows.append(
            _row("quality", coll, "language exact", facets["lang"]["exact"], "1.0", facets["lang"]["exact"] >= 1)
        )
    for key in ("success@1", "success@3", "mrr"):
        if key in ranking:
            rows.append(_row("quality", coll, f"questions {key}", ranking[key]))
    return rows


BUILDERS: dict[str, Callable] = {
    "indexing": _indexing_rows,
    "incremental": _incremental_rows,
    "queries": _query_rows,
    "http": _http_rows,
}


def rows_of(report: dict) -> list[Row]:
    """Every table row of a report, benchmark by benchmark, collection by collection."""
    rows = []
    gen = report.get("scaled_generation")
    if gen:
        rows.append(
            _row(
                "generate",
                "scaled",
                f"generation s ({gen.get('documents')} docs, {gen.get('pages')} pages, {gen.get('jobs')} jobs)",
                gen.get("generation_seconds"),
            )
        )
    for name in ("indexing", "memory", "incremental", "queries", "http", "quality"):
        for coll, data in report.get("collections", {}).items():
            section = data.get(name)
            if not section:
                continue
            if isinstance(section, dict) and section.get("error") and name not in ("http", "quality"):
                rows.append(_row(name, coll, "error", section["error"][:100]))
            elif name == "memory":
                rows += _memory_rows(coll, section)
            elif name == "quality":
                rows += _quality_rows(coll, section)
            else:
                rows += BUILDERS[name](coll, section, coll == "scaled")
    return rows


def table(rows: list[Row]) -> str:
    """A plain-text table of rows."""
    header = ("benchmark", "collection", "figure", "value", "goal", "status")
    cells = [header] + [tuple(_fmt(r[h]) if h == "value" else str(r[h]) for h in header) for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(header))]
    lines = []
    for n, cell in enumerate(cells):
        lines.append(
            " | ".join(c.rjust(w) if i == 3 else c.ljust(w) for i, (c, w) in enumerate(zip(cell, widths, strict=True)))
        )
        if n == 0:
            lines.append("-+-".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)
