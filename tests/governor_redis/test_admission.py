"""Admission through Redis: shared windows, in-flight cap, lanes, locks, age priority."""

from __future__ import annotations

import contextlib
import random
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager

import anyio
import pytest
from redis.asyncio import Redis

from governor_redis._helpers import Overlap, assert_windows_hold, key, starts_us, zcard
from unitalk_async.governor import AUTODIAL_NUMBERS, TTS, Limits, RateWindow
from unitalk_async.governor.redis import RedisGovernor

pytestmark = pytest.mark.anyio

#: Windows 10x shorter than the API's (15/0.1 s, 30/1 s), so a backlog drains in ~1 s.
FAST = Limits.scaled(0.1)


@asynccontextmanager
async def governors(
    redis_url: str, namespace: str, count: int, limits: Limits = FAST, **options: object
) -> AsyncIterator[list[RedisGovernor]]:
    """`count` governors on one namespace, each with its own connections: as many
    processes, as far as Redis can tell."""
    async with AsyncExitStack() as stack:
        made = []
        for _ in range(count):
            governor = RedisGovernor.from_url(
                redis_url,
                limits=limits,
                namespace=namespace,
                **options,  # type: ignore[arg-type]
            )
            stack.push_async_callback(governor.aclose)
            made.append(governor)
        yield made


async def run_all(calls: list[Callable[[], object]]) -> None:
    async with anyio.create_task_group() as tg:
        for call in calls:
            tg.start_soon(call)  # type: ignore[arg-type]


async def test_tasks_of_several_governors_share_the_windows_and_the_in_flight_cap(
    redis_url: str, namespace: str, redis_client: Redis
) -> None:
    limits = Limits.scaled(0.1, max_in_flight=4, analytics_in_flight=2)
    inside = Overlap()
    rng = random.Random(9)

    async def request(governor: RedisGovernor) -> None:
        async with governor.slot():
            with inside.inside():
                await anyio.sleep(rng.uniform(0, 0.01))

    async with governors(redis_url, namespace, 3, limits) as govs:
        await run_all([lambda g=g: request(g) for g in govs for _ in range(20)])
        admitted = sum(g.statistics().admitted for g in govs)
        in_flight = [g.statistics().in_flight for g in govs]

    starts = await starts_us(redis_client, namespace)
    assert admitted == len(starts) == 60  # each request counted once, none lost
    assert_windows_hold(starts, limits)
    assert inside.most <= 4
    assert in_flight == [0, 0, 0]
    # Everything given back: no lease, no ticket left.
    assert await zcard(redis_client, key(namespace, "in-flight")) == 0
    assert await zcard(redis_client, key(namespace, "in-flight:queue")) == 0


async def test_a_backlog_fills_each_window_to_its_limit_and_no_further(
    redis_url: str, namespace: str, redis_client: Redis
) -> None:
    async with governors(redis_url, namespace, 2) as (a, b):
        await run_all([lambda g=g: _enter(g) for g in (a, b) for _ in range(30)])
    starts = await starts_us(redis_client, namespace)
    assert len(starts) == 60
    assert_windows_hold(starts, FAST)
    # The schedule is the exact-window one: requests 0-14 together, 15-29 one short window
    # later, 30-44 one long window after the first, 45-59 after the second.
    short, long = (round(w.seconds * 1e6) for w in FAST.windows)
    margin = round(FAST.margin * 1e6)
    assert starts[15] - starts[0] >= short + margin
    assert starts[30] - starts[0] >= long + margin
    assert starts[45] - starts[15] >= long + margin


async def _enter(governor: RedisGovernor) -> None:
    async with governor.slot():
        pass


