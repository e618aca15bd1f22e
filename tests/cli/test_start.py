"""The first minutes: `unitalk sandbox` prints what to paste and starts with something to
work on, and the README's "Try it against the sandbox" runs as printed."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli._process import UNITALK, clean_env, sandbox_process, unitalk
from unitalk_async.sandbox.sample import welcome

README = Path(__file__).parents[2] / "README.md"


@pytest.fixture(scope="module")
def started() -> Iterator[list[str]]:
    """`unitalk sandbox --port 0` as a user starts it: the lines it printed up to the
    export line (the process serves until the module ends)."""
    process = subprocess.Popen(
        [str(UNITALK), "sandbox", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=clean_env(PYTHONUNBUFFERED="1"),
    )
    try:
        assert process.stdout is not None
        lines: list[str] = []
        while not lines or not lines[-1].startswith("export "):
            line = process.stdout.readline()
            assert line, f"the sandbox stopped after printing {lines}"
            lines.append(line.rstrip("\n"))
        yield lines
    finally:
        process.terminate()
        process.wait(timeout=10)


def exported(lines: list[str]) -> dict[str, str]:
    """The variables of the printed export line, as a shell would set them."""
    [line] = [line for line in lines if line.startswith("export ")]
    pairs = [word.split("=", 1) for word in shlex.split(line.removeprefix("export "))]
    return dict(pairs)


def test_the_sandbox_prints_a_ready_to_paste_export_line(started: list[str]) -> None:
    url = started[0].removeprefix("Unitalk sandbox at ")
    key = started[1].removeprefix("API key: ")
    assert exported(started) == {"UNITALK_BASE_URL": url, "UNITALK_API_KEY": key}
    [sample_line] = [line for line in started if line.startswith("Sample autodialer ")]
    assert re.fullmatch(r"Sample autodialer \d+: 200 numbers, 120 of them called .*", sample_line)
    result = unitalk("--json", "autodial", "list", env=clean_env(**exported(started)))
    assert result.code == 0, result.stderr
    [sample] = result.json()
    assert sample["name"] == "Sandbox autodialer"
    assert str(sample["id"]) in sample_line


def test_behind_an_emulated_wan_the_export_line_trusts_its_certificate() -> None:
    line = welcome("https://127.0.0.1:1/api", "k-1 2", None, "/tmp/a b/cert.pem").splitlines()[2]
    assert shlex.split(line.removeprefix("export ")) == [
        "UNITALK_BASE_URL=https://127.0.0.1:1/api",
        "UNITALK_API_KEY=k-1 2",
        "SSL_CERT_FILE=/tmp/a b/cert.pem",
    ]


def test_empty_starts_without_the_sample() -> None:
    for sandbox in sandbox_process():  # run_sandbox_process passes --empty
        assert sandbox("--json", "autodial", "list").json() == []
    usage = subprocess.run(
        [sys.executable, "-m", "unitalk_async.sandbox", "--help"], capture_output=True, text=True
    )
    assert "--empty" in usage.stdout


def readme_section(title: str) -> str:
    text = README.read_text()
    start = text.index(f"## {title}\n")
    return text[start : text.index("\n## ", start + 1)]


def test_the_readme_walkthrough_runs_as_printed(started: list[str], tmp_path: Path) -> None:
    """A newcomer following only the README: numbers uploaded and exported with the CLI."""
    section = readme_section("Try it against the sandbox")
    first, second = re.findall(r"```bash\n(.*?)```", section, re.S)
    assert [line.split("#")[0].strip() for line in first.splitlines()] == [
        "source .venv/bin/activate",
        "unitalk sandbox",  # what `started` ran (on a free port)
    ]
    printed = next(line for line in started if line.startswith("export "))
    script = re.sub(r"^export UNITALK_BASE_URL=.*$", printed, second, count=1, flags=re.M)
    assert script != second
    bin_dir = str(UNITALK.parent)
    env = clean_env(PATH=f"{bin_dir}:{clean_env()['PATH']}")
    done = subprocess.run(
        ["bash", "-e", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Autodialer 100001 created: My first." in done.stdout
    exported_numbers = [
        json.loads(line) for line in (tmp_path / "numbers.jsonl").read_text().splitlines()
    ]
    assert [(n["phone"], n["name"], n["taskId"]) for n in exported_numbers] == [
        ("380501112233", "Ann", 100001),
        ("380671234567", "Bob", 100001),
    ]
    assert "Traceback" not in done.stderr
