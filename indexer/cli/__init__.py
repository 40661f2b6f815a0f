"""The ``citymig`` command line: a thin shell over the indexer package.

Exit status: 0 success; 1 some files failed (the rest is indexed and
committed); 2 usage error or bad query; 3 the index is busy.
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

import click

from indexer.cli.common import (
    LABEL_TIMINGS,
    LABELS_WAIT_RECORDS,
    Progress,
    echo_json,
    fail,
    index_option,
    json_option,
    prepare_labels,
)
from indexer.cli.serve import serve
from indexer.config import DEFAULT_CORPUS, IndexConfig, default_index_dir
from indexer.errors import CitymigError
from indexer.vocabulary import counted, format_labels


def with_formats(function):
    """Name the formats of ``indexer.vocabulary.FORMATS`` where the help text says ``{formats}``."""
    function.__doc__ = function.__doc__.replace("{formats}", format_labels())
    return function


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="citymig")
def cli() -> None:
    """citymig: full-text search and discovery for libraries of practice on immigrant integration."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@index_option
@click.option("--rebuild", is_flag=True, help="Re-extract every file instead of only new and changed ones.")
@click.option("--jobs", type=click.IntRange(min=1), default=None, help="Worker processes [default: all cores].")
@click.option("--timeout", type=click.FloatRange(min=0.01), default=120.0, show_default=True, help="Seconds per file.")
@click.option(
    "--wait", type=click.FloatRange(min=0), default=10.0, show_default=True, help="Seconds to wait for another run."
)
@click.option(
    "--commit-every", type=click.IntRange(min=1), default=200, show_default=True, help="Documents between commits."
)
@click.option(
    "--scheduler",
    metavar="tcp://HOST:PORT",
    default=None,
    help="Extract on this Dask cluster (pip install 'citymig[cluster]'); the index is written here.",
)
@click.option(
    "--labels",
    type=click.Choice(LABEL_TIMINGS),
    default="auto",
    show_default=True,
    help="The thesaurus labels' scores: prepared before returning (wait), by a process of its own after it"
    f" (background), or waited for under {LABELS_WAIT_RECORDS:,} records (auto).",
)
@json_option
@with_formats
def index(paths, index_dir, rebuild, jobs, timeout, wait, commit_every, scheduler, labels, as_json) -> None:
    """Index the documents under PATHS (folders are walked recursively) [default: corpus/].

    Formats: {formats}. A rerun processes only new or changed files and
    removes documents whose files are gone.
    """
    from indexer.ingest.writer import index_paths

    if not paths:
        if not Path(DEFAULT_CORPUS).is_dir():
            raise click.UsageError(f"no PATH given and no {DEFAULT_CORPUS}/ folder here")
        paths = (Path(DEFAULT_CORPUS),)
    config = IndexConfig(
        index_dir=index_dir or default_index_dir(),
        file_timeout=timeout,
        lock_timeout=wait,
        commit_every=commit_every,
        scheduler=scheduler,
    )
    if jobs:
        config.jobs = jobs
    progress = Progress(quiet=as_json)
    try:
        report = index_paths(
            paths, config, rebuild=rebuild, on_file=progress.file, on_plan=progress.plan, on_wait=progress.wait
        )
    except CitymigError as error:
        fail(error)
    finally:
        progress.close()
    prepare_labels(config.index_dir, labels)
    if as_json:
        echo_json(report.to_dict())
    else:
        for failure in report.failed:
            kept = " (its last indexed text stays searchable)" if failure.get("indexed") else ""
            click.echo(f"FAILED {failure['path']}: {failure['reason']}{kept}", err=True)
        for error in report.metadata_errors:
            click.echo(f"METADATA {error['path']} line {error['line']}: {error['reason']}", err=True)
        for skipped in report.skipped:
            target = f" -> {skipped['target']}" if skipped.get("target") else ""
            click.echo(f"SKIPPED {skipped['path']}{target}: {skipped['reason']}", err=True)
        click.echo(
            f"added {report.added}, updated {report.updated}, removed {report.removed}, "
            f"unchanged {report.unchanged}, failed {len(report.failed)}, "
            + (f"metadata updated {report.metadata_updated}, " if report.metadata_updated else "")
            + (f"metadata errors {len(report.metadata_errors)}, " if report.metadata_errors else "")
            + (f"skipped {len(report.skipped)}, " if report.skipped else "")
            + (f"duplicates {report.duplicates}, " if report.duplicates else "")
            + f"pages {report.pages}, {report.seconds:.1f} s"
        )
    sys.exit(1 if report.failed or report.metadata_errors else 0)


