"""`client.autodial` against the sandbox: the real client, HTTP and fault injection.

The sandbox does not enforce the API's rate limits here and the clients run without their
governor's limits, so bulk tests take seconds, not minutes; retries back off in milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from unitalk_async import Limits, RetryPolicy, UnitalkClient
from unitalk_async._bulk import ChunkStatus
from unitalk_async._exceptions import ConflictError, NotFoundError, OutcomeUnknownError
from unitalk_async.models.autodial import (
    AudioPart,
    AutodialTask,
    CompositeAudio,
    NumberAudio,
    NumberWithData,
)
from unitalk_async.models.enums import CallState, TaskStatus
from unitalk_async.sandbox.faults import FaultRule

pytestmark = pytest.mark.anyio

FAST_RETRIES = RetryPolicy(base_delay=0.001, max_delay=0.01, busy_delay=0.001, budget=30.0)
PATH = "/autodial/action"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def client_for(sandbox: Any) -> UnitalkClient:
    client: UnitalkClient = sandbox.client(limits=Limits.disabled(), retry=FAST_RETRIES)
    return client


def task(name: str = "Windows", **overrides: Any) -> AutodialTask:
    fields: dict[str, Any] = {
        "name": name,
        "autodialer_mode": "FIXED",
        "start_date": date(2026, 1, 1),
        "end_date": date(2026, 12, 31),
        "time_from": ["09:00"] * 7,
        "time_to": ["19:00"] * 7,
        "crm_mode": "DONT_SEND",
        "client_called_mode": "NEVER",
        "thread_count": 1,
        "scenario_id": 70,  # the sandbox project's "Main with IVR"
    }
    return AutodialTask(**(fields | overrides))


def phones(count: int, start: int = 380500000000) -> Iterator[str]:
    return (str(start + i) for i in range(count))


async def test_the_life_of_an_autodialer(unitalk_sandbox: Any) -> None:
    async with client_for(unitalk_sandbox) as client:
        data = await client.autodial.get_with_data()
        audio_id = next(iter(data.audios or {}))
        created = await client.autodial.add(
            task(
                composite_audio=CompositeAudio([AudioPart.silence(300), AudioPart.audio(audio_id)]),
                numbers=["+380 97 111 11 11", "12"],
            )
        )
        assert [r.item for r in created.rejected] == ["12"]
        [summary] = await client.autodial.get_list()
        assert (summary.id, summary.name, summary.status) == (
            created.id,
            "Windows",
            TaskStatus.WAITING,
        )

        await client.autodial.update(task("Doors", id=created.id, thread_count=3))
        configured = (await client.autodial.get_with_data()).task(created.id)
        assert configured is not None
        assert (configured.name, configured.thread_count) == ("Doors", 3)

        await client.autodial.pause(created.id)
        assert (await client.autodial.get_list())[0].status is TaskStatus.PAUSED
        await client.autodial.unpause(created.id)
        await client.autodial.cancel(created.id)
        with pytest.raises(ConflictError):
            await client.autodial.cancel(created.id)

        await client.autodial.remove(created.id)
        assert await client.autodial.get_list() == []
        with pytest.raises(NotFoundError, match="Task not found"):
            await client.autodial.pause(created.id)


async def test_250001_numbers_from_a_generator_in_3_requests_all_listed(
    unitalk_sandbox: Any,
) -> None:
    async with client_for(unitalk_sandbox) as client:
        autodialer = (await client.autodial.add(task())).id
        before = client.stats.requests
        progress: list[tuple[int, int | None]] = []
        result = await client.autodial.add_numbers(
            autodialer, phones(250_001), progress=lambda d, t: progress.append((d, t))
        )
        assert client.stats.requests - before == 3
        # "Numbers added" says nothing of how many: accepted is known, applied is not.
        assert (result.requests, result.accepted, result.rejected) == (3, 250_001, [])
        assert result.applied is None
        assert [c.status for c in result.chunks] == [ChunkStatus.DONE] * 3
        assert progress == [(100_000, None), (200_000, None), (250_001, None)]

        listed = [number.phone async for number in client.autodial.iter_numbers(autodialer)]
        assert len(listed) == 250_001
        assert set(listed) == set(phones(250_001))


async def test_rejects_from_the_client_and_the_service_are_reported(unitalk_sandbox: Any) -> None:
    async with client_for(unitalk_sandbox) as client:
        autodialer = (await client.autodial.add(task())).id
        result = await client.autodial.add_numbers(
            autodialer,
            ["380971111111", "0", "+38 097 111 11 12"],
            numbers_with_data=[
                NumberWithData(phone="380971111113", name="ok"),
                NumberWithData(phone="380971111114", audios=[NumberAudio.audio(999_999)]),
            ],
        )
        reasons = {r.item if isinstance(r.item, str) else r.item.phone: r for r in result.rejected}
        assert set(reasons) == {"0", "380971111114"}
        assert not reasons["0"].by_service
        assert reasons["380971111114"].by_service
        assert reasons["380971111114"].reason == "Wrong audios: Audio not found by id"
        assert result.chunks[0].status is ChunkStatus.DONE_WITHOUT_REJECTED
        assert result.chunks[0].requests == 2
        numbers = await client.autodial.get_numbers(autodialer)
        assert sorted(n.phone for n in numbers) == [
            "380971111111",
            "380971111112",
            "380971111113",
        ]
        named = await client.autodial.get_number(autodialer, "380971111113")
        assert named.name == "ok"
        with pytest.raises(NotFoundError, match="Call not found"):
            await client.autodial.get_number(autodialer, "380979999999")


async def test_a_resend_answered_numbers_not_added_is_confirmed_not_counted(
    unitalk_sandbox: Any,
) -> None:
    # The first ADD_NUMBERS is applied, then its connection is reset: the client resends,
    # the sandbox answers "Numbers not added" (all present). The numbers are there, but
    # which attempt added them (or an earlier upload) the answers cannot tell.
    unitalk_sandbox.sandbox.add_fault(
        FaultRule(path=PATH, action="ADD_NUMBERS", kind="reset_after", times=1)
    )
    async with client_for(unitalk_sandbox) as client:
        autodialer = (await client.autodial.add(task())).id
        result = await client.autodial.add_numbers(autodialer, phones(1000))
        [chunk] = result.chunks
        assert chunk.status is ChunkStatus.CONFIRMED_BY_RESEND
        assert (result.applied, result.accepted) == (None, 1000)
        assert result.requests == 2 == client.stats.operations["autodial.add_numbers"].requests
        listed = await client.autodial.iter_numbers(autodialer)
        assert sorted(n.phone for n in listed) == sorted(phones(1000))


async def test_a_re_run_with_half_the_numbers_stored_claims_no_count_it_cannot_know(
    unitalk_sandbox: Any,
) -> None:
    # 15 of 30 numbers are stored; the re-run's first chunk is all stored ("Numbers not
    # added": 0), the second half stored and the third new ("Numbers added" both: how many?).
    async with client_for(unitalk_sandbox) as client:
        autodialer = (await client.autodial.add(task())).id
        await client.autodial.add_numbers(autodialer, phones(15))
        result = await client.autodial.add_numbers(autodialer, phones(30), chunk_size=10)
    assert [c.status for c in result.chunks] == [
        ChunkStatus.ALREADY_PRESENT,
        ChunkStatus.DONE,
        ChunkStatus.DONE,
    ]
    assert [c.applied for c in result.chunks] == [0, None, None]
    assert (result.applied, result.accepted, result.requests) == (None, 30, 3)


async def test_what_cannot_be_repeated_is_not_repeated(unitalk_sandbox: Any) -> None:
    sandbox = unitalk_sandbox.sandbox
    async with client_for(unitalk_sandbox) as client:
        autodialer = (await client.autodial.add(task())).id
        await client.autodial.add_numbers(autodialer, phones(10))
        sandbox.simulate_calls(autodialer, 10)

        sandbox.add_fault(FaultRule(path=PATH, action="REFRESH", kind="reset_after", times=1))
        with pytest.raises(OutcomeUnknownError):
            await client.autodial.refresh(autodialer, [s.value for s in CallState if s.refreshable])

        sandbox.add_fault(FaultRule(path=PATH, action="ADD", kind="reset_after", times=1))
        with pytest.raises(OutcomeUnknownError):
            await client.autodial.add(task("Second"))
        assert {s.name for s in await client.autodial.get_list()} == {"Windows", "Second"}


async def test_a_lost_remove_is_resent_and_counts_as_done(unitalk_sandbox: Any) -> None:
    unitalk_sandbox.sandbox.add_fault(
        FaultRule(path=PATH, action="REMOVE", kind="reset_after", times=1)
    )
    async with client_for(unitalk_sandbox) as client:
        autodialer = (await client.autodial.add(task())).id
        await client.autodial.remove(autodialer)
        assert await client.autodial.get_list() == []


async def test_calls_history_export_while_calls_are_made(unitalk_sandbox: Any) -> None:
    sandbox = unitalk_sandbox.sandbox
    async with client_for(unitalk_sandbox) as client:
        autodialer = (await client.autodial.add(task())).id
        await client.autodial.add_numbers(autodialer, phones(400))
        assert sandbox.simulate_calls(autodialer, 100) == 100
        at_start = await client.autodial.get_calls_history(autodialer, limit=1000)
        ids_at_start = [call.id for call in at_start.items]
        assert len(ids_at_start) == 100

        def more_calls_between_pages(done: int, total: int | None) -> None:
            sandbox.simulate_calls(autodialer, 7)  # newer calls land while we page

        exported = [
            call.id
            async for call in client.autodial.iter_calls_history(
                autodialer, page_size=30, progress=more_calls_between_pages
            )
        ]
        assert exported == ids_at_start  # each once, newest first, none of the new ones
        after = await client.autodial.get_calls_history(autodialer, limit=1)
        assert isinstance(after.count, int)
        assert after.count > 100


async def test_removing_numbers_in_chunks_and_all_of_them(unitalk_sandbox: Any) -> None:
    async with client_for(unitalk_sandbox) as client:
        autodialer = (await client.autodial.add(task())).id
        await client.autodial.add_numbers(autodialer, phones(25))
        result = await client.autodial.remove_numbers(
            autodialer, [*phones(10), "bad"], chunk_size=4
        )
        assert result.requests == 3
        assert [r.item for r in result.rejected] == ["bad"]
        assert len(await client.autodial.get_numbers(autodialer)) == 15

        again = await client.autodial.remove_numbers(autodialer, phones(3))
        assert again.chunks[0].status is ChunkStatus.NOTHING_APPLIED

        await client.autodial.remove_all_numbers(autodialer)
        assert await client.autodial.get_numbers(autodialer) == []
        with pytest.raises(NotFoundError, match="Numbers not found"):
            await client.autodial.remove_all_numbers(autodialer)


async def test_resets_before_and_after_applying_chunks_lose_and_duplicate_nothing(
    unitalk_sandbox: Any,
) -> None:
    # A small version of issue 6's proof: connections reset on a third of the requests,
    # half of them after the chunk was applied. Every number ends up there exactly once.
    sandbox = unitalk_sandbox.sandbox
    for kind in ("reset_before", "reset_after"):
        sandbox.add_fault(FaultRule(path=PATH, action="ADD_NUMBERS", kind=kind, probability=0.3))
    async with client_for(unitalk_sandbox) as client:
        autodialer = (await client.autodial.add(task())).id
        result = await client.autodial.add_numbers(autodialer, phones(20_000), chunk_size=1000)
        resets = sandbox.faults.applied_count()
        sandbox.clear_faults()
        assert result.accepted == 20_000
        assert len(result.chunks) == 20
        assert result.requests == 20 + resets  # every resend is an HTTP attempt
        assert result.chunks_with(ChunkStatus.CONFIRMED_BY_RESEND)  # some resends found them
        listed = [n.phone async for n in client.autodial.iter_numbers(autodialer)]
        assert sorted(listed) == sorted(phones(20_000))


async def test_busy_answers_are_waited_out_and_refresh_duplicates_is_never_resent(
    unitalk_sandbox: Any,
) -> None:
    sandbox = unitalk_sandbox.sandbox
    async with client_for(unitalk_sandbox) as client:
        autodialer = (await client.autodial.add(task())).id
        # "Handler is busy, try again later": nothing was processed, the client retries
        sandbox.add_fault(FaultRule(path=PATH, action="ADD_NUMBERS", kind="busy", times=2))
        result = await client.autodial.add_numbers(autodialer, phones(10))
        assert (result.accepted, result.requests) == (10, 3)

        sandbox.add_fault(FaultRule(path=PATH, action="ADD_NUMBERS", kind="reset_after", times=1))
        with pytest.raises(OutcomeUnknownError):
            await client.autodial.add_numbers(autodialer, phones(10), refresh_duplicates=True)
