"""Which class the governor gives a client's calls: paging walks and bulk calls go as bulk,
a `with_options(priority=...)` view as it says, a `priority(...)` block above both.

Judged by the governor's own per-class counts, with the sandbox answering over HTTP.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from unitalk_async import ConfigurationError, UnitalkClient, priority
from unitalk_async.sandbox.pytest_plugin import SandboxHandle

pytestmark = pytest.mark.anyio
EVER = (datetime(2000, 1, 1), datetime(2100, 1, 1))


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def admitted(client: UnitalkClient) -> dict[str, int]:
    return {name: c.admitted for name, c in client.stats.governor.classes.items()}


async def test_each_call_goes_in_the_class_its_caller_chose(
    unitalk_sandbox: SandboxHandle,
) -> None:
    async with unitalk_sandbox.client() as client:
        await client.users.list()
        assert admitted(client) == {"interactive": 0, "default": 1, "bulk": 0}
        pages = 0
        async for _ in client.history.iter(*EVER, limit=100).pages():
            pages += 1
        assert pages >= 2
        assert admitted(client)["bulk"] == pages
        await client.with_options(priority="interactive").users.list()
        assert admitted(client)["interactive"] == 1
        # A view's class beats the walk's default; a `priority` block beats both.
        web = client.with_options(priority="interactive")
        await web.history.iter(*EVER, limit=100)
        assert admitted(client)["interactive"] == 1 + pages
        with priority("default"):
            await web.users.list()
        assert admitted(client)["default"] == 2
        await client.post("/users/list")
        assert admitted(client)["default"] == 3
        numbers = [f"38067{i:07d}" for i in range(250)]  # three chunks of at most 100
        result = await client.lists.add("BLOCKED_PHONES", numbers)
        assert admitted(client)["bulk"] == pages + result.requests


def test_an_unknown_class_is_refused_naming_the_field() -> None:
    client = UnitalkClient("k" * 32)
    with pytest.raises(ConfigurationError, match="priority: must be one of"):
        client.with_options(priority="urgent")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="priority: must be one of"), priority("urgent"):  # type: ignore[arg-type]
        pass
