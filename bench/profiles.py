"""Summaries of py-spy profiles: where the time goes, by function, inclusive and self.

    py-spy record --subprocesses --format raw -o bench/cache/index.txt -- citymig index corpus --index /tmp/ix
    python -m bench.profiles bench/cache/index.txt [--top 30]

``--format raw`` writes one collapsed stack per line (``frame;frame;… count``);
this prints the share of samples per process, then the functions with the
largest inclusive and self shares (line numbers dropped, so a function counts once).
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

_LINE = re.compile(r":\d+\)")


def summarise(path: Path) -> dict:
    """Samples per process, and inclusive and self samples per function, from a raw py-spy file."""
    inclusive, own, processes = Counter(), Counter(), Counter()
    total = 0
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = stack.split(";")
        # With --subprocesses a worker's stack hangs under its parent's: count it for the innermost process.
        starts = [i for i, frame in enumerate(frames) if frame.startswith("process ")]
        if starts:
            processes[frames[starts[-1]][:70]] += n
            frames = frames[starts[-1] + 1 :]
        functions = [_LINE.sub(")", frame) for frame in frames]
        for function in set(functions):
            inclusive[function] += n
        if functions:
            own[functions[-1]] += n
    return {"total": total, "processes": processes, "inclusive": inclusive, "self": own}


def main(argv: list[str] | None = None) -> int:
    """Print the summary of a raw py-spy profile."""
    parser = argparse.ArgumentParser(description="Summarise a py-spy --format raw profile.")
    parser.add_argument("profile", type=Path)
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args(argv)
    summary = summarise(args.profile)
    total = summary["total"] or 1
    print(f"samples: {summary['total']}")
    for title in ("processes", "inclusive", "self"):
        print(f"--- {title}")
        for name, n in summary[title].most_common(args.top):
            print(f"{100 * n / total:5.1f}%  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
