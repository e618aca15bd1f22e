"""Random arrival patterns across several governors, against a real Redis: whatever the
pattern, no window and no cap is ever exceeded, cancelled waiters take nothing, and
every slot is given back."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from redis.asyncio import Redis

from governor_redis._helpers import Overlap, assert_windows_hold, key, starts_us, zcard
from unitalk_async.governor import TTS, Limits, RateWindow
from unitalk_async.governor.redis import RedisGovernor

#: Small windows and caps, so random patterns hit every limit within a fraction of a second.
LIMITS = Limits(
    max_in_flight=3,
    windows=(RateWindow(4, 0.05), RateWindow(8, 0.25)),
    margin=0.002,
    analytics_in_flight=1,
    permanent_block_seconds=0.5,
)

request = st.tuples(
    st.integers(0, 2),  # which governor (process) sends it
    st.floats(0, 0.3),  # when it arrives
    st.floats(0, 0.03),  # how long it stays in flight
    st.sampled_from(["plain", "plain", "plain", "analytics", "tts", "cancelled"]),
)


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(request, min_size=5, max_size=30))
def test_no_window_or_cap_is_ever_exceeded(
    redis_url: str, namespace: str, pattern: list[tuple[int, float, float, str]]
) -> None:
    asyncio.run(_scenario(redis_url, f"{namespace}-{secrets.token_hex(3)}", pattern))


async def _scenario(
    redis_url: str, namespace: str, pattern: list[tuple[int, float, float, str]]
) -> None:
    governors = [
        RedisGovernor.from_url(redis_url, limits=LIMITS, namespace=namespace) for _ in range(3)
    ]
    in_flight, lane, lock = Overlap(), Overlap(), Overlap()
    admitted = 0

    async def send(governor: RedisGovernor, at: float, hold: float, kind: str) -> None:
        nonlocal admitted
        await asyncio.sleep(at)
        options = {"analytics": {"lane": "analytics"}, "tts": {"exclusive": TTS}}.get(kind, {})
        async with governor.slot(**options) as slot:  # type: ignore[arg-type]
            admitted += 1
            with in_flight.inside():
                if slot.lane == "analytics":
                    with lane.inside():
                        await asyncio.sleep(hold)
                elif slot.exclusive:
                    with lock.inside():
                        await asyncio.sleep(hold)
                else:
                    await asyncio.sleep(hold)

    async def cancelled(governor: RedisGovernor, at: float, hold: float) -> None:
        with contextlib.suppress(TimeoutError):  # cancelled while queued, or just after
            await asyncio.wait_for(send(governor, at, 0.0, "plain"), timeout=at + hold)

    tasks = [
        cancelled(governors[g], at, hold)
        if kind == "cancelled"
        else send(governors[g], at, hold, kind)
        for g, at, hold, kind in pattern
    ]
    began = time.monotonic()
    await asyncio.gather(*tasks)
    elapsed = time.monotonic() - began
    stats = [g.statistics() for g in governors]
    for governor in governors:
        await governor.aclose()

    client = Redis.from_url(redis_url)
    try:
        starts = await starts_us(client, namespace)
        assert admitted == sum(s.admitted for s in stats)
        # A request cancelled just as it was admitted keeps its start counted (it may have
        # been sent, as far as the windows can tell): never fewer starts than requests.
        cancelled_count = sum(1 for *_, kind in pattern if kind == "cancelled")
        assert len(starts) <= admitted + cancelled_count
        # The shared log forgets starts older than its TTL (the longest window + 1.5 s): only
        # a run that ended within that (a slow first run on a busy CI machine may not) still
        # holds every start.
        if elapsed < 1.5:
            assert admitted <= len(starts)
        assert_windows_hold(starts, LIMITS)
        assert in_flight.most <= LIMITS.max_in_flight
        assert lane.most <= LIMITS.analytics_in_flight
        assert lock.most <= 1
        assert admitted >= sum(1 for *_, kind in pattern if kind != "cancelled")
        for name in ("in-flight", "in-flight:queue", "lane:analytics", "lock:tts"):
            assert await zcard(client, key(namespace, name)) == 0, name
    finally:
        await client.aclose()
