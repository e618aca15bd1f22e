"""`client.lists`: read, and add/remove in chunks of 100 with rejects returned."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from resources._fake import FakeClient
from unitalk_async import Limits, RetryPolicy, ValidationError
from unitalk_async import _operations as ops
from unitalk_async.models.enums import ListName
from unitalk_async.resources.lists import ListsResource
from unitalk_async.sandbox.faults import FaultRule
from unitalk_async.sandbox.pytest_plugin import SandboxHandle

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def numbers(count: int) -> list[str]:
    return [f"+380 50 {n:07d}" for n in range(count)]


async def test_add_get_remove_round_trip(unitalk_sandbox: SandboxHandle) -> None:
    progress: list[tuple[int, int | None]] = []
    async with unitalk_sandbox.client() as client:
        added = await client.lists.add(
            ListName.BLOCKED_PHONES,
            [*numbers(250), "12", "not a number"],
            progress=lambda d, t: progress.append((d, t)),
        )
        # The answer does not say which numbers were listed already: applied is unknown.
        assert (added.applied, added.accepted, added.requests) == (None, 250, 3)
        assert [r.item for r in added.rejected] == ["12", "not a number"]
        assert progress[-1] == (252, 252)
        listed = await client.lists.get("BLOCKED_PHONES")
        assert len(listed) == 250
        assert "380500000007" in listed  # normalised
        assert await client.lists.get(ListName.BLOCKED_FOR_AUTODIAL_PHONES) == []
        removed = await client.lists.remove("BLOCKED_PHONES", numbers(100))
        assert removed.accepted == 100
        assert len(await client.lists.get("BLOCKED_PHONES")) == 150


async def test_items_are_read_lazily_from_an_async_iterable() -> None:
    fake = FakeClient()
    pulled = 0

    async def source() -> AsyncIterator[str]:
        nonlocal pulled
        for number in numbers(205):
            pulled += 1
            yield number

    result = await ListsResource(fake.as_client()).add("BLOCKED_FOR_AUTODIAL_PHONES", source())
    assert pulled == 205
    assert [len(s.body["items"]) for s in fake.sent] == [100, 100, 5]
    assert fake.sent[0].body["list"] == "BLOCKED_FOR_AUTODIAL_PHONES"
    assert fake.sent[0].body["operation"] == "ADD"
    assert all(s.op is ops.LISTS_ADD for s in fake.sent)
    assert result.accepted == 205


async def test_only_invalid_numbers_send_nothing() -> None:
    fake = FakeClient()
    result = await ListsResource(fake.as_client()).remove("BLOCKED_PHONES", ["1", "2"])
    assert fake.sent == []
    assert len(result.rejected) == 2


async def test_an_unknown_list_is_refused_before_sending() -> None:
    fake = FakeClient()
    with pytest.raises(ValidationError) as caught:
        await ListsResource(fake.as_client()).add("WHITE_LIST", numbers(1))
    assert caught.value.field == "name"  # the argument, as the caller named it
    with pytest.raises(ValidationError):
        await ListsResource(fake.as_client()).get("WHITE_LIST")
    assert fake.sent == []


async def test_list_edits_are_resent_after_lost_answers(unitalk_sandbox: SandboxHandle) -> None:
    unitalk_sandbox.sandbox.add_fault(
        FaultRule(path="/lists", kind="reset_after", probability=0.5, times=3)
    )
    quick = RetryPolicy(base_delay=0.01, max_delay=0.05)
    async with unitalk_sandbox.client(limits=Limits.disabled(), retry=quick) as client:
        result = await client.lists.add("BLOCKED_PHONES", numbers(500))
        resets = unitalk_sandbox.sandbox.faults.applied_count(path="/lists")
        sent = client.stats.paths["/lists"].requests
        listed = await client.lists.get("BLOCKED_PHONES")
    assert result.accepted == 500
    # `requests` counts HTTP attempts, each reset's resend included, as the stats do.
    assert result.requests == 5 + resets == sent
    assert sorted(listed) == sorted(f"38050{n:07d}" for n in range(500))
    assert unitalk_sandbox.sandbox.faults.applied_count(path="/lists") > 0
