"""Leases: renewed while a request runs, expired when its worker stops, and token-checked."""

from __future__ import annotations

import asyncio
import threading
import time

import anyio
import anyio.to_thread
import pytest
from redis.asyncio import Redis

from governor_redis._helpers import key, zcard
from unitalk_async.governor import AUTODIAL_NUMBERS, Limits
from unitalk_async.governor._redis_scripts import ScriptRunner
from unitalk_async.governor.redis import RedisGovernor

pytestmark = pytest.mark.anyio

ONE_SLOT = Limits.scaled(0.1, max_in_flight=1, analytics_in_flight=1)


async def test_a_lease_is_renewed_while_the_request_runs(redis_url: str, namespace: str) -> None:
    holder = RedisGovernor.from_url(
        redis_url, limits=ONE_SLOT, namespace=namespace, lease_seconds=0.3
    )
    other = RedisGovernor.from_url(
        redis_url, limits=ONE_SLOT, namespace=namespace, lease_seconds=0.3
    )
    try:
        async with holder.slot(exclusive=AUTODIAL_NUMBERS):
            # Four lease lengths later the slot and the lock are still held.
            with anyio.move_on_after(1.2) as scope:
                async with other.slot():
                    pytest.fail("admitted while the only slot is held")
            assert scope.cancelled_caught
            with anyio.move_on_after(0.1) as scope:
                async with other.slot(exclusive=AUTODIAL_NUMBERS):
                    pytest.fail("the lock was taken while held")
            assert scope.cancelled_caught
        with anyio.fail_after(5):
            async with other.slot(exclusive=AUTODIAL_NUMBERS):
                pass
        assert holder.statistics().leases_lost == 0
    finally:
        await holder.aclose()
        await other.aclose()


async def test_a_stalled_worker_loses_its_lease_and_cannot_release_the_next_holders(
    redis_url: str, namespace: str, redis_client: Redis
) -> None:
    """A worker whose event loop stalls (or that died) stops renewing: its slot and lock
    go to another worker after the lease, and when it wakes up its release frees nothing
    of the new holder's."""
    holding, woke, released = threading.Event(), threading.Event(), threading.Event()
    lost: list[int] = []

    async def stalled_worker() -> None:
        governor = RedisGovernor.from_url(
            redis_url, limits=ONE_SLOT, namespace=namespace, lease_seconds=0.3
        )
        async with governor.slot(exclusive=AUTODIAL_NUMBERS):
            holding.set()
            time.sleep(1.0)  # the whole loop stalls: no renewal  # noqa: ASYNC251
            woke.set()
        lost.append(governor.statistics().leases_lost)
        released.set()
        await governor.aclose()

    thread = threading.Thread(target=lambda: asyncio.run(stalled_worker()))
    thread.start()
    try:
        await anyio.to_thread.run_sync(holding.wait, 5)
        other = RedisGovernor.from_url(redis_url, limits=ONE_SLOT, namespace=namespace)
        with anyio.fail_after(5):
            async with other.slot(exclusive=AUTODIAL_NUMBERS):
                assert not woke.is_set()  # admitted on expiry, not on release
                await anyio.to_thread.run_sync(released.wait, 5)
                # The stale holder's release found nothing of its own to free.
                assert await zcard(redis_client, key(namespace, "in-flight")) == 1
                assert await zcard(redis_client, key(namespace, f"lock:{AUTODIAL_NUMBERS}")) == 1
        assert await zcard(redis_client, key(namespace, "in-flight")) == 0
        await other.aclose()
    finally:
        thread.join(5)
    assert lost == [2]  # the in-flight slot and the lock


async def test_release_and_renew_are_token_checked(
    redis_url: str, namespace: str, redis_client: Redis
) -> None:
    scripts = ScriptRunner(redis_client)
    leases = key(namespace, "lock:x")
    names = [leases, leases + ":queue", leases + ":alive"]

    async def acquire(token: str, lease_us: int) -> int:
        admitted, _ = await scripts.run("acquire", names, [token, 1, lease_us, 1_000_000, 10_000])
        return int(admitted)

    assert await acquire("old", 50_000) == 1
    assert await acquire("new", 10_000_000) == 0  # one holder at a time
    await anyio.sleep(0.06)  # the old holder's lease runs out
    assert await acquire("new", 10_000_000) == 1
    score = await redis_client.zscore(leases, "new")

    assert [int(x) for x in await scripts.run("release", [leases], ["old", 1, 0, 1])] == [0]
    assert [int(x) for x in await scripts.run("renew", [leases], ["old", 60_000_000])] == [1]
    assert await redis_client.zscore(leases, "new") == score  # untouched by the stale holder
    assert await redis_client.zscore(leases, "old") is None
    assert [int(x) for x in await scripts.run("renew", [leases], ["new", 60_000_000])] == []
    assert [int(x) for x in await scripts.run("release", [leases], ["new", 1, 0, 1])] == [1]
    assert await zcard(redis_client, leases) == 0
