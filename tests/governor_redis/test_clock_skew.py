"""Workers' clocks do not enter admission: every decision is taken on Redis's `TIME`."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import anyio
import pytest
from redis.asyncio import Redis

from governor_redis._helpers import assert_windows_hold, starts_us
from unitalk_async.governor import Limits
from unitalk_async.governor.redis import RedisGovernor

pytestmark = pytest.mark.anyio

FAST = Limits.scaled(0.1, max_in_flight=5, analytics_in_flight=1)


class SkewedLoop(asyncio.SelectorEventLoop):
    """An event loop on a wrong clock: off by `offset` seconds and running at `rate`.

    Everything local runs on it: `anyio.current_time()`, the governor's own clock, the
    timers that end its sleeps (a fast clock wakes them early, a slow one late).
    """

    def __init__(self, offset: float, rate: float) -> None:
        super().__init__()
        self._offset = offset
        self._rate = rate
        self._origin = super().time()

    def time(self) -> float:
        real = super().time()
        return self._origin + self._offset + (real - self._origin) * self._rate


def run_skewed(offset: float, rate: float, work: Any, results: list[Any]) -> threading.Thread:
    def main() -> None:
        loop = SkewedLoop(offset, rate)
        try:
            results.append(loop.run_until_complete(work()))
        finally:
            loop.close()

    thread = threading.Thread(target=main)
    thread.start()
    return thread


async def test_workers_with_skewed_clocks_still_keep_every_window(
    redis_url: str, namespace: str, redis_client: Redis
) -> None:
    clocks = [(3600.0, 1.0), (-3600.0, 1.0), (0.0, 1.1), (86_400.0, 0.9)]
    inside, most = 0, 0
    lock = threading.Lock()

    async def worker() -> dict[str, Any]:
        nonlocal inside, most
        governor = RedisGovernor.from_url(redis_url, limits=FAST, namespace=namespace)

        async def one() -> None:
            nonlocal inside, most
            async with governor.slot():
                with lock:
                    inside += 1
                    most = max(most, inside)
                await asyncio.sleep(0.005)
                with lock:
                    inside -= 1

        await asyncio.gather(*(one() for _ in range(15)))
        stats = governor.statistics()
        await governor.aclose()
        return {"admitted": stats.admitted, "waits": stats.waits}

    results: list[dict[str, Any]] = []
    threads = [run_skewed(offset, rate, worker, results) for offset, rate in clocks]
    await anyio.to_thread.run_sync(lambda: [t.join(30) for t in threads])

    assert [r["admitted"] for r in results] == [15] * 4
    starts = await starts_us(redis_client, namespace)
    assert len(starts) == 60
    assert_windows_hold(starts, FAST)
    assert most <= FAST.max_in_flight
    # Waits are measured on each worker's own clock: skewed, but never negative.
    assert all(v >= 0 for r in results for v in r["waits"].values())
