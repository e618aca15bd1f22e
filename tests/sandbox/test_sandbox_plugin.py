"""The pytest plugin's `unitalk_sandbox` fixture, as a user's test suite would use it."""

from __future__ import annotations

import httpx

from unitalk_async import UnitalkClient
from unitalk_async.sandbox.pytest_plugin import SandboxHandle

from .conftest import task

SEEN: dict[str, str] = {}


def post(handle: SandboxHandle, body: dict[str, object]) -> httpx.Response:
    return httpx.post(
        handle.base_url + "/autodial/action", json=body, headers={"Authorization": handle.api_key}
    )


def test_a_running_sandbox_with_its_key(unitalk_sandbox: SandboxHandle) -> None:
    assert unitalk_sandbox.base_url.startswith("http://127.0.0.1:")
    assert unitalk_sandbox.base_url.endswith("/api")
    assert post(unitalk_sandbox, {"action": "ADD", "task": task()}).status_code == 200
    assert len(unitalk_sandbox.sandbox.autodial.autodialers) == 1
    assert unitalk_sandbox.sandbox.config.enforce_limits is False
    SEEN["url"] = unitalk_sandbox.base_url


def test_state_is_fresh_for_each_test_on_the_same_server(unitalk_sandbox: SandboxHandle) -> None:
    assert post(unitalk_sandbox, {"action": "GET_LIST"}).json() == {"status": "Success", "data": []}
    assert unitalk_sandbox.sandbox.arrivals.total == 1
    if "url" in SEEN:  # run after the first test: one server for the session
        assert unitalk_sandbox.base_url == SEEN["url"]


def test_client_points_at_the_sandbox(unitalk_sandbox: SandboxHandle) -> None:
    client = unitalk_sandbox.client()
    assert isinstance(client, UnitalkClient)
