"""``citymig serve``: the only place outside search_app that imports the web app (see the import contract).

On Linux and other POSIX systems the app runs under gunicorn with one
worker process per core (``--workers``), each with ``--threads`` threads:
a search is CPU-bound Python, so only processes use more than one core,
and threads beyond a few only share their process's core: on the scaled
collection, 2 workers answered 16 clients at about 40 requests/s with 8
threads each, 72 with 4 and 82 with 2. Four leave room for the requests
that wait on something else (a librarian's progress stream, a download).
Each worker warms itself and each of its threads before it accepts a
connection (``warm_worker``), and connections are not kept alive: with
keep-alive, a client stays on the worker that accepted its connection, and on
the scaled collection 4 clients got 79-110 requests/s from two fresh
workers (once all four on one worker: 42), 115-118 without (one client:
about 50 instead of 53; behind a proxy, which by default opens a connection
per request, nothing changes). Every worker opens the index folder itself
and reads the latest commit on each request (``search_app.live_index``), so
a reindex is seen by all of them without a restart and no worker holds
state another needs. Where gunicorn cannot run (Windows, or it is not
installed) and with ``--workers 1``, waitress serves in a single process
with threads.
"""

from __future__ import annotations

import os
import threading
from concurrent import futures
from pathlib import Path

import click

from indexer.cli.common import Progress, fail, index_option, prepare_labels
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


def warm_worker(worker, app) -> None:
    """Warm a gunicorn worker before it takes requests: the app once (``search_app.warm_up``), then each thread
    of its pool, one after the other. Why each thread: a thread keeps its own index reader
    (``thread_searcher``), whose opening and first searches cost 0.2-0.4 s on the scaled collection; a new
    server's first few hundred requests paid that in every thread (2 workers, 4 threads, 4 clients: 75
    requests/s for the first 400, 120 after). Falls back to warming the app alone when the worker has no
    thread pool (gunicorn's ``gthread`` worker has one, ``tpool``)."""
    from search_app import warm_up

    pool, count = getattr(worker, "tpool", None), getattr(worker.cfg, "threads", 1)
    if pool is None or count < 1:
        warm_up(app)
        return
    # Every task waits until all are running, so each runs on a thread of its own; then they warm in turn
    # (the first builds the index version's tables, the others find them).
    arrived, turn = threading.Barrier(count), threading.Lock()

    def warm() -> None:
        arrived.wait(timeout=60)
        with turn:
            warm_up(app)

    futures.wait([pool.submit(warm) for _ in range(count)], timeout=300)


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
                "post_worker_init": lambda worker: warm_worker(worker, app),  # before it accepts a connection
                # A response closes its connection, so every request goes to a worker free to accept it:
                # kept alive, a client's connection stays with the worker that accepted it, and a few
                # busy clients could all sit on one worker (see the module docstring).
                "keepalive": 0,
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
@click.option(
    "--threads",
    type=click.IntRange(min=1),
    default=4,
    show_default=True,
    help="Threads per worker (searches are CPU-bound: more threads share one core; see the README).",
)
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
    index_dir, host, port, workers, threads, admin_password_file, collections, upload_limit, library_requires_login
) -> None:
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
        prepare_labels(index_dir)  # only here: a serving machine writes nothing into an index it did not build
    password = _admin_password(admin_password_file)
    config = {"INDEX_DIR": str(index_dir), "ADMIN_PASSWORD": password, "MAX_CONTENT_LENGTH": upload_limit << 20}
    config["LIBRARY_REQUIRES_LOGIN"] = library_requires_login
    if collections:
        config["COLLECTION_DIRS"] = [str(path.absolute()) for path in collections]
    workers = workers or default_workers()
    # Made once, before gunicorn forks its workers (preload_app): every worker shares its secret key,
    # so a librarian's session and CSRF token are valid whichever worker answers.
    app = create_app(config)
    if workers > 1 and not gunicorn_available():
        click.echo("gunicorn cannot run here (needs POSIX and the gunicorn package): one waitress process", err=True)
        workers = 1
    server = "gunicorn" if workers > 1 else "waitress"
    click.echo(
        f"citymig serving {index_dir} on http://{_bind_address(host, port)}/ "
        f"({server}, {workers} worker{'s' if workers > 1 else ''} x {threads} threads)",
        err=True,
    )
    click.echo("admin actions on /library: " + ("enabled" if password else "disabled (no admin password)"), err=True)
    if workers > 1:
        run_gunicorn(app, host, port, workers, threads)
    else:
        import waitress

        from search_app import warm_up

        warm_up(app)
        waitress.serve(app, host=host, port=port, threads=threads)


def _admin_password(path: Path | None) -> str | None:
    """The admin password: the file's first line, else $CITYMIG_ADMIN_PASSWORD, else None (admin off)."""
    if path is not None:
        lines = path.read_text(encoding="utf-8").splitlines()
        password = lines[0].strip() if lines else ""
        if not password:
            raise click.UsageError(f"{path} holds no password")
        return password
    return os.environ.get("CITYMIG_ADMIN_PASSWORD") or None
