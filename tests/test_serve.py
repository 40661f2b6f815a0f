"""``citymig serve`` with several gunicorn workers, through a real HTTP server on loopback."""

from __future__ import annotations

import json
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from indexer.cli.serve import gunicorn_available
from tests.conftest import run_cli
from tests.pdfs import PROSE, wrap, write_pdf, write_prose_pdf
from tests.servers import serving

NEW = "Zanzibar welcome centre"
pytestmark = pytest.mark.skipif(not gunicorn_available(), reason="gunicorn runs on POSIX systems only")


def _children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _hits(base: str, query: str) -> list[str]:
    """Titles found for ``query``, over a new connection (so the requests spread over the workers)."""
    url = f"{base}/api/search?{urllib.parse.urlencode({'q': query})}"
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.status == 200
        return [hit["title"] for hit in json.loads(response.read())["hits"]]


def _one_report(tmp_path: Path) -> tuple[Path, Path]:
    """A collection of one report and its index: (collection, index folder)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_prose_pdf(corpus / "report-en.pdf", "en", pages=2, title="Integration report en")
    index_dir = tmp_path / "index"
    assert run_cli("index", corpus, "--index", index_dir, "--jobs", "1").exit_code == 0
    return corpus, index_dir


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="counts worker processes through /proc")
def test_two_workers_serve_and_both_see_a_reindex_on_their_next_request(tmp_path):
    corpus, index_dir = _one_report(tmp_path)

    with serving(index_dir, "--workers", "2") as (base, server):
        for _ in range(100):  # the workers start one after the other
            if len(_children(server.pid)) == 2:
                break
            time.sleep(0.1)
        assert len(_children(server.pid)) == 2, "gunicorn should run two worker processes"

        # Many fresh connections: the workers take turns accepting them, so both open the index now.
        for _ in range(30):
            assert _hits(base, "Zanzibar") == []
        write_pdf(corpus / "zanzibar-en.pdf", [wrap(PROSE["en"] + " The Zanzibar welcome centre.")], title=NEW)
        assert run_cli("index", corpus, "--index", index_dir, "--jobs", "1").exit_code == 0
        seen = [_hits(base, "Zanzibar") for _ in range(30)]
        assert all(titles == [NEW] for titles in seen), seen
        assert server.poll() is None


def _index_maps(pid: int, index_dir: Path) -> int:
    """How many memory maps of the index's segment files the process holds (one per open reader)."""
    folder = str(index_dir.resolve())
    lines = Path(f"/proc/{pid}/maps").read_text().splitlines()
    return sum(1 for line in lines if folder in line and line.endswith(".seg"))


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="reads the workers' memory maps through /proc")
def test_each_worker_and_each_of_its_threads_is_warm_before_the_first_search(tmp_path):
    _, index_dir = _one_report(tmp_path)

    with serving(index_dir, "--workers", "2", "--threads", "3") as (base, server):
        for _ in range(100):
            workers = _children(server.pid)
            if len(workers) == 2 and all(_index_maps(pid, index_dir) >= 3 for pid in workers):
                break
            time.sleep(0.1)
        # No search has been asked for (only /healthz, which does not open the index): each worker's three
        # threads have opened their reader already.
        assert [_index_maps(pid, index_dir) >= 3 for pid in workers] == [True, True]
        # Connections are not kept alive, so the next request can go to whichever worker is free.
        request = urllib.request.Request(f"{base}/api/search?q=integration", headers={"Connection": "keep-alive"})
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.headers["Connection"] == "close"
