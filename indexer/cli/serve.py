"""``citymig serve``: the only place outside search_app that imports the web app (see the import contract)."""

from __future__ import annotations

from pathlib import Path

import click

from indexer.cli.common import Progress, fail, index_option
from indexer.config import DEFAULT_CORPUS, IndexConfig, default_index_dir
from indexer.errors import CitymigError


@click.command()
@index_option
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to bind (loopback unless told otherwise)."
)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--threads", type=click.IntRange(min=1), default=8, show_default=True, help="Worker threads.")
def serve(index_dir, host, port, threads) -> None:
    """Serve the search UI with waitress; builds the index from corpus/ first if there is none."""
    import waitress

    from indexer.ingest.writer import index_paths
    from indexer.storage.index import index_exists
    from search_app import create_app

    index_dir = index_dir or default_index_dir()
    if not index_exists(index_dir):
        if not Path(DEFAULT_CORPUS).is_dir():
            raise click.UsageError(f"no index in {index_dir} and no {DEFAULT_CORPUS}/ folder to build one from")
        click.echo(f"No index in {index_dir}: indexing {DEFAULT_CORPUS}/ first", err=True)
        progress = Progress(quiet=False)
        try:
            report = index_paths(
                [Path(DEFAULT_CORPUS)], IndexConfig(index_dir=index_dir), on_file=progress.file, on_plan=progress.plan
            )
        except CitymigError as error:
            fail(error)
        finally:
            progress.close()
        click.echo(f"indexed {report.added} documents, {report.pages} pages, {len(report.failed)} failed", err=True)
    click.echo(f"citymig serving {index_dir} on http://{host}:{port}/", err=True)
    waitress.serve(create_app({"INDEX_DIR": str(index_dir)}), host=host, port=port, threads=threads)
