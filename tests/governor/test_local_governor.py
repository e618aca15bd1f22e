"""The in-process governor: exact sliding windows, FIFO, lanes, mutexes, cancellation, blocks.

Timing logic runs on trio's MockClock (virtual time: hundreds of seconds in milliseconds);
the same behaviour is checked on asyncio with scaled-down limits.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import anyio
import pytest
import trio
import trio.testing
from anyio.abc import TaskGroup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from unitalk_async import ConfigurationError, Limits, LocalGovernor, RateWindow
from unitalk_async.governor import AUTODIAL_NUMBERS
from unitalk_async.sandbox.limits import worst_window as count_worst_window


def run_virtual(fn: Callable[[], Awaitable[None]]) -> None:
    trio.run(fn, clock=trio.testing.MockClock(autojump_threshold=0))


def worst_window(starts: list[float], seconds: float) -> int:
    return count_worst_window(sorted(starts), seconds)


@dataclass
class Run:
    starts: list[float]
    max_in_flight: int


async def backlog(governor: LocalGovernor, count: int, duration: float = 0.1) -> Run:
    starts: list[float] = []
    in_flight = peak = 0

    async def one() -> None:
        nonlocal in_flight, peak
        async with governor.slot():
            starts.append(anyio.current_time())
            in_flight += 1
            peak = max(peak, in_flight)
            await anyio.sleep(duration)
            in_flight -= 1

    async with anyio.create_task_group() as tg:
        for _ in range(count):
            tg.start_soon(one)
    return Run(starts, peak)


def test_backlog_is_served_at_the_full_allowed_rate() -> None:
    """The issue's schedule: 0-14 at 0 s, 15-29 at 1 s, 30-44 at 10 s, 45-59 at 11 s ..."""
    result: list[Run] = []

    async def main() -> None:
        result.append(await backlog(LocalGovernor(Limits()), 75))

    run_virtual(main)
    starts = result[0].starts
    margin = Limits().margin
    expected = [0.0, 1.0 + margin, 10.0 + margin, 11.0 + 2 * margin, 20.0 + 2 * margin]
    for group, at in enumerate(expected):
        batch = starts[group * 15 : (group + 1) * 15]
        assert batch == pytest.approx([at] * 15, abs=1e-6), group
    assert worst_window(starts, 1.0) == 15
    assert worst_window(starts, 10.0) == 30


def test_sustained_rate_is_within_two_percent_of_the_theoretical_maximum() -> None:
    result: list[Run] = []

    async def main() -> None:
        result.append(await backlog(LocalGovernor(Limits()), 300, duration=0.0))

    run_virtual(main)
    starts = result[0].starts
    # 300 requests at 3/s: the last batch of 15 starts after 9 full 10-s periods + 1 s.
    achieved = (len(starts) - 15) / (max(starts) - min(starts))
    assert achieved / Limits().theoretical_rate >= 0.98
    assert worst_window(starts, 10.0) <= 30


WINDOW_EDGES = (0.0, 0.001, 0.999, 1.0, 1.05, 1.051, 9.999, 10.0, 10.05, 10.051)