@cli.command("prepare-labels")
@index_option
def prepare_labels_command(index_dir) -> None:
    """Compute the thesaurus labels' scores of the index's latest version and write them beside it.

    `citymig index` does it after each run (in the background on a large index: see its --labels); run this
    before copying an index folder to serving machines if that run did not wait.
    """
    prepare_labels(index_dir or default_index_dir(), "wait")


def _terminal_snippet(snippet: str) -> str:
    parts = re.split(r"<mark>(.*?)</mark>", snippet)
    return "".join(
        click.style(html.unescape(part), bold=True) if i % 2 else html.unescape(part) for i, part in enumerate(parts)
    )


@cli.command()
@click.argument("query", required=False, default="")
@index_option
@click.option("--limit", type=click.IntRange(min=1, max=1000), default=10, show_default=True, help="Hits per page.")
@click.option("--page", type=click.IntRange(min=1), default=1, show_default=True, help="Page of results.")
@click.option("--city", multiple=True, help="Only documents about this city (repeatable: any of them).")
@click.option("--country", multiple=True, help="Only documents about this country, ISO code like ES (repeatable).")
@click.option("--year", help="Only documents published in this year or range: 2012, 2010-2014, 2010-.")
@click.option("--theme", multiple=True, help="Only documents on this theme: Live, Work, Learn, Connect, Plan.")
@click.option("--lang", multiple=True, help="Only documents in this language: en, de, es, fr (repeatable).")
@click.option("--type", "doc_type", multiple=True, help="Only this document type: profile, report, essay, blog.")
@click.option(
    "--sort",
    default="relevance",
    show_default=True,
    help="relevance, year (newest first), year_asc, title or newest (last indexed first).",
)
@click.option("--all", "browse", is_flag=True, help="Browse every document (same as an empty QUERY).")
@click.option(
    "--exact", is_flag=True, help="Take QUERY literally: no question understanding, translations or corrections."
)
@json_option
def search(query, index_dir, limit, page, city, country, year, theme, lang, doc_type, sort, browse, exact, as_json):
    """Search the index for QUERY (Whoosh syntax: AND, OR, NOT, "phrases"); an empty QUERY browses.

    Several values of one filter are OR; different filters are AND.
    """
    from indexer.search import request_from_params
    from indexer.search import search as run_search
    from indexer.storage.index import open_index

    params = {"q": [] if browse else [query], "city": city, "country": country, "year": [year] if year else []}
    params |= {"theme": theme, "lang": lang, "type": doc_type, "sort": [sort], "page": [str(page)]}
    params |= {"exact": ["1"] if exact else []}
    try:
        request = request_from_params(params, per_page=limit)
        result = run_search(open_index(index_dir or default_index_dir()), request)
    except CitymigError as error:
        fail(error)
    if as_json:
        echo_json(result)
        return
    _print_result(result)


def _print_result(result: dict) -> None:
    first = (result["page"] - 1) * result["per_page"]
    described = f"match {result['query']!r}" if result["query"] else "in the collection"
    click.echo(f"{counted(result['total'], result['documents'])} {described}")
    for notice in result["notices"]:
        nearest = f"; its cities in {notice['country']}: {', '.join(notice['nearest'])}" if notice["nearest"] else ""
        click.echo(f"No document in the collection is about {notice['value']}{nearest}")
    for rank, hit in enumerate(result["hits"], start=first + 1):
        score = f"  score {hit['score']:.2f}" if hit["score"] is not None else ""
        facets = " · ".join(
            str(part)
            for part in (hit["doc_type"], hit["year"], ", ".join(hit["city"]), ", ".join(hit["theme"]))
            if part
        )
        click.echo(f"\n{rank}. {click.style(hit['title'] or '(untitled)', bold=True)}  [{hit['lang']}]{score}")
        click.echo(f"   {hit['path']}" + (f"\n   {facets}" if facets else ""))
        for found in hit["pages"]:
            click.echo(f"   p. {found['page']}: {_terminal_snippet(found['snippet'])}")
    shown = [
        f"{name}: " + ", ".join(f"{v['value']} ({v['count']})" for v in values[:8])
        for name, values in result["facets"].items()
        if values
    ]
    if shown:
        click.echo("\nfacets:\n  " + "\n  ".join(shown))


