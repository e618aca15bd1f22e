"""The Redis governor against a far-away service: the limits hold where the service counts.

Two governors share one namespace, as two worker processes would; the judge is the same
stdlib HTTPS server as the local governor's (`tests/governor/wan.py`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

import anyio
import pytest

from tests.governor.wan import WanServer, wan_server
from unitalk_async import Limits, RateLimitError, RetryPolicy, TransportError, UnitalkClient
from unitalk_async.governor.redis import RedisGovernor

pytestmark = [pytest.mark.anyio, pytest.mark.redis, pytest.mark.slow]


@asynccontextmanager
async def workers(
    server: WanServer, redis_url: str, namespace: str, limits: Limits, **options: object
) -> AsyncIterator[list[UnitalkClient]]:
    async with AsyncExitStack() as stack:
        clients = []
        for _ in range(2):
            governor = RedisGovernor.from_url(redis_url, namespace=namespace, limits=limits)
            stack.push_async_callback(governor.aclose)
            client = UnitalkClient(
                "key",
                base_url=server.base_url,
                http_transport=server.http_transport(),
                governor=governor,
                **options,  # type: ignore[arg-type]
            )
            clients.append(await stack.enter_async_context(client))
        yield clients


async def burst(clients: list[UnitalkClient], count: int) -> None:
    async with anyio.create_task_group() as tg:
        for i in range(count):
            tg.start_soon(clients[i % len(clients)].post, "/users/list")


async def test_a_cold_start_behind_slow_handshakes_keeps_15_per_second_at_the_server(
    tmp_path: Path, redis_url: str, namespace: str
) -> None:
    async with (
        wan_server(tmp_path, handshake=0.15) as server,
        workers(server, redis_url, namespace, Limits()) as clients,
    ):
        await burst(clients, 30)
    assert len(server.arrivals) == 30
    assert server.worst_window(1.0) <= 15


async def test_0_to_300_ms_of_jitter_keeps_both_windows_and_the_spread_is_shared(
    tmp_path: Path, redis_url: str, namespace: str
) -> None:
    limits = Limits.scaled(0.1)  # windows of 0.1 s and 1 s; the margin is not scaled
    async with (
        wan_server(tmp_path, handshake=0.05, jitter=(0.0, 0.3), seed=2) as server,
        workers(server, redis_url, namespace, limits) as clients,
    ):
        await burst(clients, 90)
        margins = [c.stats.governor.margin for c in clients]
    assert len(server.arrivals) == 90
    assert server.worst_window(0.1) <= 15
    assert server.worst_window(1.0) <= 30
    assert min(margins) > 0.3  # learned, and shared: each sees the widest


async def test_requests_the_client_gave_up_on_keep_their_slots_while_the_service_works(
    tmp_path: Path, redis_url: str, namespace: str
) -> None:
    limits = Limits.scaled(0.1, grace=1.0)
    async with (
        wan_server(tmp_path, work=1.0) as server,
        workers(
            server, redis_url, namespace, limits, timeout=0.3, retry=RetryPolicy.none()
        ) as clients,
    ):

        async def read(client: UnitalkClient) -> None:
            with pytest.raises(TransportError, match="ReadTimeout"):
                await client.post("/users/list")

        async with anyio.create_task_group() as tg:
            for i in range(30):
                tg.start_soon(read, clients[i % 2])
        await anyio.sleep(1.2)  # let the service finish what it was given
    assert len(server.arrivals) == 30
    assert server.most_in_flight <= 20


async def test_a_600_s_pause_fails_calls_whose_budget_is_shorter_in_every_worker(
    tmp_path: Path, redis_url: str, namespace: str
) -> None:
    body = b'{"status":"Error","message":"Too many requests, temporarily blocked"}'
    blocked = (429, {"Retry-After": "600", "Content-Type": "application/json"}, body)
    async with (
        wan_server(tmp_path, answer=blocked) as server,
        workers(server, redis_url, namespace, Limits(), retry=RetryPolicy(budget=5.0)) as clients,
    ):
        with pytest.raises(RateLimitError) as first:
            await clients[0].post("/users/list")
        assert first.value.retry_after == 600
        # The other worker knows the shared pause only once Redis tells it: at its admission.
        with pytest.raises(RateLimitError) as second:
            await clients[1].post("/users/list")
        assert second.value.retry_after is not None and second.value.retry_after > 590
    assert len(server.arrivals) == 1  # nothing more was sent during the pause


def test_the_statistics_can_be_read_after_the_event_loop_ended(
    tmp_path: Path, redis_url: str, namespace: str
) -> None:
    async def main() -> RedisGovernor:
        async with wan_server(tmp_path, jitter=(0.0, 0.05)) as server:
            governor = RedisGovernor.from_url(redis_url, namespace=namespace)
            async with UnitalkClient(
                "key",
                base_url=server.base_url,
                http_transport=server.http_transport(),
                governor=governor,
            ) as client:
                for _ in range(3):
                    await client.post("/users/list")
            await governor.aclose()
            return governor

    governor = anyio.run(main)
    stats = governor.statistics()
    assert stats.admitted == 3
    assert stats.latency_spread > 0


async def test_a_waiter_for_a_slot_does_not_poll_redis(redis_url: str, namespace: str) -> None:
    """Another worker holds the only slot for 3 s: the waiter asks once, blocks until the
    release wakes it, and asks once more (today's poll of 4 calls/s would make ~12)."""
    limits = Limits(max_in_flight=1, analytics_in_flight=1)
    holder = RedisGovernor.from_url(redis_url, namespace=namespace, limits=limits)
    waiter = RedisGovernor.from_url(redis_url, namespace=namespace, limits=limits)
    try:
        async with waiter.slot():  # scripts loaded, connection made: not counted below
            pass
        async with anyio.create_task_group() as tg:
            held = anyio.Event()

            async def hold() -> None:
                async with holder.slot():
                    held.set()
                    await anyio.sleep(3)

            tg.start_soon(hold)
            await held.wait()
            before = waiter.statistics().round_trips
            async with waiter.slot() as slot:
                calls = waiter.statistics().round_trips - before
        assert slot.waits["queue"] > 0
        assert calls <= 4  # admit, wait (woken by the release), admit; one spare
    finally:
        await holder.aclose()
        await waiter.aclose()
