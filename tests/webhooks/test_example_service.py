"""examples/webhook_receiver.py: imported and served, and run as the script it is."""

from __future__ import annotations

import importlib.util
import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import anyio
import httpx
import pytest

from ._server import serving

pytestmark = pytest.mark.anyio

EXAMPLE = Path(__file__).parents[2] / "examples" / "webhook_receiver.py"
ROUTE = b'{"event": "ROUTE", "call": {"from": "%s", "outerNumber": "380442949168"}}'
CALL_END = b'{"event": "CALL_END", "call": {"id": 7, "from": "380505557182", "to": ["2048"]}}'


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("webhook_receiver_example", EXAMPLE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def test_the_example_answers_route_from_its_table() -> None:
    example = _load()
    receiver = example.create_receiver(secret="s3cret")
    async with serving(receiver.app) as url, httpx.AsyncClient(base_url=url) as http:
        known = await http.post("/", params={"token": "s3cret"}, content=ROUTE % b"380505557182")
        formatted = await http.post(
            "/", params={"token": "s3cret"}, content=ROUTE % b"+380 (97) 123-45-67"
        )
        stranger = await http.post("/", params={"token": "s3cret"}, content=ROUTE % b"1234567")
        event = await http.post("/", params={"token": "s3cret"}, content=CALL_END)
        intruder = await http.post("/", params={"token": "guess"}, content=ROUTE % b"1234567")
    assert known.json() == {"operatorNumber": "2048", "ivrId": None}
    assert formatted.json() == {"operatorNumber": "2040", "ivrId": None}
    assert stranger.json() == {"operatorNumber": None, "ivrId": None}
    assert (event.status_code, event.json()) == (200, {})
    assert intruder.status_code == 403
    assert receiver.statistics().handled == 4


async def test_the_example_rotates_secrets_and_keeps_dead_letters(tmp_path: Path) -> None:
    dead_letters = tmp_path / "dead.jsonl"
    receiver = _load().create_receiver(secret="new-one, s3cret", dead_letters=dead_letters)
    undecodable = b'{"event": "CALL_END", "call": {"id": 8, "date": "9 July 2018"}}'
    async with serving(receiver.app) as url, httpx.AsyncClient(base_url=url) as http:
        current = await http.post("/", params={"token": "new-one"}, content=CALL_END)
        previous = await http.post("/", params={"token": "s3cret"}, content=undecodable)
    assert (current.status_code, previous.status_code) == (200, 200)
    assert receiver.statistics().previous_secret == 1
    [line] = dead_letters.read_text().splitlines()
    kept = json.loads(line)
    assert kept["event"] == "CALL_END"
    assert kept["raw"]["call"] == {"id": 8, "date": "9 July 2018"}
    assert "call.date" in kept["error"]


def test_the_example_needs_a_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("UNITALK_WEBHOOK_SECRET", raising=False)
    with pytest.raises(SystemExit, match="UNITALK_WEBHOOK_SECRET"):
        _load().create_receiver()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def test_the_example_runs_as_a_script() -> None:
    port = _free_port()
    env = {**os.environ, "UNITALK_WEBHOOK_SECRET": "from-env"}
    process = await anyio.open_process(
        [sys.executable, str(EXAMPLE), "--port", str(port)], env=env, stderr=subprocess.STDOUT
    )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
            with anyio.fail_after(20):
                while True:
                    try:
                        answer = await http.post(
                            "/", params={"token": "from-env"}, content=ROUTE % b"380971234567"
                        )
                        break
                    except httpx.ConnectError:
                        assert process.returncode is None, "the example exited"
                        await anyio.sleep(0.05)
    finally:
        process.terminate()
        with anyio.fail_after(10):
            assert process.stdout is not None
            output = b"".join([chunk async for chunk in process.stdout])
            await process.wait()
    assert answer.json() == {"operatorNumber": "2040", "ivrId": None}
    log = output.decode()
    assert "ROUTE 380971234567 -> 2040" in log
    assert "token=***" in log  # uvicorn's access log, secret masked
    assert "from-env" not in log
