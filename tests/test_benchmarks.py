"""Smoke test: every benchmark runs in its quick mode and reports its figures.

Timings are never asserted here (a shared CI machine makes them noise); the benchmarks
print them. What is asserted: each ran, and the combined table lists its figures.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOUND = 300  # seconds: a hung benchmark fails the test instead of hanging CI


def test_every_benchmark_runs_in_quick_mode_and_prints_its_figures() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run_all.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=BOUND,
        cwd=ROOT,
        env={**os.environ, "COLUMNS": "160"},
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = done.stdout
    combined = out[out.index("All benchmarks: headline figures") :]
    for name, metric in (
        ("governor", "(a) ratio to theoretical max"),
        ("governor", "loopback: server-seen violations"),
        ("governor", "network: (a) ratio to theoretical max"),
        ("codec", "json.loads / typed: GET_NUMBERS, 5,000 rows"),
        ("codec", "json.loads / typed: /history/get, 1,000 rows"),
        ("overhead", "client / raw httpx round trip (medians)"),
        ("bulk", "client peak RSS"),
        ("bulk", "requests used"),
        ("priority", "(a) interactive wait p99"),
        ("priority", "(a) bulk / capacity left"),
    ):
        assert any(name in line and metric in line for line in combined.splitlines()), metric
    for name in ("governor", "codec", "overhead", "bulk", "priority"):
        assert f"--- {name}: " in out  # ran to the end, with its own table above
        mine = [line for line in combined.splitlines() if f" {name} " in line]
        assert mine and not any("did not run" in line for line in mine)
