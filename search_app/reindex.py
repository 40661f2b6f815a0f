"""The web app's two doors to the write side: a reindex run in a background thread, and the upload check.

This is the only module of search_app allowed to import ``indexer.ingest`` (see the narrow
``ignore_imports`` of the read-side contract in setup.cfg): every other page only reads the index.
A run's progress (files done / total, the last file, failures so far) is kept in one ``Progress``
object, and written to ``citymig-reindex.json`` in the index folder: ``citymig serve`` runs several
worker processes, and the one that streams the events to the page is not always the one running the
reindex, so every worker reads the progress from that file when the run is not its own.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from indexer.config import IndexConfig
from indexer.errors import CitymigError
from indexer.ingest.librarian import check_file, describe_holder
from indexer.ingest.pipeline import Failed
from indexer.ingest.writer import index_paths
from indexer.query.prepared import prepare_after_commit

log = logging.getLogger(__name__)

HOLDER = "the web app's reindex"
PROGRESS_FILE = "citymig-reindex.json"
POLL_SECONDS = 0.25


@dataclass
class Progress:
    """What a reindex has done so far; ``version`` grows with every change."""

    state: str = "idle"  # idle, waiting, running, finished, failed
    total: int = 0
    done: int = 0
    current: str | None = None
    failures: list[dict] = field(default_factory=list)
    message: str | None = None
    started: float | None = None
    finished: float | None = None
    version: int = 0

    def to_dict(self) -> dict:
        """JSON-ready form (what each server-sent event carries)."""
        return asdict(self)


class Reindexer:
    """At most one reindex at a time per app, run in a thread; ``wait_for_change`` feeds the event stream."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = Path(index_dir)
        self.progress = Progress()
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None

    @property
    def _shared(self) -> Path:
        return self.index_dir / PROGRESS_FILE

    def _update(self, **values) -> None:
        with self._changed:
            for name, value in values.items():
                setattr(self.progress, name, value)
            self.progress.version = max(self.progress.version + 1, time.time_ns())  # grows across processes
            self._publish()
            self._changed.notify_all()

    def _publish(self) -> None:
        """Write the progress for the other worker processes (atomically: a reader never sees half of it)."""
        if not self.index_dir.is_dir():
            return
        tmp = self._shared.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(self.progress.to_dict()), encoding="utf-8")
        os.replace(tmp, self._shared)

    def _published(self) -> dict | None:
        try:
            return json.loads(self._shared.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def snapshot(self) -> dict:
        """The progress as it is now: this process's run, else the last one any worker published."""
        with self._changed:
            own = self.progress.to_dict()
        if self.running():
            return own
        shared = self._published()
        return shared if shared and shared.get("version", 0) > own["version"] else own

    def wait_for_change(self, version: int, timeout: float) -> dict:
        """The progress once its version differs from ``version`` (or after ``timeout`` seconds)."""
        if self.running():
            with self._changed:
                self._changed.wait_for(lambda: self.progress.version != version, timeout=timeout)
                return self.progress.to_dict()
        deadline = time.monotonic() + timeout  # another process's run: read what it publishes
        while True:
            found = self.snapshot()
            if found["version"] != version or time.monotonic() >= deadline:
                return found
            time.sleep(POLL_SECONDS)

    def running(self) -> bool:
        """True while a reindex runs."""
        return self._thread is not None and self._thread.is_alive()

    def start(self, roots: list[Path]) -> bool:
        """Start reindexing ``roots``; False when a reindex is already running."""
        with self._changed:
            if self.running():
                return False
            self.progress = Progress(state="running", started=time.time(), version=time.time_ns())
            self._publish()
            self._thread = threading.Thread(target=self._run, args=(roots,), name="citymig-reindex", daemon=True)
            self._thread.start()
            self._changed.notify_all()
        return True

    def _on_file(self, result: object) -> None:
        failures = self.progress.failures
        if isinstance(result, Failed):
            # In path order: workers finish in any order (largest files first), the list must not.
            failed = {"path": result.source.relpath, "reason": result.reason}
            failures = sorted([*failures, failed], key=lambda failure: failure["path"])
        self._update(done=self.progress.done + 1, current=result.source.relpath, failures=failures)

    def _run(self, roots: list[Path]) -> None:
        config = IndexConfig(index_dir=self.index_dir, jobs=os.cpu_count() or 1, lock_timeout=600)
        try:
            report = index_paths(
                roots,
                config,
                on_file=self._on_file,
                on_plan=lambda total: self._update(state="running", total=total),
                on_wait=lambda holder: self._update(state="waiting", message=f"waiting for {describe_holder(holder)}"),
                holder=HOLDER,
            )
            problem = prepare_after_commit(self.index_dir)  # the new version's labels, for every worker
            if problem:
                log.warning("the thesaurus labels' scores were not prepared: %s", problem)
        except CitymigError as error:
            self._update(state="failed", message=str(error), finished=time.time())
        except Exception as error:  # noqa: BLE001 - the page must say the run stopped, not hang
            self._update(state="failed", message=f"{type(error).__name__}: {error}", finished=time.time())
        else:
            message = (
                f"added {report.added}, updated {report.updated}, removed {report.removed}, "
                f"unchanged {report.unchanged}, failed {len(report.failed)}, skipped {len(report.skipped)}"
            )
            self._update(state="finished", message=message, finished=time.time())


def upload_problem(path: Path) -> str | None:
    """Why an uploaded file (saved aside, not yet in the collection) cannot be indexed, or None."""
    return check_file(path)
