"""Driving the sandbox with raw httpx: in-process (ASGITransport) for logic, loopback for
limits and faults. Never the client library: the sandbox is checked on its own."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from unitalk_async.sandbox import Sandbox, SandboxConfig, create_app

BASE = "http://sandbox.test"

# A valid AUTODIAL / FIXED task; tests copy it and change one thing.
TASK: dict[str, Any] = {
    "name": "Windows campaign",
    "autodialerType": "AUTODIAL",
    "autodialerMode": "FIXED",
    "startDate": "2030-03-15",
    "endDate": "2030-05-15",
    "timeFrom": ["09:00", "11:00", "11:00", "11:00", "11:00", None, "14:00"],
    "timeTo": ["19:00", "19:00", "19:00", "19:00", "19:00", None, "17:00"],
    "scenarioId": 70,
    "threadCount": 1,
    "crmMode": "DONT_SEND",
    "clientCalledMode": "NEVER",
}


def task(**changes: Any) -> dict[str, Any]:
    """TASK with `changes` applied (a value of ... removes the key)."""
    result = copy.deepcopy(TASK)
    for key, value in changes.items():
        if value is ...:
            result.pop(key, None)
        else:
            result[key] = value
    return result


def phones(count: int, start: int = 0, prefix: str = "38097") -> list[str]:
    return [f"{prefix}{n:07d}" for n in range(start, start + count)]


@dataclass
class Api:
    """Raw httpx on an in-process sandbox app."""

    app: Starlette

    @property
    def sandbox(self) -> Sandbox:
        sandbox: Sandbox = self.app.state.sandbox
        return sandbox

    def http(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app),
            base_url=BASE,
            headers={"Authorization": self.sandbox.api_key},
        )

    async def post(self, path: str, **kwargs: Any) -> httpx.Response:
        async with self.http() as http:
            return await http.post(path, **kwargs)

    async def action(self, action: str, **body: Any) -> httpx.Response:
        return await self.post("/api/autodial/action", json={"action": action, **body})

    async def ok(self, action: str, **body: Any) -> Any:
        """The decoded answer of an action that must succeed."""
        response = await self.action(action, **body)
        assert response.status_code == 200, response.text
        return response.json()

    async def fails(self, action: str, **body: Any) -> dict[str, Any]:
        """The error body of an action that must fail with a documented 400."""
        response = await self.action(action, **body)
        assert response.status_code == 400, response.text
        answer: dict[str, Any] = response.json()
        assert answer["status"] == "Error"
        return answer

    async def create(self, numbers: list[str] | None = None, **changes: Any) -> int:
        body = task(**changes)
        if numbers is not None:
            body["numbers"] = numbers
        answer = await self.ok("ADD", task=body)
        autodialer_id: int = answer["data"]
        return autodialer_id

    async def status(self, autodialer_id: int) -> str:
        answer = await self.ok("GET_LIST")
        (item,) = [a for a in answer["data"] if a["id"] == autodialer_id]
        status: str = item["status"]
        return status


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    # Number operations hold the handler for no time here: these tests are about answers and
    # state; holding and "Handler is busy" have tests of their own.
    return SandboxConfig(
        enforce_limits=False, admin=True, number_op_seconds=0, number_op_seconds_per_100k=0
    )


@pytest.fixture
def api(sandbox_config: SandboxConfig) -> Api:
    return Api(create_app(sandbox_config))


@pytest.fixture
def anyio_backend() -> str:
    """asyncio by default; tests that show the app runs under trio ask for it."""
    return "asyncio"
