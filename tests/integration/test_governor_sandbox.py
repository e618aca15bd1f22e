"""The governor over real HTTP on loopback, against the sandbox's own limit enforcement."""

from __future__ import annotations

import anyio
import httpx
import pytest

from unitalk_async import Limits, UnitalkClient
from unitalk_async.sandbox import SandboxConfig, ServerLimits, run_sandbox
from unitalk_async.sandbox.process import SandboxProcess

from .conftest import admin

pytestmark = [pytest.mark.anyio, pytest.mark.slow]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"  # real-time tests: one backend is enough; both are covered in unit tests


async def test_backlog_of_75_with_the_default_limits_stays_within_every_limit_at_the_server(
    sandbox_process: SandboxProcess,
) -> None:
    server = sandbox_process
    async with UnitalkClient(server.api_key, base_url=server.base_url) as client:
        async with anyio.create_task_group() as tg:
            for _ in range(75):
                tg.start_soon(client.post, "/users/list")
        stats = client.stats
    seen = admin(server, "arrivals")
    assert seen["total"] == 75
    assert seen["rejected"] == 0
    assert seen["blocks"] == []
    assert seen["worst1s"] <= 15
    assert seen["worst10s"] <= 30
    assert seen["maxInFlight"] <= 20
    assert stats.governor.blocks_seen == 0
    assert stats.requests == 75


async def test_a_client_without_its_governor_gets_blocked_and_ours_recovers() -> None:
    """A bare HTTP client floods the key and gets it blocked; a governed client then pauses for the
    Retry-After it is given and completes every request without being blocked again."""
    limits = ServerLimits(time_scale=0.1)  # 1-s window -> 100 ms, block 60 s -> 6 s
    with run_sandbox(SandboxConfig(seed=4, enforce_limits=True, limits=limits)) as server:
        async with UnitalkClient(
            server.api_key, base_url=server.base_url, limits=Limits.scaled(0.1)
        ) as governed:
            # Someone else on the same key floods it with a bare HTTP client: temporary block.
            headers = {"Authorization": server.api_key}
            async with httpx.AsyncClient(headers=headers) as raw, anyio.create_task_group() as tg:
                for _ in range(40):
                    tg.start_soon(raw.post, f"{server.base_url}/users/list")
            assert server.sandbox.arrivals.block_events()
            blocks_before = len(server.sandbox.arrivals.block_events())
            async with anyio.create_task_group() as tg:
                for _ in range(20):
                    tg.start_soon(governed.post, "/users/list")
            stats = governed.stats
        assert stats.governor.blocks_seen >= 1
        assert stats.paths["/users/list"].requests >= 20
        assert len(server.sandbox.arrivals.block_events()) == blocks_before


async def test_over_an_emulated_wan_the_server_sees_every_limit_kept() -> None:
    """The sandbox behaves like a far-away service: 0.15-s handshakes per new connection
    (HTTPS) and 0-300 ms one-way trips each way. The default client, with nothing
    configured but windows ten times shorter (both sides), keeps both windows and the
    in-flight cap where the sandbox counts them, on arrival."""
    limits = ServerLimits(time_scale=0.1)
    config = SandboxConfig(seed=5, limits=limits, connection_setup=0.15, latency=(0.0, 0.3))
    with run_sandbox(config) as server:
        async with UnitalkClient(
            server.api_key,
            base_url=server.base_url,
            http_transport=server.http_transport(),
            limits=Limits.scaled(0.1),
        ) as client:
            async with anyio.create_task_group() as tg:
                for _ in range(75):
                    tg.start_soon(client.post, "/users/list")
            margin = client.stats.governor.margin
        arrivals = server.sandbox.arrivals
        assert server.root_url.startswith("https://")
        assert arrivals.total == 75
        assert arrivals.rejected == 0
        assert arrivals.blocks == []
        assert arrivals.worst_window(limits.second) <= 15
        assert arrivals.worst_window(limits.ten_seconds) <= 30
        assert arrivals.max_in_flight <= 20
        assert margin > 0.3  # learned from the answers