#: Requests come in clumps (one to 40 at once, a backlog), the next clump a moment after a
#: window edge or at any time; each may spend a while connecting before it leaves, fail
#: before leaving, be answered, or be given up on (then the service still works on it).
clumps = st.lists(
    st.tuples(
        st.one_of(st.sampled_from(WINDOW_EDGES), st.floats(min_value=0, max_value=12)),
        st.integers(min_value=1, max_value=40),  # clump size
        st.floats(min_value=0, max_value=0.3),  # connecting before it leaves
        st.floats(min_value=0, max_value=4),  # the service's work
        st.sampled_from(["answered", "answered", "not sent", "abandoned"]),
        st.sampled_from(["default", "default", "analytics"]),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(clumps)
def test_no_window_and_no_in_flight_limit_is_ever_exceeded_at_the_service(
    pattern: list[tuple[float, int, float, float, str, str]],
) -> None:
    """The judge counts what leaves (the service counts on arrival; on this model network
    every trip takes the same time) and what the service is working on."""
    limits = Limits(grace=4.0)  # covers the longest work the service does here
    governor = LocalGovernor(limits)
    starts: list[float] = []
    at_service = {"now": 0, "peak": 0}
    lanes = {"analytics": 0, "peak": 0}

    async def service(work: float) -> None:
        at_service["now"] += 1
        at_service["peak"] = max(at_service["peak"], at_service["now"])
        await anyio.sleep(work)
        at_service["now"] -= 1

    async def request(tg: TaskGroup, connecting: float, work: float, fate: str, lane: str) -> None:
        async with governor.slot(lane=lane) as slot:  # type: ignore[arg-type]
            lanes[lane] = lanes.get(lane, 0) + 1
            lanes["peak"] = max(lanes["peak"], lanes["analytics"])
            try:
                slot.handed_over()
                await anyio.sleep(connecting)
                await slot.trace("connection.connect_tcp.complete", {})
                if fate == "not sent":
                    slot.not_sent()
                    return
                await slot.trace("http11.send_request_headers.started", {})
                starts.append(anyio.current_time())
                tg.start_soon(service, work)
                if fate == "abandoned":
                    await anyio.sleep(work / 2)
                    slot.abandoned()
                    return
                await anyio.sleep(work)
                await slot.trace("http11.receive_response_headers.complete", {})
            finally:
                lanes[lane] -= 1

    async def main() -> None:
        async with anyio.create_task_group() as tg:
            for gap, size, connecting, work, fate, lane in pattern:
                await anyio.sleep(gap)
                for _ in range(size):
                    tg.start_soon(request, tg, connecting, work, fate, lane)

    run_virtual(main)
    for window in limits.windows:
        assert worst_window(starts, window.seconds) <= window.limit
    assert at_service["peak"] <= limits.max_in_flight
    assert lanes["peak"] <= limits.analytics_in_flight
    stats = governor.statistics()
    assert stats.in_flight == 0
    assert stats.queued == 0


def test_fifo_without_starvation_under_10000_waiters() -> None:
    order: list[int] = []

    async def main() -> None:
        governor = LocalGovernor(Limits())

        async def one(i: int) -> None:
            async with governor.slot():
                order.append(i)

        async with anyio.create_task_group() as tg:
            for i in range(10_000):
                tg.start_soon(one, i)
                await trio.testing.wait_all_tasks_blocked()

    run_virtual(main)
    assert order == list(range(10_000))


def test_cancelled_waiter_takes_nothing_and_in_flight_cancel_gives_the_slot_back() -> None:
    async def main() -> None:
        governor = LocalGovernor(Limits(max_in_flight=2, analytics_in_flight=1))
        entered: list[str] = []

        async def hold(name: str, seconds: float) -> None:
            async with governor.slot():
                entered.append(name)
                await anyio.sleep(seconds)

        async with anyio.create_task_group() as tg:
            tg.start_soon(hold, "a", 100)
            tg.start_soon(hold, "b", 100)
            await trio.testing.wait_all_tasks_blocked()
            with anyio.move_on_after(1):  # queued behind a and b: cancelled while waiting
                await hold("never", 0)
            assert governor.statistics().queued == 0
            tg.cancel_scope.cancel()  # a and b cancelled in flight
        assert sorted(entered) == ["a", "b"]
        assert governor.statistics().in_flight == 0
        # Both slots are free again: two requests enter at once.
        async with governor.slot(), governor.slot():
            assert governor.statistics().in_flight == 2

    run_virtual(main)


def test_timeouts_never_leak_slots() -> None:
    async def main() -> None:
        governor = LocalGovernor(Limits(max_in_flight=3, analytics_in_flight=1))
        for i in range(50):
            with anyio.move_on_after(0.01 * (i % 7)):
                async with governor.slot(lane="analytics" if i % 3 else "default"):
                    await anyio.sleep(1)
        assert governor.statistics().in_flight == 0
        with anyio.fail_after(60):
            async with governor.slot(), governor.slot(), governor.slot():
                pass

    run_virtual(main)


def test_analytics_lane_cannot_starve_ordinary_calls() -> None:
    async def main() -> None:
        governor = LocalGovernor(Limits(max_in_flight=4, analytics_in_flight=2))
        ordinary_started: list[float] = []

        async def analytics() -> None:
            async with governor.slot(lane="analytics"):
                await anyio.sleep(900)

        async def ordinary() -> None:
            async with governor.slot():
                ordinary_started.append(anyio.current_time())

        async with anyio.create_task_group() as tg:
            for _ in range(10):
                tg.start_soon(analytics)
            await trio.testing.wait_all_tasks_blocked()
            stats = governor.statistics()
            assert stats.in_flight == 2  # the lane's cap, not the whole pool
            for _ in range(5):
                tg.start_soon(ordinary)
            await trio.testing.wait_all_tasks_blocked()
            assert len(ordinary_started) == 5
            assert max(ordinary_started) < 2.0
            tg.cancel_scope.cancel()

    run_virtual(main)


def test_exclusive_operations_are_serialised() -> None:
    async def main() -> None:
        governor = LocalGovernor(Limits())
        holders = peak = 0

        async def upload() -> None:
            nonlocal holders, peak
            async with governor.slot(exclusive=AUTODIAL_NUMBERS):
                holders += 1
                peak = max(peak, holders)
                await anyio.sleep(0.5)
                holders -= 1

        async with anyio.create_task_group() as tg:
            for _ in range(6):
                tg.start_soon(upload)
        assert peak == 1
        assert governor.statistics().waits[f"exclusive:{AUTODIAL_NUMBERS}"] > 0

    run_virtual(main)


def test_a_block_pauses_every_admission_and_widens_the_margin() -> None:
    async def main() -> None:
        governor = LocalGovernor(Limits())
        margin = governor.statistics().margin
        assert await governor.report_block(7.0) == 7.0
        # A second 429 from a request already in flight is the same block.
        assert await governor.report_block(7.0) <= 7.0
        began = anyio.current_time()
        async with governor.slot() as slot:
            assert anyio.current_time() - began == pytest.approx(7.0)
            assert slot.waits["blocked"] == pytest.approx(7.0)
        stats = governor.statistics()
        assert stats.blocks_seen == 1
        assert stats.margin > margin
        # Without Retry-After the cool-down escalates.
        first = await governor.report_block(None)
        await anyio.sleep(first)
        second = await governor.report_block(None)
        assert second > first

    run_virtual(main)


def test_limits_that_could_reach_the_permanent_block_are_refused() -> None:
    with pytest.raises(ConfigurationError, match="permanent-block"):
        Limits(windows=(RateWindow(100, 10.0),))
    with pytest.raises(ConfigurationError, match="analytics_in_flight"):
        Limits(max_in_flight=4, analytics_in_flight=5)
    # Support raised the limits: the threshold moves with them.
    Limits(windows=(RateWindow(100, 10.0),), permanent_block_per_10_seconds=300)


def test_disabled_limits_admit_everything_at_once() -> None:
    async def main() -> None:
        run = await backlog(LocalGovernor(Limits.disabled()), 200, duration=1)
        assert max(run.starts) == 0.0
        assert run.max_in_flight == 200

    run_virtual(main)


@pytest.mark.parametrize("anyio_backend", ["asyncio", "trio"])
@pytest.mark.anyio
async def test_governs_on_both_backends_in_real_time(anyio_backend: str) -> None:
    limits = Limits.scaled(0.02)  # windows of 20 ms and 200 ms
    run = await backlog(LocalGovernor(limits), 60, duration=0.001)
    for window in limits.windows:
        assert worst_window(run.starts, window.seconds) <= window.limit
    assert run.max_in_flight <= limits.max_in_flight


def test_a_start_is_counted_when_the_request_leaves_and_not_at_all_if_it_never_does() -> None:
    async def main() -> None:
        governor = LocalGovernor(Limits())
        leaving: list[float] = []

        async def over_a_new_connection(handshake: float, leaves: bool) -> None:
            async with governor.slot() as slot:
                slot.handed_over()
                await anyio.sleep(handshake)
                await slot.trace("connection.start_tls.complete", {})
                if leaves:
                    await slot.trace("http11.send_request_headers.started", {})
                    leaving.append(anyio.current_time())
                    await slot.trace("http11.receive_response_headers.complete", {})
                else:
                    slot.not_sent()

        async with anyio.create_task_group() as tg:
            for i in range(15):  # admitted at once, leaving after a 0.15-s handshake
                tg.start_soon(over_a_new_connection, 0.15, i < 14)
            await trio.testing.wait_all_tasks_blocked()
            for _ in range(2):  # one takes the place of the request that never left
                tg.start_soon(over_a_new_connection, 0.0, True)
        assert leaving[:14] == [pytest.approx(0.15)] * 14
        assert leaving[14] == pytest.approx(0.15)  # as soon as the failure was known
        assert leaving[15] == pytest.approx(1.15 + Limits().margin)  # a second after they left
        assert worst_window(leaving, 1.0) == 15

    run_virtual(main)


def test_an_abandoned_request_keeps_its_slot_for_the_grace_period() -> None:
    async def main() -> None:
        governor = LocalGovernor(Limits(max_in_flight=2, analytics_in_flight=1, grace=5.0))

        async def sent(then: str) -> None:
            async with governor.slot() as slot:
                slot.handed_over()
                await slot.trace("http11.send_request_headers.started", {})
                if then == "timed out":
                    await anyio.sleep(1)
                    slot.abandoned()
                elif then == "cancelled":
                    await anyio.sleep(100)

        async with anyio.create_task_group() as tg:
            tg.start_soon(sent, "timed out")
            with anyio.move_on_after(2):
                await sent("cancelled")
        assert governor.statistics().in_grace == 2
        began = anyio.current_time()
        async with governor.slot() as slot:
            assert slot.waits["queue"] == pytest.approx(4.0)  # the first grace ends at 6 s
        assert anyio.current_time() - began == pytest.approx(4.0)
        # Answered requests and requests never handed over give their slot back at once.
        for _ in range(3):
            async with governor.slot() as slot:
                slot.handed_over()
                await slot.request_sent()
                slot.answer_received()
        assert governor.statistics().in_grace == 1

    run_virtual(main)