async def test_an_older_waiter_of_another_process_is_not_overtaken(
    redis_url: str, namespace: str
) -> None:
    # One request per 50 ms: a flood from `a` queues behind its head; `b` arrives later
    # with one request and is admitted within a couple of starts, not after `a`'s backlog.
    limits = Limits(windows=(RateWindow(1, 0.05),), margin=0.0, permanent_block_seconds=0.5)
    order: list[str] = []
    two_admitted = anyio.Event()

    async def request(governor: RedisGovernor, name: str) -> None:
        async with governor.slot():
            order.append(name)
            if len(order) == 2:
                two_admitted.set()

    async with (
        governors(redis_url, namespace, 2, limits) as (a, b),
        anyio.create_task_group() as tg,
    ):
        for _ in range(12):
            tg.start_soon(request, a, "a")
        await two_admitted.wait()
        tg.start_soon(request, b, "b")
    assert order.count("b") == 1
    assert order.index("b") <= 4  # behind a's head at most, not behind its backlog


async def test_a_waiter_cancelled_in_the_queue_takes_nothing(
    redis_url: str, namespace: str, redis_client: Redis
) -> None:
    limits = Limits.scaled(0.1, max_in_flight=1, analytics_in_flight=1)
    async with governors(redis_url, namespace, 2, limits) as (a, b):
        async with a.slot():
            with anyio.move_on_after(0.1) as scope:
                async with b.slot():
                    pytest.fail("admitted past the in-flight cap")
            assert scope.cancelled_caught
            assert await zcard(redis_client, key(namespace, "in-flight")) == 1
            assert await zcard(redis_client, key(namespace, "in-flight:queue")) == 0
            assert b.statistics().queued == 0
        # A request cancelled in flight gives its slot back.
        with anyio.move_on_after(0.05):
            async with b.slot():
                await anyio.sleep(10)
        assert await zcard(redis_client, key(namespace, "in-flight")) == 0
        async with a.slot():
            pass
        assert a.statistics().admitted == 2


async def test_exclusive_operations_are_one_at_a_time_across_processes(
    redis_url: str, namespace: str
) -> None:
    per_lock = {AUTODIAL_NUMBERS: Overlap(), TTS: Overlap()}

    async def exclusive(governor: RedisGovernor, name: str) -> None:
        async with governor.slot(exclusive=name):
            with per_lock[name].inside():
                await anyio.sleep(0.01)

    async with governors(redis_url, namespace, 3, Limits.disabled()) as govs:
        await run_all(
            [lambda g=g, n=n: exclusive(g, n) for g in govs for n in per_lock for _ in range(4)]
        )
        waits = [g.statistics().waits for g in govs]
    assert [o.most for o in per_lock.values()] == [1, 1]
    assert any(w.get(f"exclusive:{AUTODIAL_NUMBERS}", 0) > 0 for w in waits)


async def test_a_held_lock_does_not_hold_up_other_requests(redis_url: str, namespace: str) -> None:
    async with governors(redis_url, namespace, 2) as (a, b), a.slot(exclusive=TTS):
        with anyio.fail_after(5):
            async with b.slot():
                pass
        with anyio.move_on_after(0.1) as scope:
            async with b.slot(exclusive=TTS):
                pytest.fail("two holders of one lock")
        assert scope.cancelled_caught


async def test_the_analytics_lane_cap_is_shared(redis_url: str, namespace: str) -> None:
    limits = Limits.scaled(0.1, analytics_in_flight=2)
    lane = Overlap()

    async def analytics(governor: RedisGovernor) -> None:
        async with governor.slot(lane="analytics"):
            with lane.inside():
                await anyio.sleep(0.02)

    async with (
        governors(redis_url, namespace, 3, limits) as govs,
        anyio.create_task_group() as tg,
    ):
        for g in govs:
            for _ in range(3):
                tg.start_soon(analytics, g)
        # Ordinary requests are not stuck behind the analytics lane.
        with anyio.fail_after(5):
            async with govs[0].slot():
                pass
    assert lane.most == 2


async def test_disabled_limits_cost_no_round_trip_except_for_locks(
    redis_url: str, namespace: str
) -> None:
    async with governors(redis_url, namespace, 1, Limits.disabled()) as (g,):
        for _ in range(5):
            async with g.slot():
                pass
        assert g.statistics().round_trips == 0
        async with g.slot(exclusive=TTS):
            pass
        assert g.statistics().admitted == 6
        assert 0 < g.statistics().round_trips <= 4  # acquire (+ script load) + release


