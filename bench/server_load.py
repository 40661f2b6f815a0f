"""HTTP load on the real server: ``citymig serve`` on 127.0.0.1, clients in threads.

For ``/api/search`` and ``/search``, at each concurrency level (1, 4, 16
clients) a fixed number of requests is sent, every one a distinct query
(the list goes on where the last level stopped: no request repeats one the
server has answered, so none is a cache hit) (fewer when a time budget per
level runs out first) (each client an ``http.client`` connection, which
asks for keep-alive and reconnects when the server closes it, as
``citymig serve`` does after every response, taking the next URL from a
shared list drawn from the query benchmark's specs), so the run stops by
itself. Measured: requests
per second, p50/p95 latency, and errors (a status other than 200, or a
connection error). Only loopback is ever contacted.
"""

from __future__ import annotations

import http.client
import itertools
import socket
import subprocess
import threading
import time
import urllib.parse
from pathlib import Path

from bench.indexing import citymig_cmd
from bench.timing import latency_summary

HOST = "127.0.0.1"  # never anything else: this is a load test
PARAMS = {"city": "city", "country": "country", "theme": "theme", "lang": "lang", "doc_type": "type"}


def free_port() -> int:
    """A TCP port free on loopback right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def query_string(spec: dict) -> str:
    """The permalink parameters of a query spec."""
    params = [("q", spec.get("q") or "")]
    for name, values in (spec.get("filters") or {}).items():
        params += [(PARAMS[name], value) for value in values]
    if spec.get("page", 1) > 1:
        params.append(("page", str(spec["page"])))
    return urllib.parse.urlencode(params)


class Server:
    """``citymig serve`` as a subprocess, up once /healthz answers 200."""

    def __init__(self, index_dir: Path, threads: int | None = None, workers: int | None = None) -> None:
        self.port = free_port()
        cmd = citymig_cmd("serve", "--index", str(index_dir), "--host", HOST, "--port", str(self.port))
        if threads:
            cmd += ["--threads", str(threads)]
        if workers:
            cmd += ["--workers", str(workers)]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.output: list[str] = []
        # Read the server's output as it comes: a full pipe would block it mid-benchmark.
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        for line in self.proc.stderr:
            if len(self.output) < 200:
                self.output.append(line.rstrip())

    def description(self) -> str:
        """How the server runs, from its start-up line ("gunicorn, 2 workers x 4 threads"); waitress without one."""
        for line in self.output:
            if line.startswith("citymig serving") and line.endswith(")"):
                return line.rsplit("(", 1)[1][:-1]
        return "waitress, 1 process"

    def wait_ready(self, timeout: float = 60.0) -> None:
        """Poll /healthz until it answers 200; raise RuntimeError with the server's output if it never does."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self._reader.join(2)
                raise RuntimeError(f"the server exited ({self.proc.returncode}): {' / '.join(self.output)[-1500:]}")
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    conn.close()
                    return
                conn.close()
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"the server did not answer /healthz within {timeout:.0f} s")

    def stop(self) -> None:
        """Terminate the server (this process's own child, by its handle)."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def load(port: int, urls: list[str], clients: int, requests: int, budget_s: float = 90.0, start: int = 0) -> dict:
    """Send ``requests`` GETs from ``clients`` threads (fewer if ``budget_s`` runs out); throughput, latency, errors."""
    counter = itertools.count()
    deadline = time.perf_counter() + budget_s
    lock = threading.Lock()
    seconds: list[float] = []
    errors: list[str] = []

    def client() -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        while True:
            with lock:
                n = next(counter)
            if n >= requests or time.perf_counter() > deadline:
                break
            url = urls[(start + n) % len(urls)]
            started = time.perf_counter()
            try:
                conn.request("GET", url)
                response = conn.getresponse()
                response.read()
                elapsed = time.perf_counter() - started
                with lock:
                    seconds.append(elapsed)
                    if response.status != 200:
                        errors.append(f"{response.status} {url}")
            except (OSError, http.client.HTTPException) as exc:
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}")
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=60)
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    done = len(seconds) + sum(1 for e in errors if not e[:3].isdigit())
    return {
        "clients": clients,
        "requests": done,
        "planned": requests,
        "seconds": round(wall, 2),
        "rps": round(done / wall, 1),
        **latency_summary(seconds),
        "errors": len(errors),
        "first_errors": errors[:3],
    }


def run_http(
    index_dir: Path,
    specs: list[dict],
    levels=(1, 4, 16),
    requests: int = 400,
    budget_s: float = 90.0,
    workers: int | None = None,
) -> dict:
    """Load /api/search and /search at each concurrency level on a fresh server.

    Every level and endpoint goes on where the previous one stopped in ``specs``, so no request repeats
    an earlier one (the server keeps recent results) until the list is exhausted.
    """
    results: dict = {}
    offset = 10
    with Server(index_dir, workers=workers) as server:
        server.wait_ready()
        results["server"] = server.description()
        load(server.port, [f"/api/search?{query_string(spec)}" for spec in specs[:10]], 2, 10)  # warm-up
        for endpoint in ("/api/search", "/search"):
            urls = [f"{endpoint}?{query_string(spec)}" for spec in specs]
            results[endpoint] = {}
            for clients in levels:
                figures = load(server.port, urls, clients, requests, budget_s, start=offset)
                offset += figures["requests"]
                results[endpoint][str(clients)] = {**figures, "repeats": offset > len(urls)}
    return results
