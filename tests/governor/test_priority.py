"""Priority classes on the local governor: interactive calls stay fast while bulk saturates.

Judged on the admission schedule, on virtual time (trio's MockClock): every start is logged
where the server would count it, and the windows are checked by the sandbox's own counter.
"""

from __future__ import annotations

import math
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import anyio
import pytest
import trio
import trio.testing

from unitalk_async import Limits, LocalGovernor
from unitalk_async.governor import Flow, Priority, priority, requesting
from unitalk_async.governor._priority import FLOOR, poisson_quantile
from unitalk_async.sandbox.limits import worst_window

SERVICE_TIME = 0.1  # seconds a request stays in flight


def run_virtual(fn: Callable[[], Awaitable[None]]) -> None:
    trio.run(fn, clock=trio.testing.MockClock(autojump_threshold=0))


@dataclass
class Schedule:
    starts: list[float] = field(default_factory=list)
    #: flow name -> admission times
    by_flow: dict[str, list[float]] = field(default_factory=dict)
    #: admission waits of the interactive calls
    interactive_waits: list[float] = field(default_factory=list)


async def one(
    governor: LocalGovernor, schedule: Schedule, name: str, cls: Priority, flow: Flow
) -> float:
    asked = anyio.current_time()
    with requesting(cls, flow):
        async with governor.slot():
            now = anyio.current_time()
            schedule.starts.append(now)
            schedule.by_flow.setdefault(name, []).append(now)
            await anyio.sleep(SERVICE_TIME)
    return now - asked


async def bulk_flow(governor: LocalGovernor, schedule: Schedule, name: str) -> None:
    """A paging walk: one request at a time, the next as soon as the previous answered."""
    flow = Flow("bulk")
    while True:
        await one(governor, schedule, name, "bulk", flow)


async def interactive(
    governor: LocalGovernor, schedule: Schedule, rate: float, seed: int, tg: anyio.abc.TaskGroup
) -> None:
    rng = random.Random(seed)

    async def call() -> None:
        schedule.interactive_waits.append(
            await one(governor, schedule, "interactive", "interactive", Flow())
        )

    while True:
        await anyio.sleep(rng.expovariate(rate))
        tg.start_soon(call)


def three_workloads(seconds: float, *, rate: float = 0.2, seed: int = 18) -> Schedule:
    """Two saturating bulk flows plus Poisson interactive calls, for `seconds`."""
    schedule = Schedule()

    async def main() -> None:
        governor = LocalGovernor(Limits())
        with anyio.move_on_after(seconds):
            async with anyio.create_task_group() as tg:
                tg.start_soon(bulk_flow, governor, schedule, "bulk-a")
                tg.start_soon(bulk_flow, governor, schedule, "bulk-b")
                tg.start_soon(interactive, governor, schedule, rate, seed, tg)

    run_virtual(main)
    return schedule


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(0.99 * len(ordered)) - 1)]


def test_interactive_calls_stay_fast_while_two_bulk_flows_saturate_the_key() -> None:
    seconds = 1200.0
    schedule = three_workloads(seconds)
    limits = Limits()
    for window in limits.windows:
        assert worst_window(sorted(schedule.starts), window.seconds) <= window.limit
    waits = schedule.interactive_waits
    assert len(waits) > 200  # ~0.2/s over 20 minutes
    assert p99(waits) <= 1.0
    # The reserve: 99 in 100 find room at once (without it, each waits for the next start
    # to slide out of the 10-s window bulk keeps full, about a third of a second).
    assert p99(waits) == 0.0
    bulk = len(schedule.by_flow["bulk-a"]) + len(schedule.by_flow["bulk-b"])
    left = (limits.theoretical_rate - len(waits) / seconds) * seconds
    assert bulk / left >= 0.9
    for name in ("bulk-a", "bulk-b"):
        assert len(schedule.by_flow[name]) / (bulk / 2) == pytest.approx(1.0, abs=0.1)


def test_bulk_is_paced_over_the_window_not_clumped_at_its_start() -> None:
    schedule = three_workloads(60.0, rate=1e-9)  # no interactive traffic: no reserve
    starts = sorted(schedule.starts)
    # Unpaced, the backlog would take 15 starts in the first second and 30 in the first
    # 10 s; paced, no second holds more than a tenth of the 10-s window's starts, once the
    # floor's first starts (unpaced, see `_priority.py`) are out.
    floor = math.ceil(FLOOR * Limits().windows[1].limit)
    assert worst_window(starts[:floor], 1.0) == floor
    assert worst_window(starts[floor:], 1.0) <= math.ceil(Limits().windows[1].limit / 10)
    # ... and pacing costs no throughput: the 10-s window is still used to the full.
    assert len(starts) >= 0.98 * Limits().theoretical_rate * 60.0