@cli.command()
@click.argument("document")
@index_option
@json_option
def explain(document, index_dir, as_json) -> None:
    """Show why DOCUMENT (an id from `citymig search`, or a file path) has its city, country, year, themes and type.

    For a file that failed or was skipped in the last run, show why and what to do.
    """
    from indexer.errors import DocumentNotFound
    from indexer.report.explain import explain_document
    from indexer.report.library import file_problem
    from indexer.storage.index import open_index

    index_dir = index_dir or default_index_dir()
    try:
        info = explain_document(open_index(index_dir), document)
    except DocumentNotFound as error:
        problem = file_problem(index_dir, document)
        if not problem:
            fail(error)
        _print_problem(problem, as_json)
        return
    except CitymigError as error:
        fail(error)
    problem = file_problem(index_dir, info["path"])  # indexed, but its file failed since: damaged on disk
    if as_json:
        echo_json(info | {"file_problem": problem})
        return
    click.echo(f"{click.style(info['title'] or '(untitled)', bold=True)}  [{', '.join(info['langs'])}]")
    click.echo(f"{info['path']}  (id {info['id']})")
    for name, values in info["facets"].items():
        if not values:
            click.echo(f"{name}: none found")
        for found in values:
            click.echo(f"{name}: {found['value']}")
            for reason in found["evidence"] or ["(no evidence recorded)"]:
                click.echo(f"    {reason}")
    for name, candidates in info.get("rejected", {}).items():
        for found in candidates:
            click.echo(f"{name} not kept: {found['value']}")
            for reason in found["evidence"]:
                click.echo(f"    {reason}")
    if info["librarian"]:
        click.echo(f"librarian metadata: {info['librarian']['origin']}: {info['librarian']['values']}")
    if problem:
        click.echo(f"the file on disk {problem['status']} in the last run: {problem['reason']}")
        click.echo("  the text above is the last good one, still searchable")


def _print_problem(problem: dict, as_json: bool) -> None:
    if as_json:
        echo_json(problem)
        return
    click.echo(f"{problem['path']}: {problem['status']} in the last run, not an indexed document")
    click.echo(f"  reason: {problem['reason']}")
    if problem.get("target"):
        click.echo(f"  target: {problem['target']}")
    if problem.get("advice"):
        click.echo(f"  what to do: {problem['advice']}")


@cli.command()
@index_option
@click.option(
    "--sort",
    type=click.Choice(["folder", "type", "date"]),
    default="folder",
    show_default=True,
    help="Order of the files in each problem group (--json and the problem list).",
)
@json_option
def status(index_dir, sort, as_json) -> None:
    """Show what the index holds, its last runs, and every file that needs a librarian's attention."""
    from indexer.report.status import full_status

    try:
        info = full_status(index_dir or default_index_dir(), sort=sort)
    except CitymigError as error:
        fail(error)
    if as_json:
        echo_json(info)
        return
    languages = ", ".join(f"{lang} {count}" for lang, count in info["languages"].items()) or "none"
    click.echo(f"index:        {info['index']}")
    click.echo(f"documents:    {info['documents']} ({info['works']} works: language versions of one work count once)")
    click.echo(f"pages:        {info['pages']}")
    click.echo(f"languages:    {languages}")
    click.echo(f"last updated: {info['last_updated'] or 'never'}")
    click.echo(f"failed files in the last run: {len(info['failed'])}")
    for failure in info["failed"]:
        click.echo(f"  {failure['path']}: {failure['reason']}")
    if info["metadata_errors"]:
        click.echo(f"metadata rows that could not be used: {len(info['metadata_errors'])}")
    for error in info["metadata_errors"]:
        click.echo(f"  {error['path']} line {error['line']}: {error['reason']}")
    library = info["library"]
    figures = library["figures"]
    click.echo(f"pages with text: {figures['share_pages_with_text']:.0%}")
    for group in library["problems"]:
        if group["count"] and group["key"] not in ("failed", "metadata_errors"):
            click.echo(f"{group['title'].lower()}: {group['count']}")
            for entry in group["files"][:20]:
                click.echo(f"  {entry['relpath']}: {entry['detail']}")


cli.add_command(serve)


def main() -> None:
    """Entry point of the ``citymig`` console script."""
    cli()
