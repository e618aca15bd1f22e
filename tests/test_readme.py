"""The README's code runs as printed, against the sandbox."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from unitalk_async.sandbox import SandboxConfig, run_sandbox

ROOT = Path(__file__).parent.parent
README = ROOT / "README.md"


def test_the_first_two_commands_are_the_demo_and_the_tests() -> None:
    first_block = re.search(r"```bash\n(.*?)```", README.read_text(), re.S)
    assert first_block is not None
    commands = [line.split("#")[0].strip() for line in first_block[1].splitlines()]
    assert commands[:2] == ["python3 run.py demo", "python3 run.py test"]


def test_the_tour_runs_against_the_sandbox(tmp_path: Path) -> None:
    tour = re.search(r"## A tour\n\n```python\n(.*?)```", README.read_text(), re.S)
    assert tour is not None
    (tmp_path / "tour.py").write_text(tour[1])
    (tmp_path / "numbers.csv").write_text(
        "phone,name\n" + "".join(f"38050{i:07d},name {i}\n" for i in range(500)) + "12,too short\n"
    )
    with run_sandbox(SandboxConfig(seed=11)) as server:
        env = {**os.environ, "UNITALK_API_KEY": server.api_key, "UNITALK_BASE_URL": server.base_url}
        done = subprocess.run(
            [sys.executable, "tour.py"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 0, done.stderr
    assert "500 taken; 1 rejected" in done.stdout
    assert "Task not found /autodial/action" in done.stdout
    assert server.api_key not in done.stdout + done.stderr


def test_every_python_block_and_example_passes_mypy_strict(tmp_path: Path) -> None:
    # One mypy run over every block, the examples and the typing checks: fast, and warm
    # from the project's cache after `run.py lint`.
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
    assert len(blocks) >= 5
    for index, block in enumerate(blocks):
        (tmp_path / f"readme_block_{index}.py").write_text(block)
    checked = [tmp_path, ROOT / "examples", ROOT / "tests" / "typing_checks.py"]
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", *map(str, checked)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def section_code(title: str) -> str:
    text = README.read_text()
    start = text.index(f"### {title}\n")
    end = min(text.find(mark, start + 1) % (len(text) + 1) for mark in ("\n## ", "\n### "))
    blocks = re.findall(r"```python\n(.*?)```", text[start:end], re.S)
    assert blocks, title
    return "\n".join(blocks)


def test_the_priority_and_opentelemetry_examples_run(tmp_path: Path) -> None:
    code = section_code("Three workloads on one key") + section_code(
        "Observability with OpenTelemetry"
    )
    script = tmp_path / "classes.py"
    script.write_text(
        code
        + """

async def main(api_key: str, base_url: str) -> None:
    async with instrumented_client(api_key, base_url) as client:
        assert await handle_web_request(client) > 0
        classes = client.stats.governor.classes
        assert (classes["interactive"].admitted, classes["bulk"].admitted) == (1, 1)


if __name__ == "__main__":
    import os

    import anyio

    anyio.run(main, os.environ["UNITALK_API_KEY"], os.environ["UNITALK_BASE_URL"])
"""
    )
    with run_sandbox(SandboxConfig(seed=11)) as server:
        env = {**os.environ, "UNITALK_API_KEY": server.api_key, "UNITALK_BASE_URL": server.base_url}
        done = subprocess.run(
            [sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=120
        )
    assert done.returncode == 0, done.stderr


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.mark.anyio
async def test_the_webhook_section_serves_events_without_logging_its_secrets(
    tmp_path: Path,
) -> None:
    from webhooks._server import server_log, serving

    path = tmp_path / "readme_webhooks.py"
    path.write_text(section_code("Webhooks"))
    spec = importlib.util.spec_from_file_location("readme_webhooks", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    call_end = b'{"event": "CALL_END", "call": {"id": %d}}'
    posts = [("/unitalk", "new-secret"), ("/unitalk/", "old-secret"), ("/unitalk", "guess")]
    with server_log() as records:
        async with serving(module.app) as url, httpx.AsyncClient(base_url=url) as http:
            statuses = [
                (await http.post(where, params={"token": token}, content=call_end % n)).status_code
                for n, (where, token) in enumerate(posts)
            ]
            again = await http.post(
                "/unitalk", params={"token": "new-secret"}, content=call_end % 0
            )
    await module.shared.seen.aclose()
    assert statuses == [200, 200, 403]
    assert again.status_code == 200
    assert module.receiver.statistics().duplicates == 1
    served = [r.getMessage() for r in records if r.name != "httpx"]  # not the sender's own
    assert sum("token=***" in line for line in served) == 4, served
    assert not [line for line in served if "new-secret" in line or "old-secret" in line]
