"""The real web server for end-to-end tests: ``citymig serve`` in a child process on a free loopback port."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serving(index_dir: Path, *args: str, cwd: Path | None = None, tries: int = 200) -> Iterator[tuple[str, object]]:
    """``citymig serve --index DIR [ARGS]`` until the block ends; yields (base URL, the server's process).

    Waits for ``/healthz`` (``tries`` × 0.1 s) and fails with the server's own error output if it never
    answers; stops the server (and kills it when it does not stop) whatever the block does.
    """
    port = free_port()
    command = [sys.executable, "-m", "indexer", "serve", "--index", str(index_dir), "--port", str(port), *args]
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(tries):
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("the server did not start: " + process.stderr.read1().decode(errors="replace"))
        yield base, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stderr.close()
