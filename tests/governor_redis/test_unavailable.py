"""Redis unreachable: fail closed by default, or run on a local share of the limits."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import anyio
import httpx
import pytest
from redis.asyncio import Redis

from governor_redis._helpers import starts_us
from unitalk_async import UnitalkClient
from unitalk_async._exceptions import TransportError
from unitalk_async.governor import Limits
from unitalk_async.governor.redis import GovernorUnavailableError, RedisGovernor, share_of_limits

pytestmark = pytest.mark.anyio

FAST = Limits.scaled(0.1)
NOWHERE = "redis://127.0.0.1:1/0"  # nothing listens on port 1


async def test_fails_closed_after_a_bounded_wait_and_sends_nothing() -> None:
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"status": "Success", "data": []})

    governor = RedisGovernor.from_url(NOWHERE, limits=FAST, unavailable_timeout=0.2)
    async with UnitalkClient(
        "k" * 32, governor=governor, http_transport=httpx.MockTransport(answer)
    ) as client:
        with pytest.raises(GovernorUnavailableError, match="unreachable") as caught:
            await client.post("/users/list")
        assert isinstance(caught.value, TransportError)
        assert sent == []
        stats = governor.statistics()
        assert stats.redis_errors >= 2  # it waited and tried again before giving up
        assert stats.in_flight == stats.queued == 0
    await governor.aclose()


async def test_the_local_fallback_runs_on_a_share_of_the_limits_until_redis_is_back(
    redis_url: str, namespace: str, redis_client: Redis
) -> None:
    async with _proxy(redis_url) as proxy:
        governor = RedisGovernor.from_url(
            proxy.url,
            limits=FAST,
            namespace=namespace,
            fallback="local",
            fallback_share=0.25,
            fallback_probe=0.05,
        )
        async with governor.slot():
            pass
        assert not governor.statistics().fallback_active
        await proxy.cut()
        for _ in range(3):
            async with governor.slot():
                pass
        assert governor.statistics().fallback_active
        assert governor.statistics().admitted == 4
        await proxy.restore()
        await anyio.sleep(0.06)
        async with governor.slot():
            pass
        assert not governor.statistics().fallback_active
        await governor.aclose()
    # The starts made on the fallback were handed to the shared log when Redis came back.
    assert len(await starts_us(redis_client, namespace)) == 5


def test_a_share_of_the_limits_keeps_at_least_one_of_everything() -> None:
    share = share_of_limits(Limits(), 0.125)
    assert share.max_in_flight == 2
    assert [w.limit for w in share.windows] == [1, 3]
    assert [w.seconds for w in share.windows] == [w.seconds for w in Limits().windows]
    assert share.analytics_in_flight == 1
    assert share_of_limits(Limits.disabled(), 0.1) == Limits.disabled()


class _Proxy:
    """A TCP relay in front of Redis that can be cut (connections dropped, port closed)."""

    def __init__(self, target: tuple[str, int], db: str) -> None:
        self.target = target
        self.db = db
        self.port = 0
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}{self.db}"

    async def restore(self) -> None:
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def cut(self) -> None:
        assert self._server is not None
        self._server.close()
        for writer in list(self._writers):
            writer.close()
        await self._server.wait_closed()
        self._server = None

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(*self.target)
        self._writers |= {writer, up_writer}

        async def pump(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(OSError, asyncio.CancelledError):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            dst.close()

        await asyncio.gather(pump(reader, up_writer), pump(up_reader, writer))


@contextlib.asynccontextmanager
async def _proxy(redis_url: str) -> AsyncIterator[_Proxy]:
    parts = urlsplit(redis_url)
    proxy = _Proxy((parts.hostname or "127.0.0.1", parts.port or 6379), parts.path)
    await proxy.restore()
    try:
        yield proxy
    finally:
        if proxy._server is not None:
            await proxy.cut()
