"""What the CLI's commands share: options, JSON output, failing with the error's exit status, progress."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click

from indexer.errors import CitymigError
from indexer.ingest.pipeline import ExtractedDoc, Failed

index_option = click.option(
    "--index",
    "index_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Index folder [default: $CITYMIG_INDEX or index/].",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")


def echo_json(data: object) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


LABELS_WAIT_RECORDS = 10_000  # below this many records preparing the labels takes about a second: waited for
LABEL_TIMINGS = ("auto", "wait", "background")


def prepare_labels(index_dir: Path, when: str = "wait") -> None:
    """Compute the thesaurus labels' scores of the version just committed (``indexer.query.prepared``), and
    say so when it could not.

    ``when``: ``wait``; ``background``, in a process of its own that outlives this one (as ``git gc --auto``
    detaches), so that a rerun adding one report returns when the report is searchable, not 4-5 s later on
    the scaled collection; ``auto``, in the background from LABELS_WAIT_RECORDS records on. Until they are
    written a search computes the labels it needs, and the processes reading that version pick the file up.
    """
    from indexer.query.prepared import prepare_after_commit, unprepared_records

    if when != "wait":
        records = unprepared_records(index_dir)
        if records is None:
            return
        if when == "background" or records >= LABELS_WAIT_RECORDS:
            command = [sys.executable, "-m", "indexer", "prepare-labels", "--index", str(Path(index_dir).absolute())]
            # sh puts the command in the background and exits: nothing of this process waits for it.
            detach = '"$@" </dev/null >/dev/null 2>&1 &'
            try:
                subprocess.run(["/bin/sh", "-c", detach, "sh", *command], start_new_session=True, check=True)
                return
            except (OSError, subprocess.CalledProcessError):
                pass  # no POSIX shell (Windows): prepared here, before returning
    problem = prepare_after_commit(index_dir)
    if problem:
        click.echo(f"Warning: the thesaurus labels' scores were not prepared: {problem}", err=True)


def fail(error: CitymigError) -> None:
    click.echo(f"Error: {error}", err=True)
    sys.exit(error.exit_code)


class Progress:
    """A tqdm bar on a terminal, one plain line per file elsewhere."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.bar = None
        self.total = 0
        self.done = 0

    def plan(self, total: int) -> None:
        self.total = total
        if self.quiet or not total:
            return
        if sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="file", file=sys.stderr, dynamic_ncols=True)

    def file(self, result: object) -> None:
        self.done += 1
        if self.quiet:
            return
        source = result.source
        if isinstance(result, Failed):
            message = f"failed: {source.path}: {result.reason}"
        elif isinstance(result, ExtractedDoc):
            message = f"indexed: {source.relpath} ({result.pages} pages, {result.lang})"
        else:
            message = f"unchanged: {source.relpath}"
        if self.bar is not None:
            if isinstance(result, Failed):
                self.bar.write(message, file=sys.stderr)
            self.bar.update(1)
        else:
            click.echo(f"[{self.done}/{self.total}] {message}", err=True)

    def wait(self, holder: dict | None) -> None:
        """Say, before waiting for the index lock, who holds it."""
        from indexer.ingest.librarian import describe_holder

        click.echo(f"waiting for {describe_holder(holder)} to finish updating the index…", err=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