async def test_every_key_expires_and_carries_the_hash_not_the_api_key(
    redis_url: str, redis_client: Redis
) -> None:
    import hashlib
    import secrets

    api_key = f"secret-{secrets.token_hex(8)}"
    key_id = hashlib.sha256(api_key.encode()).hexdigest()[:24]
    governor = RedisGovernor.from_url(
        redis_url, limits=FAST, lease_seconds=30, analytics_lease_seconds=60
    )
    governor.attach(key_id)
    try:
        async with governor.slot(lane="analytics", exclusive=TTS):
            names = [k.decode() async for k in redis_client.scan_iter(match=f"*{key_id}*")]
            prefix = f"unitalk:governor:{{{key_id}}}:"
            assert {n.removeprefix(prefix) for n in names} == {
                "starts",
                "in-flight",
                "lane:analytics",
                "lock:tts",
            }
            ttls = {n.removeprefix(prefix): await redis_client.pttl(n) for n in names}
            # The analytics lane's request holds its leases for the longer lease.
            assert all(
                31_000 < ttls[n] <= 61_000 for n in ("in-flight", "lane:analytics", "lock:tts")
            )
            assert 0 < ttls["starts"] <= 5_000  # the longest window + margins
        await governor.report_block(0.01)
        names = [k.decode() async for k in redis_client.scan_iter(match=f"*{key_id}*")]
        assert names  # the starts log and the block state remain, for a while
        for name in names:
            assert await redis_client.pttl(name) > 0, name
        assert not [k async for k in redis_client.scan_iter(match=f"*{api_key}*")]
    finally:
        await redis_client.delete(*[k async for k in redis_client.scan_iter(match=f"*{key_id}*")])
        await governor.aclose()


async def test_a_release_wakes_the_waiter_whose_turn_it_is(redis_url: str, namespace: str) -> None:
    """Waiters for a slot that frees at no known time block on Redis until a release
    wakes them: with polling set to 30 s, the waiter still gets in as soon as it can."""
    limits = Limits.scaled(0.1, max_in_flight=1, analytics_in_flight=1)
    async with governors(redis_url, namespace, 2, limits, poll_interval=30.0) as (a, b):
        order: list[str] = []
        admitted = anyio.Event()

        async def waiter() -> None:
            async with b.slot():
                order.append("b")
                admitted.set()

        async with anyio.create_task_group() as tg:
            async with a.slot():
                tg.start_soon(waiter)
                await anyio.sleep(0.1)  # b is queued, blocked on Redis
                order.append("a leaves")
            with anyio.fail_after(10):  # far below the 30-s poll: woken, not polled
                await admitted.wait()
        assert order == ["a leaves", "b"]
        assert b.statistics().waits["queue"] > 0


async def test_native_asyncio_cancellation_mid_call_leaves_nothing_held(
    redis_url: str, namespace: str, redis_client: Redis
) -> None:
    """`asyncio.wait_for` and task groups cancel natively, possibly while an admission or
    a release is on its way to Redis: the call is finished before the cancellation goes
    through, so nothing Redis granted stays held."""
    import asyncio

    limits = Limits(windows=(RateWindow(1000, 1.0),), permanent_block_per_10_seconds=10**6)
    rng = random.Random(5)

    async def request(governor: RedisGovernor, hold: float) -> None:
        async with governor.slot():
            await asyncio.sleep(hold)

    async def impatient(governor: RedisGovernor) -> None:
        hold = rng.uniform(0, 0.003)
        # The timeout often strikes while the slot is being taken or given back.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(request(governor, hold), timeout=hold + rng.uniform(0, 0.003))

    async with governors(redis_url, namespace, 2, limits) as govs:
        for _ in range(5):
            await asyncio.gather(*(impatient(govs[i % 2]) for i in range(40)))
        assert [g.statistics().in_flight for g in govs] == [0, 0]
    for name in ("in-flight", "in-flight:queue", "in-flight:alive"):
        assert await zcard(redis_client, key(namespace, name)) == 0, name
