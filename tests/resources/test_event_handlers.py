"""`client.event_handlers.remove_scheduled_by_phones`: chunks of 100, one at a time."""

from __future__ import annotations

import pytest

from resources._fake import FakeClient
from unitalk_async import InvalidItemsError
from unitalk_async import _operations as ops
from unitalk_async._bulk import ChunkStatus
from unitalk_async.resources.event_handlers import EventHandlersResource, removed_handlers
from unitalk_async.sandbox.pytest_plugin import SandboxHandle

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def numbers(count: int) -> list[str]:
    return [f"38050{n:07d}" for n in range(count)]


async def test_removes_handlers_of_every_number(unitalk_sandbox: SandboxHandle) -> None:
    handlers = unitalk_sandbox.sandbox.endpoints.scheduled_handlers
    phones = numbers(250)
    expected = sum(handlers.count(phone) for phone in phones)
    async with unitalk_sandbox.client() as client:
        result = await client.event_handlers.remove_scheduled_by_phones([*phones, "1-2"])
        again = await client.event_handlers.remove_scheduled_by_phones(phones[:10])
    # The service counts handlers removed, not phones: `applied` is unknown.
    assert (result.applied, result.accepted, result.requests) == (None, 250, 3)
    assert removed_handlers(result) == expected > 0
    assert [r.item for r in result.rejected] == ["1-2"]
    assert removed_handlers(again) == 0


async def test_requests_use_the_scheduled_handlers_mutex() -> None:
    fake = FakeClient('{"status": "Success", "data": 4}')
    result = await EventHandlersResource(fake.as_client()).remove_scheduled_by_phones(
        iter(numbers(101))
    )
    assert [len(s.body["phones"]) for s in fake.sent] == [100, 1]
    assert all(s.path == "/eventHandlers/removeScheduledByPhones" for s in fake.sent)
    assert all(s.op is ops.EVENT_HANDLERS_REMOVE_SCHEDULED for s in fake.sent)
    assert removed_handlers(result) == 8


async def test_numbers_the_service_refuses_are_rejected_and_the_rest_resent() -> None:
    def answer(path: str, options: dict[str, object]) -> str:
        if len(fake.sent) == 1:
            raise InvalidItemsError("Invalid phones", data=["380500000001"], path=path)
        return '{"status": "Success", "data": 2}'

    fake = FakeClient(answer)
    result = await EventHandlersResource(fake.as_client()).remove_scheduled_by_phones(numbers(3))
    assert [s.body["phones"] for s in fake.sent] == [numbers(3), ["380500000000", "380500000002"]]
    (chunk,) = result.chunks
    assert (chunk.status, chunk.applied, chunk.accepted) == (
        ChunkStatus.DONE_WITHOUT_REJECTED,
        None,
        2,
    )
    assert [(r.item, r.by_service) for r in result.rejected] == [("380500000001", True)]
    assert removed_handlers(result) == 2
