"""The README's demo (`python3 run.py demo`) runs to the end against its embedded sandbox."""

from __future__ import annotations

import os
import re
import subprocess
import sys

DEMO_BOUND = 180  # seconds: a hung demo fails the test instead of hanging CI


def row(output: str, label: str) -> list[str]:
    """The cells of the table row starting with `label`."""
    for line in output.splitlines():
        cells = [cell.strip() for cell in re.split(r"[│┃|]", line) if cell.strip()]
        if cells and cells[0] == label:
            return cells
    raise AssertionError(f"no row {label!r} in:\n{output}")


def test_the_demo_uploads_pages_exports_and_never_trips_a_limit() -> None:
    env = {**os.environ, "COLUMNS": "120"}
    env.pop("UNITALK_API_KEY", None)  # the demo needs no key
    done = subprocess.run(
        [sys.executable, "-m", "unitalk_async.demo"],
        capture_output=True,
        text=True,
        timeout=DEMO_BOUND,
        env=env,
    )
    out = done.stdout
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    # 1,000,000 rows, one malformed in every 100,000: 10 requests of 100,000
    assert "999,990 numbers uploaded in 10 requests" in out
    assert "10 rejected before sending" in out
    assert re.search(r"[\d,]+ answered numbers in \d+ pages", out)
    assert "20,000 calls written to" in out
    # what the server saw: within every limit, nothing refused, no block
    assert int(row(out, "worst 1-s window")[1]) <= 15
    assert int(row(out, "worst 10-s window")[1]) <= 30
    assert row(out, "refused (429/403)")[1] == "0"
    assert row(out, "blocks")[1] == "0"
    # the client's own account agrees with the server's count
    assert row(out, "total")[1] == row(out, "requests")[1]
    # the client's cost units are labelled as estimates, next to what the sandbox billed
    assert "cost units (est.)" in out and "cost units billed" in out
    assert re.search(r"Cost units: the client estimated \d+ .*; the sandbox billed \d+", out)
    # piped, a long line stays one line (grep finds it whole)
    assert re.search(r"numbers uploaded in 10 requests .* rejected before sending, e\.g\. '", out)
    # and it ends with what to try next
    assert out.rstrip().splitlines()[-5] == "What to try next:"
    assert "unitalk sandbox" in out.rstrip().splitlines()[-4]
