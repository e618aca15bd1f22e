"""Serving the sandbox: `run_sandbox` from sync and async code, `serve_sandbox`, and
`python -m unitalk_async.sandbox`."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import httpx
import pytest

from unitalk_async.sandbox import SandboxConfig, run_sandbox, run_sandbox_process, serve_sandbox


def test_urls_and_key() -> None:
    with run_sandbox(SandboxConfig(api_key="k-1")) as server:
        assert server.root_url == f"http://127.0.0.1:{server.port}"
        assert server.base_url == server.root_url + "/api"
        assert server.admin_url == server.root_url + "/__admin"
        assert server.api_key == "k-1" == server.sandbox.api_key
        answer = httpx.post(
            server.base_url + "/autodial/action",
            json={"action": "GET_LIST"},
            headers={"Authorization": "Bearer k-1"},
        )
        assert answer.json() == {"status": "Success", "data": []}
    with pytest.raises(httpx.ConnectError):
        httpx.post(server.base_url + "/autodial/action")


def test_two_at_once_on_different_ports() -> None:
    with run_sandbox() as first, run_sandbox() as second:
        assert first.port != second.port
        assert first.api_key != second.api_key


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio", "trio"])
async def test_usable_inside_a_running_event_loop(anyio_backend: str) -> None:
    with run_sandbox() as server:
        async with httpx.AsyncClient(headers={"Authorization": server.api_key}) as client:
            answer = await client.post(server.base_url + "/users/list")
            assert answer.status_code == 200 and answer.json()
    async with (
        serve_sandbox(SandboxConfig(seed=2)) as served,
        httpx.AsyncClient(headers={"Authorization": served.api_key}) as http,
    ):
        answer = await http.post(served.base_url + "/autodial/action", json={"action": "GET_LIST"})
        assert answer.status_code == 200


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_command_line_prints_url_and_key() -> None:
    port = free_port()
    command = [sys.executable, "-m", "unitalk_async.sandbox", "--port", str(port)]
    command += ["--seed", "3", "--history-size", "50", "--no-limits", "--admin"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    try:
        assert process.stdout is not None
        url_line = process.stdout.readline().strip()
        key_line = process.stdout.readline().strip()
        admin_line = process.stdout.readline().strip()
        assert url_line == f"Unitalk sandbox at http://127.0.0.1:{port}/api"
        assert key_line.startswith("API key: ")
        assert admin_line == f"Admin: http://127.0.0.1:{port}/__admin"
        key = key_line.removeprefix("API key: ")
        base = url_line.removeprefix("Unitalk sandbox at ")
        # Already listening when it prints: the request waits in the backlog if need be.
        answer = httpx.post(base + "/history/get", headers={"Authorization": key}, json={
            "dateFrom": "2000-01-01 00:00:00", "dateTo": "2100-01-01 00:00:00", "limit": 1000,
        })  # fmt: skip
        assert answer.json()["count"] == 50
        assert httpx.get(f"http://127.0.0.1:{port}/__admin/arrivals").json()["total"] == 1
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert process.stderr is not None
    assert key not in process.stderr.read()  # the key is printed once, never logged


def test_a_sandbox_in_a_child_process() -> None:
    with run_sandbox_process(seed=4, enforce_limits=False, time_scale=0.5) as child:
        assert child.base_url.startswith("http://127.0.0.1:")
        headers = {"Authorization": child.api_key}
        answer = httpx.post(
            child.base_url + "/autodial/action", json={"action": "GET_LIST"}, headers=headers
        )
        assert answer.json() == {"status": "Success", "data": []}
        assert httpx.get(child.admin_url + "/arrivals").json()["total"] == 1
    with pytest.raises(httpx.ConnectError):
        httpx.post(child.base_url + "/autodial/action")


def test_the_admin_route_is_mounted_only_when_asked_for() -> None:
    with run_sandbox() as server:
        assert httpx.get(server.admin_url + "/arrivals").status_code == 404
    with run_sandbox(SandboxConfig(admin=True)) as server:
        assert httpx.get(server.admin_url + "/arrivals").status_code == 200