def test_without_interactive_traffic_nothing_is_held_back() -> None:
    async def main() -> None:
        governor = LocalGovernor(Limits())
        with requesting("bulk", Flow()):
            for _ in range(30):
                async with governor.slot():
                    pass
        assert anyio.current_time() < 10.0  # all 30 starts of the window, paced
        assert governor.statistics().reserve == 0
        with requesting("interactive"):
            async with governor.slot():
                pass
        assert governor.statistics().reserve >= 1

    run_virtual(main)


def test_reserve_adapts_to_the_interactive_rate() -> None:
    assert poisson_quantile(0.2, 0.99) == 2
    assert poisson_quantile(2.0, 0.99) == 6
    from unitalk_async.governor._priority import InteractiveRate

    rate = InteractiveRate()
    assert rate.reserve(0.0, 30) == 0
    rate.arrived(0.0)
    assert rate.reserve(1.0, 30) == 1  # one call a minute: one place
    for i in range(600):  # 10 calls/s for a minute
        rate.arrived(i / 10)
    assert rate.reserve(60.0, 30) == 7  # a quarter of the window at most
    assert rate.reserve(200.0, 30) == 0  # none seen for over a minute: nothing held


def test_interactive_goes_before_default_before_bulk() -> None:
    order: list[str] = []

    async def main() -> None:
        governor = LocalGovernor(Limits())

        async def ask(cls: Priority, delay: float) -> None:
            await anyio.sleep(delay)
            with requesting(cls, Flow()):
                async with governor.slot():
                    order.append(cls)

        # Bulk has had its floor (see the floor test); the 1-s window is filled, so the
        # next three queue together.
        with requesting("bulk", Flow()):
            for _ in range(3):
                async with governor.slot():
                    pass
        with requesting("default"):
            for _ in range(12):
                async with governor.slot():
                    pass
        async with anyio.create_task_group() as tg:
            tg.start_soon(ask, "bulk", 0.0)
            tg.start_soon(ask, "default", 0.1)
            tg.start_soon(ask, "interactive", 0.2)

    run_virtual(main)
    assert order == ["interactive", "default", "bulk"]


def test_flows_of_one_class_share_round_robin_not_first_come_takes_all() -> None:
    admitted: list[str] = []

    async def main() -> None:
        governor = LocalGovernor(Limits())
        big, small = Flow("default"), Flow("default")

        async def burst(name: str, flow: Flow, count: int, delay: float) -> None:
            await anyio.sleep(delay)

            async def request() -> None:
                with requesting("default", flow):
                    async with governor.slot():
                        admitted.append(name)

            async with anyio.create_task_group() as tg:
                for _ in range(count):
                    tg.start_soon(request)

        async with anyio.create_task_group() as tg:
            tg.start_soon(burst, "big", big, 60, 0.0)  # queued first, 60 deep
            tg.start_soon(burst, "small", small, 10, 0.01)

    run_virtual(main)
    # The first 15 go at once, before "small" arrives; then the two alternate.
    after = admitted[15:35]
    assert after.count("small") == 10


def test_bulk_keeps_its_floor_under_an_interactive_flood() -> None:
    bulk_starts: list[float] = []

    async def main() -> None:
        governor = LocalGovernor(Limits())

        async def flood() -> None:
            while True:
                with requesting("interactive", Flow()):
                    async with governor.slot():
                        await anyio.sleep(0.01)

        async def bulk() -> None:
            with requesting("bulk", Flow()):
                while True:
                    async with governor.slot():
                        bulk_starts.append(anyio.current_time())

        with anyio.move_on_after(300):
            async with anyio.create_task_group() as tg:
                for _ in range(20):
                    tg.start_soon(flood)
                tg.start_soon(bulk)

    run_virtual(main)
    window = Limits().windows[1]
    floor = math.ceil(FLOOR * window.limit)
    assert len(bulk_starts) >= floor * (300 / (window.seconds * 2))  # never starved


def test_a_view_or_context_override_chooses_the_class() -> None:
    async def main() -> None:
        governor = LocalGovernor(Limits())
        with requesting("bulk", Flow()), priority("interactive"):
            pass  # `priority` is read by the client, not by the governor (tests/test_client)
        with requesting("interactive"):
            async with governor.slot():
                pass
        classes = governor.statistics().classes
        assert classes["interactive"].admitted == 1
        assert classes["bulk"].admitted == 0

    run_virtual(main)


def test_a_request_cancelled_while_queued_takes_nothing_and_frees_the_head() -> None:
    async def main() -> None:
        governor = LocalGovernor(Limits())
        with requesting("default"):
            for _ in range(30):
                async with governor.slot():
                    pass
        done: list[str] = []

        async def ask(cls: Priority, name: str, cancel_after: float) -> None:
            with anyio.move_on_after(cancel_after), requesting(cls, Flow()):
                async with governor.slot():
                    done.append(name)

        async with anyio.create_task_group() as tg:
            tg.start_soon(ask, "interactive", "gave up", 1.0)
            tg.start_soon(ask, "bulk", "bulk", math.inf)
        assert done == ["bulk"]
        stats = governor.statistics()
        assert stats.queued == 0
        assert stats.classes["interactive"].queued == 0

    run_virtual(main)
