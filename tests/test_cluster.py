"""``citymig index --scheduler``: a real Dask scheduler and two worker processes on loopback.

The same collection indexed locally and on the cluster gives the same
documents and pages; a worker killed in the middle of a run has its files
done by the other one, each exactly once.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")

from indexer.config import IndexConfig  # noqa: E402
from indexer.ingest.pipeline import ExtractedDoc  # noqa: E402
from indexer.ingest.writer import index_paths  # noqa: E402
from indexer.storage.index import open_index  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
VOLATILE = {"indexed_at", "id"}  # when it was written; "id" is the same for documents, compared apart for pages


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    """``dask scheduler`` and ``dask worker`` processes on 127.0.0.1 (workers without a nanny, so a kill is final)."""

    def __init__(self, tmp_path: Path, workers: int = 2) -> None:
        self.address = f"tcp://127.0.0.1:{_free_port()}"
        self.tmp = tmp_path
        self.logs = []
        self.scheduler = self._start(
            "distributed.cli.dask_scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            self.address.rsplit(":", 1)[1],
            "--no-dashboard",
        )
        self.workers = [
            self._start(
                "distributed.cli.dask_worker",
                self.address,
                "--nthreads",
                "1",
                "--no-nanny",
                "--no-dashboard",
                "--host",
                "127.0.0.1",
                "--name",
                f"w{n}",
            )
            for n in range(workers)
        ]
        with distributed.Client(self.address, timeout=60) as client:
            client.wait_for_workers(workers, timeout=120)

    def _start(self, module: str, *args: str) -> subprocess.Popen:
        log = open(self.tmp / f"dask-{len(self.logs)}.log", "wb")  # noqa: SIM115 - closed in stop()
        self.logs.append(log)
        # The workers import citymig from this checkout, as they would from an installed package.
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        return subprocess.Popen([sys.executable, "-m", module, *args], stdout=log, stderr=log, env=env)

    def stop(self) -> None:
        """Terminate this test's own processes, by their handles."""
        for proc in [*self.workers, self.scheduler]:
            if proc.poll() is None:
                proc.terminate()
        for proc in [*self.workers, self.scheduler]:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for log in self.logs:
            log.close()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A scheduler and two single-threaded workers for this module."""
    started = Cluster(tmp_path_factory.mktemp("dask"))
    yield started
    started.stop()


def _contents(index_dir: Path) -> tuple[dict, dict]:
    """Documents (stored fields by path) and pages (text and language by path and number) of an index."""
    with open_index(index_dir).searcher() as searcher:
        docs, pages = {}, {}
        for fields in searcher.documents():
            if fields["kind"] == "doc":
                assert fields["path"] not in docs, f"{fields['path']} indexed twice"
                docs[fields["path"]] = {k: v for k, v in fields.items() if k not in VOLATILE}
            else:
                key = (fields["path"], fields["page"])
                assert key not in pages, f"page {key} indexed twice"
                pages[key] = (fields.get("text"), fields.get("lang"), fields.get("page_city"))
        return docs, pages


@pytest.fixture(scope="module")
def local_run(tmp_path_factory):
    """The bundled corpus indexed on this machine, for comparison."""
    index_dir = tmp_path_factory.mktemp("local")
    report = index_paths([CORPUS], IndexConfig(index_dir=index_dir, jobs=2))
    return report, _contents(index_dir)


@pytest.mark.slow
def test_the_cluster_indexes_the_corpus_exactly_as_a_local_run(cluster, local_run, tmp_path):
    report = index_paths([CORPUS], IndexConfig(index_dir=tmp_path / "index", scheduler=cluster.address))
    local_report, (local_docs, local_pages) = local_run
    docs, pages = _contents(tmp_path / "index")
    assert report.failed == local_report.failed == []
    assert (report.added, report.pages) == (local_report.added, local_report.pages)
    assert docs == local_docs
    assert pages == local_pages


@pytest.mark.slow
def test_a_worker_killed_mid_run_loses_no_file_and_duplicates_none(cluster, local_run, tmp_path):
    victim = cluster.workers[0]
    done = []

    def on_file(result) -> None:
        done.append(result)
        if len(done) == 3:  # the run is under way: both workers hold files
            os.kill(victim.pid, signal.SIGKILL)

    config = IndexConfig(index_dir=tmp_path / "index", scheduler=cluster.address)
    report = index_paths([CORPUS], config, on_file=on_file)
    victim.wait(timeout=10)
    assert victim.returncode == -signal.SIGKILL, "the worker was killed during the run"
    local_report, (local_docs, local_pages) = local_run
    docs, pages = _contents(tmp_path / "index")
    assert report.failed == []
    assert sorted(r.source.relpath for r in done if isinstance(r, ExtractedDoc)) == sorted(
        d["relpath"] for d in local_docs.values()
    )
    assert docs == local_docs and pages == local_pages


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path):
    from tests.conftest import run_citymig

    (tmp_path / "notes.md").write_text("# Notes\n\nA few words about welcome centres.\n", encoding="utf-8")
    started = time.monotonic()
    done = run_citymig(
        "index", tmp_path, "--index", tmp_path / "index", "--scheduler", f"tcp://127.0.0.1:{_free_port()}"
    )
    assert done.returncode == 4
    assert "cannot reach the Dask scheduler" in done.stderr and "Traceback" not in done.stderr
    assert time.monotonic() - started < 120
