"""Ctrl-C and SIGTERM stop a command alike: an upload says what the service confirmed and
that running it again is safe, and keeps the rejects seen so far; an export leaves no
partial file behind."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.cli._process import UNITALK, Sandbox
from unitalk_async.sandbox import SandboxProcess

POLL = 0.05  # seconds between looks at the server or the directory (a poll, not a bound)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    """A sandbox with the API's limits whose number operations take a second, as large
    ones do on the service: long enough to interrupt a command in the middle."""
    command = [sys.executable, "-m", "unitalk_async.sandbox", "--port", "0", "--empty"]
    command += ["--admin", "--number-op-seconds", "1"]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert child.stdout is not None
        base_url = child.stdout.readline().strip().removeprefix("Unitalk sandbox at ")
        key = child.stdout.readline().strip().removeprefix("API key: ")
        yield Sandbox(SandboxProcess(base_url, key, child.pid))
    finally:
        child.terminate()
        child.wait(timeout=10)


def numbers_held(sandbox: Sandbox) -> int:
    held: int = httpx.get(f"{sandbox.process.admin_url}/state").json()["numbers"]
    return held


def start(sandbox: Sandbox, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(UNITALK), *args],
        env=sandbox.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_upload_reports_what_landed_and_keeps_the_rejects(
    sandbox: Sandbox, tmp_path: Path, signum: signal.Signals
) -> None:
    autodialer_id = sandbox.add_autodialer(f"Interrupted {signum.name}")
    source = tmp_path / "big.csv"
    with source.open("w") as file:
        file.write("phone\n12\nnot a number\n")  # rejected before sending
        file.writelines(f"{380_600_000_000 + i}\n" for i in range(400_000))
    before = numbers_held(sandbox)
    upload = start(sandbox, "numbers", "upload", str(autodialer_id), str(source))
    while numbers_held(sandbox) - before < 100_000 and upload.poll() is None:
        time.sleep(POLL)
    upload.send_signal(signum)
    _, stderr = upload.communicate(timeout=60)

    assert upload.returncode == 128 + signum, stderr
    assert f"interrupted by {signum.name}" in stderr
    assert "Traceback" not in stderr
    match = re.search(r"the service confirmed it took ([\d,]+) numbers", stderr)
    assert match is not None, stderr
    confirmed = int(match[1].replace(",", ""))
    held = numbers_held(sandbox) - before
    assert confirmed <= held <= confirmed + 100_000  # the one request in flight at most
    assert held < 400_000  # it did stop
    assert "Running the same upload again is safe" in stderr
    rejects = tmp_path / "big.rejects.csv"
    assert "2 rejected rows so far written to" in stderr
    assert rejects.read_text().splitlines()[1].startswith("12,")


def test_an_export_stopped_by_sigterm_leaves_no_partial_file(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    # 40 pages: more than the API's 30 requests in 10 s, so the export lasts 10 s at least
    autodialer_id = sandbox.add_autodialer("Exported", numbers=200_000)
    target = tmp_path / "numbers.jsonl"
    partial = tmp_path / ".numbers.jsonl.partial"
    export = start(sandbox, "numbers", "export", str(autodialer_id), "-o", str(target))
    while not partial.exists() and export.poll() is None:
        time.sleep(POLL)
    export.send_signal(signal.SIGTERM)
    _, stderr = export.communicate(timeout=60)
    assert export.returncode == 128 + signal.SIGTERM, stderr
    assert "interrupted by SIGTERM" in stderr
    assert list(tmp_path.iterdir()) == []  # neither the file nor a hidden .partial


def test_a_failed_upload_says_where_it_wrote_the_rejects(sandbox: Sandbox, tmp_path: Path) -> None:
    source = tmp_path / "few.csv"
    source.write_text("phone\n380501112233\n12\n")
    failed = sandbox("numbers", "upload", "999999", str(source))
    assert failed.code == 1
    assert f"1 rejected rows so far written to {tmp_path / 'few.rejects.csv'}" in failed.stderr
    assert (tmp_path / "few.rejects.csv").exists()
