"""A block reported by one process pauses all of them; repeats escalate and widen the margin."""

from __future__ import annotations

import anyio
import pytest

from unitalk_async.governor import Limits
from unitalk_async.governor._local import COOL_DOWNS, MARGIN_STEP
from unitalk_async.governor.redis import RedisGovernor

pytestmark = pytest.mark.anyio

FAST = Limits.scaled(0.1)


async def test_a_block_reported_by_one_worker_pauses_every_worker(
    redis_url: str, namespace: str
) -> None:
    a = RedisGovernor.from_url(redis_url, limits=FAST, namespace=namespace)
    b = RedisGovernor.from_url(redis_url, limits=FAST, namespace=namespace)
    try:
        assert await a.report_block(0.2) == pytest.approx(0.2)
        # Other requests that were in flight when the block began report it too: one block.
        assert 0 < await b.report_block(0.2) <= 0.2
        async with b.slot() as slot:
            pass
        assert slot.waits["blocked"] > 0
        stats = b.statistics()
        assert stats.blocks_seen == 1
        assert stats.margin == pytest.approx(FAST.margin + MARGIN_STEP)
        assert stats.backend == "redis"
    finally:
        await a.aclose()
        await b.aclose()


async def test_repeated_blocks_escalate_the_cool_down_for_everyone(
    redis_url: str, namespace: str
) -> None:
    a = RedisGovernor.from_url(redis_url, limits=FAST, namespace=namespace)
    b = RedisGovernor.from_url(redis_url, limits=FAST, namespace=namespace)
    try:
        assert await a.report_block(0.05) == pytest.approx(0.05)
        await anyio.sleep(0.06)
        # Without Retry-After the second block takes the second cool-down, whoever reports it.
        assert await b.report_block(None) == COOL_DOWNS[1]
        with anyio.move_on_after(0.1) as scope:
            async with a.slot():
                pytest.fail("admitted during the shared pause")
        assert scope.cancelled_caught
        stats = a.statistics()
        assert stats.blocks_seen == 2
        assert stats.margin == pytest.approx(FAST.margin + 2 * MARGIN_STEP)
        assert stats.paused_for > COOL_DOWNS[1] - 1
    finally:
        await a.aclose()
        await b.aclose()
