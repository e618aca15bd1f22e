"""Run every benchmark and print one table of their headline figures (`python3 run.py bench`).

Each benchmark runs as its own process (so one's memory or event loop cannot skew the
next), prints its own tables, and hands its headline figures back through a summary file.
`--quick` is passed on: small runs, for the smoke test. A benchmark that cannot run here
(the Redis one without a redis-server, say) is reported as such; the others still run.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from _report import Figure, parse_args, print_figures, read_summary

HERE = Path(__file__).resolve().parent
BENCHMARKS = (
    "governor",
    "codec",
    "overhead",
    "bulk",
    "redis_governor",
    "priority",
    "webhook_dedupe",
)


def redis_reachable() -> str | None:
    """None if the benchmarks' redis-server answers a TCP connect, else why not."""
    url = os.environ.get("UNITALK_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), 2):
            return None
    except OSError as exc:
        return f"no redis-server at {parts.hostname}:{parts.port or 6379} ({exc.strerror or exc})"


def run_one(name: str, quick: bool, summary: Path) -> tuple[int, float]:
    command = [sys.executable, str(HERE / f"{name}.py"), "--summary-json", str(summary)]
    if quick:
        command.append("--quick")
    began = time.perf_counter()
    code = subprocess.run(command, cwd=HERE.parent, env={**os.environ}).returncode
    return code, time.perf_counter() - began


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(__doc__.splitlines()[0], argv)
    figures: list[Figure] = []
    failed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="unitalk-bench-") as tmp:
        for name in BENCHMARKS:
            if not (HERE / f"{name}.py").exists():
                continue
            if name == "redis_governor" and (why := redis_reachable()) is not None:
                print(f"\n=== benchmarks/{name}.py skipped: {why}", flush=True)
                figures.append(Figure(name, f"skipped: {why}", 0.0, "-"))
                continue
            print(f"\n=== benchmarks/{name}.py{' --quick' if args.quick else ''}", flush=True)
            summary = Path(tmp) / f"{name}.json"
            code, seconds = run_one(name, args.quick, summary)
            if code != 0 or not summary.exists():
                failed.append(name)
                figures.append(Figure(name, f"did not run (exit code {code})", 0.0, "-", False))
                continue
            figures.extend(read_summary(summary))
            print(f"--- {name}: {seconds:.1f} s", flush=True)
    print()
    print_figures(figures, "All benchmarks: headline figures (ratios against a baseline run alike)")
    missed = [f for f in figures if f.ok is False]
    print(
        f"{len(figures) - len(missed)} of {len(figures)} figures met or informational; "
        + (
            f"not met or not run: {', '.join(f'{f.benchmark}: {f.metric}' for f in missed)}"
            if missed
            else "every target met."
        ),
        flush=True,
    )
    return 1 if failed and len(failed) == len(BENCHMARKS) else 0


if __name__ == "__main__":
    sys.exit(main())
