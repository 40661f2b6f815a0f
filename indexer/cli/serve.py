"""``citymig serve``: the only place outside search_app that imports the web app (see the import contract)."""

from __future__ import annotations

import os
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
@click.option(
    "--admin-password-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="File holding the librarian's admin password [default: $CITYMIG_ADMIN_PASSWORD; none: admin actions off].",
)
@click.option(
    "--collection",
    "collections",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Collection folder that /library reindexes and uploads into (repeatable) [default: the last run's].",
)
@click.option(
    "--upload-limit", type=click.IntRange(min=1), default=50, show_default=True, help="Largest upload, in MB."
)
@click.option(
    "--library-requires-login", is_flag=True, help="Show /library only to the logged-in librarian (default: to all)."
)
def serve(
    index_dir, host, port, threads, admin_password_file, collections, upload_limit, library_requires_login
) -> None:
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
    password = _admin_password(admin_password_file)
    config = {"INDEX_DIR": str(index_dir), "ADMIN_PASSWORD": password, "MAX_CONTENT_LENGTH": upload_limit << 20}
    config["LIBRARY_REQUIRES_LOGIN"] = library_requires_login
    if collections:
        config["COLLECTION_DIRS"] = [str(path.absolute()) for path in collections]
    click.echo(f"citymig serving {index_dir} on http://{host}:{port}/", err=True)
    click.echo("admin actions on /library: " + ("enabled" if password else "disabled (no admin password)"), err=True)
    waitress.serve(create_app(config), host=host, port=port, threads=threads)


def _admin_password(path: Path | None) -> str | None:
    """The admin password: the file's first line, else $CITYMIG_ADMIN_PASSWORD, else None (admin off)."""
    if path is not None:
        lines = path.read_text(encoding="utf-8").splitlines()
        password = lines[0].strip() if lines else ""
        if not password:
            raise click.UsageError(f"{path} holds no password")
        return password
    return os.environ.get("CITYMIG_ADMIN_PASSWORD") or None
