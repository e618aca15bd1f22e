"""Selecting the Redis governor from the client: one argument, or UNITALK_REDIS_URL."""

from __future__ import annotations

import hashlib

import httpx
import pytest
from redis.asyncio import Redis

from governor_redis._helpers import starts_us
from unitalk_async import UnitalkClient
from unitalk_async._exceptions import ConfigurationError
from unitalk_async.governor.redis import RedisGovernor

API_KEY = "k" * 32
KEY_ID = hashlib.sha256(API_KEY.encode()).hexdigest()[:24]


def ok(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"status": "Success", "data": []})


@pytest.mark.anyio
async def test_unitalk_redis_url_puts_every_client_of_a_key_on_one_shared_governor(
    redis_url: str, redis_client: Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UNITALK_REDIS_URL", redis_url)
    await redis_client.delete(f"unitalk:governor:{{{KEY_ID}}}:starts")
    try:
        for _ in range(2):  # two clients, as two processes would have
            async with UnitalkClient(API_KEY, http_transport=httpx.MockTransport(ok)) as client:
                assert isinstance(client.governor, RedisGovernor)
                await client.post("/users/list")
                assert client.stats.governor.backend == "redis"
        # Both counted in the log named after the key's hash, never the key.
        assert len(await starts_us(redis_client, KEY_ID)) == 2
        assert not [k async for k in redis_client.scan_iter(match=f"*{API_KEY}*")]
    finally:
        names = [k async for k in redis_client.scan_iter(match=f"*{{{KEY_ID}}}*")]
        if names:
            await redis_client.delete(*names)


def test_one_governor_governs_one_key(redis_url: str) -> None:
    governor = RedisGovernor.from_url(redis_url)
    governor.attach("a" * 24)
    governor.attach("a" * 24)  # the same key again (another client of it): fine
    with pytest.raises(ConfigurationError, match="one API key"):
        governor.attach("b" * 24)
    with pytest.raises(ConfigurationError, match="namespace"):
        RedisGovernor.from_url(redis_url, namespace="has{braces}")
    with pytest.raises(ConfigurationError, match="fallback"):
        RedisGovernor.from_url(redis_url, fallback="maybe")  # type: ignore[arg-type]


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["trio"])
async def test_under_trio_it_says_it_needs_asyncio(redis_url: str, namespace: str) -> None:
    governor = RedisGovernor.from_url(redis_url, namespace=namespace)
    with pytest.raises(ConfigurationError, match="asyncio"):
        async with governor.slot():
            pass
