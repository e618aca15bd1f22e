"""Every script in examples/ runs as it is, against a sandbox (no UNITALK_API_KEY).

Each runs as a subprocess, bounded in time, and is judged by what it prints and writes.
"""

from __future__ import annotations

import csv
import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
BOUND = 90  # seconds: a hung example fails its test instead of hanging CI


def run_example(name: str, *args: str, cwd: Path | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("UNITALK_")}
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / name), *args],
        capture_output=True,
        text=True,
        timeout=BOUND,
        env=env,
        cwd=cwd,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    return done.stdout


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_etl_export_writes_every_call_of_the_period(tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"calls{suffix}"
    out = run_example("etl_export.py", str(target), "--from", "2000-01-01", "--to", "2099-12-31")
    reported = re.search(r"([\d,]+) calls from .* written to", out)
    assert reported is not None
    written = int(reported[1].replace(",", ""))
    if suffix == ".csv":
        with target.open(newline="") as file:
            rows = list(csv.DictReader(file))
        ids = [row["id"] for row in rows]
        assert {"id", "date", "from", "to", "state"} <= set(rows[0])
    else:
        ids = [json.loads(line)["id"] for line in target.read_text().splitlines()]
    assert written == len(ids) == len(set(ids)) > 0
    assert not list(tmp_path.glob("*.partial"))


def test_upload_worker_uploads_the_queue_in_chunks() -> None:
    out = run_example("upload_worker.py", "--count", "12000")
    chunks = re.findall(r"chunk of ([\d,]+): ([\d,]+) accepted, (\d+) rejected", out)
    assert sum(int(size.replace(",", "")) for size, _, _ in chunks) == 12_000
    assert sum(int(rejected) for _, _, rejected in chunks) == 2  # 2 malformed of 12,000
    assert re.search(r"11,998 numbers uploaded to autodialer \d+ in \d+ requests", out)


def test_voice_analytics_prints_the_decoded_metrics() -> None:
    out = run_example("voice_analytics.py")
    assert re.search(r"analysing call \d+ with profile \d+", out)
    assert "profile: " in out
    assert re.search(r"^  \S.*: \S", out, re.MULTILINE)  # at least one metric, decoded
    assert "transcription (" in out


def test_fastapi_service_serves_through_one_shared_client() -> None:
    out = run_example("fastapi_service.py", "--selftest")
    assert "GET /lines -> 200" in out
    assert "GET /autodialers -> 200 []" in out
    assert re.search(r'POST /sms -> 201 \{"id":\d+\}', out)
    assert "POST /sms -> 422" in out and "not a phone number" in out
    stats = json.loads(out.split("GET /stats -> 200 ", 1)[1].splitlines()[0])
    assert stats["requests"] == 3  # lines, autodialers, one SMS: the refused one never left


def test_webhook_receiver_runs_as_a_script() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "UNITALK_WEBHOOK_SECRET": "example-secret"}
    process = subprocess.Popen(
        [sys.executable, str(EXAMPLES / "webhook_receiver.py"), "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    route = b'{"event": "ROUTE", "call": {"from": "380505557182", "outerNumber": "380442949168"}}'
    try:
        deadline = time.monotonic() + BOUND
        while True:
            try:
                answer = httpx.post(
                    f"http://127.0.0.1:{port}/",
                    params={"token": "example-secret"},
                    content=route,
                    timeout=5,
                )
                break
            except httpx.TransportError:
                assert process.poll() is None, "the receiver exited"
                assert time.monotonic() < deadline, "the receiver did not start"
                time.sleep(0.05)
        assert answer.status_code == 200
        assert answer.json()["operatorNumber"] == "2048"
    finally:
        process.terminate()
        process.wait(timeout=10)
