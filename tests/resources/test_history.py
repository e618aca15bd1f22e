"""`client.history`: one page, and every call by auto-paging (even while calls arrive)."""

from __future__ import annotations

from datetime import datetime

import pytest

from resources._fake import FakeClient
from unitalk_async import ValidationError
from unitalk_async.models.enums import CallDirection
from unitalk_async.models.history import HistoryFilter, HistoryPage
from unitalk_async.resources.history import HistoryResource
from unitalk_async.sandbox.pytest_plugin import SandboxHandle

pytestmark = pytest.mark.anyio
EVER = (datetime(2000, 1, 1), datetime(2100, 1, 1))


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def test_a_page_with_a_filter(unitalk_sandbox: SandboxHandle) -> None:
    async with unitalk_sandbox.client() as client:
        page = await client.history.get(
            *EVER, limit=20, offset=5, filter=HistoryFilter(direction=CallDirection.OUT)
        )
    assert len(page.calls) == 20
    assert all(call.direction is CallDirection.OUT for call in page.calls)
    ids = [call.id for call in page.calls]
    assert ids == sorted(ids, reverse=True)


async def test_iter_yields_every_call_once_with_the_largest_pages(
    unitalk_sandbox: SandboxHandle,
) -> None:
    async with unitalk_sandbox.client() as client:
        total = (await client.history.get(*EVER, limit=1)).count
        calls = await client.history.iter(*EVER)
        pages = [len(page) async for page in client.history.iter(*EVER, limit=400).pages()]
    assert len(calls) == total == len({call.id for call in calls})
    assert pages == [400, 400, total - 800]


async def test_iter_skips_nothing_and_repeats_nothing_while_calls_arrive(
    unitalk_sandbox: SandboxHandle,
) -> None:
    history = unitalk_sandbox.sandbox.endpoints.history
    before = {row.id for row in history.rows}

    def calls_arrive(done: int, total: int | None) -> None:
        for _ in range(7):  # between two pages, seven new calls at the head of the list
            history.record(
                datetime(2099, 1, 1),
                direction="OUT",
                source="C2C_API",
                caller="1000",
                callee="380501112233",
                outer="380440000001",
                seconds=30,
            )

    async with unitalk_sandbox.client() as client:
        seen = [
            call.id async for call in client.history.iter(*EVER, limit=100, progress=calls_arrive)
        ]
    assert len(seen) == len(set(seen))
    assert before <= set(seen)


async def test_iter_reports_progress_and_checks_arguments_up_front() -> None:
    pages = [
        '{"count": 3, "calls": [{"id": 9}, {"id": 8}]}',
        '{"count": 3, "calls": [{"id": 7}]}',
    ]
    fake = FakeClient(lambda path, options: pages[len(fake.sent) - 1])
    progress: list[tuple[int, int | None]] = []
    history = HistoryResource(fake.as_client())
    calls = await history.iter(*EVER, limit=2, progress=lambda d, t: progress.append((d, t)))
    assert [call.id for call in calls] == [9, 8, 7]
    assert [s.body["offset"] for s in fake.sent] == [0, 2]
    assert progress == [(2, 3), (3, 3)]
    with pytest.raises(ValidationError) as caught:
        history.iter(*EVER, limit=1001)
    assert caught.value.field == "limit"


async def test_get_checks_limit_offset_and_dates_before_sending() -> None:
    fake = FakeClient('{"count": 0, "calls": []}')
    history = HistoryResource(fake.as_client())
    page = await history.get("2024-01-01 00:00:00", datetime(2024, 1, 31))
    assert page == HistoryPage(count=0, calls=[])
    assert fake.sent[0].body == {
        "dateFrom": "2024-01-01 00:00:00",
        "dateTo": "2024-01-31 00:00:00",
        "limit": 1000,
        "offset": 0,
    }
    with pytest.raises(ValidationError) as caught:
        await history.get(*EVER, limit=0)
    assert caught.value.field == "limit"
    with pytest.raises(ValidationError) as caught:
        await history.get(*EVER, offset=-1)
    assert caught.value.field == "offset"
    with pytest.raises(ValidationError):
        await history.get("yesterday", datetime(2024, 1, 1))
    assert len(fake.sent) == 1


@pytest.mark.parametrize("anyio_backend", ["trio"])
async def test_iter_under_trio(unitalk_sandbox: SandboxHandle) -> None:
    async with unitalk_sandbox.client() as client:
        calls = [call async for call in client.history.iter(*EVER, limit=500)]
    assert (
        len(calls)
        == len({call.id for call in calls})
        == len(unitalk_sandbox.sandbox.endpoints.history.rows)
    )
