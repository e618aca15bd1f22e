"""The sandbox app driven in-process with raw httpx (not the client library), limits off,
with a hand-moved project clock."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta
from typing import Any

import anyio
import httpx
import pytest

from unitalk_async.sandbox import create_app
from unitalk_async.sandbox.config import SandboxConfig
from unitalk_async.sandbox.endpoints import EndpointsState

BASE = "http://sandbox.test"
START = datetime(2026, 3, 2, 12, 0, 0)


class Clock:
    """The project's wall clock, moved by hand."""

    def __init__(self, start: datetime = START) -> None:
        self.moment = start

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, seconds: float) -> None:
        self.moment += timedelta(seconds=seconds)


@dataclasses.dataclass
class Api:
    """An httpx client on the sandbox's /api plus the sandbox behind it."""

    http: httpx.AsyncClient
    sandbox: Any
    clock: Clock

    @property
    def state(self) -> EndpointsState:
        state: EndpointsState = self.sandbox.endpoints
        return state

    async def post(self, path: str, json: Any = None, **kwargs: Any) -> httpx.Response:
        if json is not None:
            kwargs["json"] = json
        return await self.http.post(f"/api{path}", **kwargs)

    async def ok(self, path: str, json: Any = None, **kwargs: Any) -> Any:
        """POST and return the decoded body of a successful answer."""
        response = await self.post(path, json, **kwargs)
        assert response.status_code == 200, response.text
        return response.json()

    async def fails(
        self, path: str, json: Any = None, *, message: str, **kwargs: Any
    ) -> dict[str, Any]:
        """POST and check the error answer's message; return its body.

        `message="Validation error: <reason>"` stands for the documented message
        `Validation error` with `<reason>` in `data`, as the sandbox answers it.
        """
        response = await self.post(path, json, **kwargs)
        body: dict[str, Any] = response.json()
        assert response.status_code == 400, response.text
        assert body["status"] == "Error"
        documented, _, reason = message.partition(": ")
        if documented == "Validation error" and reason:
            assert (body["message"], body.get("data")) == (documented, reason), body
        else:
            assert body["message"] == message, body
        return body


ApiFactory = Callable[..., Any]


async def wait_until(condition: Callable[[], bool]) -> None:
    """Yield to the other tasks until `condition()` holds (a handler reached its wait)."""
    for _ in range(10_000):
        if condition():
            return
        await anyio.sleep(0.001)
    raise AssertionError("condition never held")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def make_api() -> AsyncIterator[ApiFactory]:
    """`await make_api(**config)`: a fresh sandbox with `SandboxConfig(**config)`."""
    clients: list[httpx.AsyncClient] = []

    async def make(**overrides: Any) -> Api:
        options: dict[str, Any] = {"seed": 7, "enforce_limits": False, "history_size": 600}
        config = SandboxConfig(**(options | overrides))
        app = create_app(config)
        sandbox = app.state.sandbox
        clock = Clock()
        sandbox.endpoints.now = clock
        sandbox.endpoints.created = clock()  # the generated history ends here
        http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url=BASE,
            headers={"Authorization": sandbox.api_key},
        )
        clients.append(http)
        return Api(http, sandbox, clock)

    yield make
    for http in clients:
        await http.aclose()


@pytest.fixture
async def api(make_api: ApiFactory) -> Api:
    result: Api = await make_api()
    return result
