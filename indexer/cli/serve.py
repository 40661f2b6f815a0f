"""``citymig serve``: the only place outside search_app that imports the web app (see the import contract).

On Linux and other POSIX systems the app runs under gunicorn with one
worker process per core (``--workers``), each with ``--threads`` threads:
a search is CPU-bound Python, so only processes use more than one core.
Every worker opens the index folder itself and reads the latest commit on
each request (``search_app.live_index``), so a reindex is seen by all of
them without a restart and no worker holds state another needs. Where
gunicorn cannot run (Windows, or it is not installed) and with
``--workers 1``, waitress serves in a single process with threads.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from indexer.cli.common import Progress, fail, index_option
from indexer.config import DEFAULT_CORPUS, IndexConfig, default_index_dir
from indexer.errors import CitymigError


def default_workers() -> int:
    """Worker processes by default: one per core where gunicorn can run, else 1 (waitress)."""
    return (os.cpu_count() or 1) if gunicorn_available() else 1


def gunicorn_available() -> bool:
    """True on POSIX systems with gunicorn installed (it needs fork and Unix signals)."""
    if os.name != "posix":
        return False
    try:
        import gunicorn  # noqa: F401
    except ImportError:
        return False
    return True


def _bind_address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def run_gunicorn(app, host: str, port: int, workers: int, threads: int) -> None:
    """Serve ``app`` with gunicorn: ``workers`` processes forked from this one, ``threads`` threads each."""
    from gunicorn.app.base import BaseApplication

    class CitymigServer(BaseApplication):
        def load_config(self) -> None:
            settings = {
                "bind": [_bind_address(host, port)],
                "workers": workers,
                "worker_class": "gthread",
                "threads": threads,
                # The app is made once and the workers are forked from it: its imports and
                # templates are shared, and a broken configuration fails before any worker starts.
                "preload_app": True,
                "timeout": 120,  # seconds a worker may be silent (a long first search) before it is replaced
                "graceful_timeout": 10,
                "proc_name": "citymig",
                "accesslog": None,
                "errorlog": "-",
                "loglevel": "warning",
            }
            for key, value in settings.items():
                self.cfg.set(key, value)

        def load(self):
            return app

    CitymigServer().run()


@click.command()
@index_option
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to bind (loopback unless told otherwise)."
)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes (gunicorn) [default: one per core on Linux/POSIX; 1, with waitress, elsewhere].",
)
@click.option("--threads", type=click.IntRange(min=1), default=8, show_default=True, help="Threads per worker.")
def serve(index_dir, host, port, workers, threads) -> None:
    """Serve the search UI (gunicorn, a worker per core; waitress with --workers 1); indexes corpus/ if need be."""
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
    workers = workers or default_workers()
    app = create_app({"INDEX_DIR": str(index_dir)})
    if workers > 1 and not gunicorn_available():
        click.echo("gunicorn cannot run here (needs POSIX and the gunicorn package): one waitress process", err=True)
        workers = 1
    server = "gunicorn" if workers > 1 else "waitress"
    click.echo(
        f"citymig serving {index_dir} on http://{_bind_address(host, port)}/ "
        f"({server}, {workers} worker{'s' if workers > 1 else ''} x {threads} threads)",
        err=True,
    )
    if workers > 1:
        run_gunicorn(app, host, port, workers, threads)
    else:
        import waitress

        waitress.serve(app, host=host, port=port, threads=threads)
