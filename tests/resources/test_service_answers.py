"""What the real service answers where the reference is silent, as the client reads it.

The key's refusal is "Authorization invalid" at any HTTP status (the service's earlier server
sent it with 200); any refusal the error table does not know is still a `BadRequestError`.
Judged over real HTTP by a sandbox started with each auth status, and by an
`httpx.MockTransport` server for texts no sandbox sends.
"""

from __future__ import annotations

from datetime import datetime

import httpx
import msgspec
import pytest

from unitalk_async import (
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    RetryPolicy,
    UnavailableError,
    UnitalkClient,
)
from unitalk_async.governor import Limits
from unitalk_async.sandbox import SandboxConfig, serve_sandbox

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.mark.parametrize("status", [200, 401])
async def test_a_wrong_key_is_an_authentication_error_at_any_http_status(status: int) -> None:
    async with (
        serve_sandbox(SandboxConfig(auth_error_status=status)) as server,
        UnitalkClient("wrong-key", base_url=server.base_url, limits=Limits.disabled()) as client,
    ):
        with pytest.raises(AuthenticationError) as caught:
            await client.users.list()
    assert caught.value.message == "Authorization invalid"
    assert caught.value.http_status == status


def answering(status: int, message: str) -> httpx.MockTransport:
    body = {"status": "Error", "message": message}
    return httpx.MockTransport(lambda request: httpx.Response(status, json=body))


@pytest.mark.parametrize(
    ("status", "message", "expected"),
    [
        # /audio/upload's texts and the sandbox's own texts for undocumented refusals.
        (400, "File is null", BadRequestError),
        (400, "Wrong format", BadRequestError),
        (400, "Broken file", BadRequestError),
        (400, "Wrong autodialer mode", BadRequestError),
        (400, "Wrong repeat call settings", BadRequestError),
        (400, "Wrong action", BadRequestError),
        (400, "items is empty", BadRequestError),
        (400, "Too many items", BadRequestError),
        (200, "Something new the service says", BadRequestError),
        (200, "Authorization invalid", AuthenticationError),
        (400, "Authorization invalid", AuthenticationError),
        # The HTTP status still speaks where it says more than "refused".
        (404, "Something new", NotFoundError),
        (503, "Something new", UnavailableError),
    ],
)
async def test_error_envelopes_the_table_does_not_know_are_bad_requests(
    status: int, message: str, expected: type[Exception]
) -> None:
    async with UnitalkClient(
        "k",
        base_url="https://api.example.test/api",
        limits=Limits.disabled(),
        retry=RetryPolicy.none(),
        http_transport=answering(status, message),
    ) as client:
        with pytest.raises(expected) as caught:
            await client.post("/audio/upload")
    assert type(caught.value) is expected
    assert caught.value.message == message  # type: ignore[attr-defined]


async def test_validation_error_is_the_documented_text_with_the_reason_in_data() -> None:
    async with (
        serve_sandbox(SandboxConfig(enforce_limits=False)) as server,
        UnitalkClient(server.api_key, base_url=server.base_url, limits=Limits.disabled()) as client,
    ):
        with pytest.raises(BadRequestError) as caught:
            await client.post("/lists", json={"list": "WHITE", "operation": "GET"})
    assert caught.value.message == "Validation error"
    assert "WHITE" in caught.value.data


async def test_users_lines_numeric_meta_and_partial_history_through_the_client() -> None:
    async with (
        serve_sandbox(SandboxConfig(enforce_limits=False, history_size=300)) as server,
        UnitalkClient(server.api_key, base_url=server.base_url, limits=Limits.disabled()) as client,
    ):
        users = await client.users.list()
        page = await client.history.get(datetime(2000, 1, 1), datetime(2100, 1, 1), limit=1000)
        await client.calls.originate_new("380503332211", ivr_id=211, meta=42)
    lines = {user.line for user in users if user.line}
    assert lines and all(line == str(user.phone) for user in users if (line := user.line))
    assert lines & {call.from_ for call in page.calls}
    assert len(page.calls) == page.count == 300  # every record decoded, partial ones too
    assert any(call.state is msgspec.UNSET for call in page.calls)
    assert any(isinstance(call.warning, str) for call in page.calls)


async def test_the_sandboxs_own_refusals_are_bad_requests_to_the_client() -> None:
    async with (
        serve_sandbox(SandboxConfig(enforce_limits=False)) as server,
        UnitalkClient(server.api_key, base_url=server.base_url, limits=Limits.disabled()) as client,
    ):
        with pytest.raises(BadRequestError) as caught:
            await client.post("/autodial/action", json={"action": "EXPLODE"})
    assert type(caught.value) is BadRequestError
    assert caught.value.message == "Wrong action"
