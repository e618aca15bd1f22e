"""The Redis seen-store against a real redis-server: receivers in two servers, one store.

Needs the Redis at UNITALK_TEST_REDIS_URL (see tests/governor_redis/conftest.py): skipped
outside CI when none answers, failed in CI.
"""

from __future__ import annotations

from collections import Counter

import pytest
from redis.asyncio import Redis

from unitalk_async.webhooks import Claim, RedisSeenStore, WebhookReceiver

from ._server import serving
from .test_dedupe import counting, deliveries, post_all
from .test_receiver import SECRET

pytestmark = [pytest.mark.anyio, pytest.mark.redis]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"  # redis-py's client is asyncio-only


def _store(client: Redis, namespace: str, **kwargs: float) -> RedisSeenStore:
    # key_prefix=namespace: the fixture deletes the namespace's keys afterwards.
    return RedisSeenStore(client, key_prefix=namespace, **kwargs)


async def test_two_processes_see_one_claim(redis_url: str, namespace: str) -> None:
    first = RedisSeenStore.from_url(redis_url, namespace="n", key_prefix=namespace)
    second = RedisSeenStore.from_url(redis_url, namespace="n", key_prefix=namespace)
    try:
        assert await first.claim("CALL_END:1:") is Claim.NEW
        assert await second.claim("CALL_END:1:") is Claim.HANDLING
        await first.finish("CALL_END:1:", handled=True)
        assert await second.claim("CALL_END:1:") is Claim.DONE
        assert await second.claim("CALL_END:2:") is Claim.NEW
        await second.finish("CALL_END:2:", handled=False)  # failed: forgotten
        assert await first.claim("CALL_END:2:") is Claim.NEW
    finally:
        await first.aclose()
        await second.aclose()


async def test_an_expired_claim_cannot_release_a_newer_one(
    redis_client: Redis, namespace: str
) -> None:
    slow, other = _store(redis_client, namespace), _store(redis_client, namespace)
    assert await slow.claim("k") is Claim.NEW
    await redis_client.delete(slow.prefix + "k")  # its claim expired (the process hung)
    assert await other.claim("k") is Claim.NEW
    await slow.finish("k", handled=False)  # the hung process gives up, late
    assert await slow.claim("k") is Claim.HANDLING  # `other` still holds it


async def test_claims_expire_and_handled_events_are_remembered_for_a_while(
    redis_client: Redis, namespace: str
) -> None:
    store = _store(redis_client, namespace, claim_seconds=30, remember_seconds=3600)
    assert await store.claim("k") is Claim.NEW
    assert 0 < await redis_client.pttl(store.prefix + "k") <= 30_000
    await store.finish("k", handled=True)
    assert 30_000 < await redis_client.pttl(store.prefix + "k") <= 3_600_000


async def test_two_receivers_sharing_redis_run_each_handler_once(
    redis_url: str, namespace: str
) -> None:
    receivers = [
        WebhookReceiver(secret=SECRET, seen=_store(Redis.from_url(redis_url), namespace))
        for _ in range(2)
    ]
    runs = [counting(receiver) for receiver in receivers]
    order = deliveries(360, 40, seed=6)  # each duplicate goes to the other server
    try:
        async with serving(receivers[0].app) as one, serving(receivers[1].app) as two:
            statuses = await post_all([one, two], order, senders=20)
    finally:
        for receiver in receivers:
            assert isinstance(receiver.seen, RedisSeenStore)
            await receiver.seen.redis.aclose()
    assert statuses == [200] * 400
    assert runs[0] + runs[1] == Counter(range(360))
    assert sum(r.statistics().duplicates for r in receivers) == 40
    assert all(r.statistics().handled > 0 for r in receivers)
