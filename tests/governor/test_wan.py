"""The local governor against a far-away service: the limits hold where the service counts.

The judge is `wan.WanServer`, a stdlib HTTPS server that costs each new connection a
handshake, delays each trip and counts what arrives; it shares no code with the governor.
"""

from __future__ import annotations

from pathlib import Path

import anyio
import pytest

from unitalk_async import Limits, RetryPolicy, TransportError, UnitalkClient

from .wan import wan_server

SENT = b'{"status": "Success", "data": 1}'

pytestmark = [pytest.mark.anyio, pytest.mark.slow]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"  # the fake server is asyncio's; the governor's logic is tested on both


async def test_a_cold_start_behind_slow_handshakes_keeps_15_per_second_at_the_server(
    tmp_path: Path,
) -> None:
    """Each new connection takes 0.15 s: the first 15 requests leave (and arrive) then, so
    the next 15 must wait a second from *there*, not from when the first were admitted."""
    async with (
        wan_server(tmp_path, handshake=0.15) as server,
        UnitalkClient(
            "key", base_url=server.base_url, http_transport=server.http_transport()
        ) as client,
        anyio.create_task_group() as tg,
    ):
        for _ in range(30):
            tg.start_soon(client.post, "/users/list")
    assert len(server.arrivals) == 30
    assert server.connections >= 15  # the handshakes really were paid
    assert server.worst_window(1.0) <= 15


async def test_requests_the_client_gave_up_on_keep_their_slots_while_the_service_works(
    tmp_path: Path,
) -> None:
    """30 reads time out after 0.3 s against calls the service works on for 1 s: the slots
    of the abandoned ones stay taken for the grace period, so the service never has more
    than 20 at once (the issue's 1.5-s timeouts against 4-s calls, scaled down)."""
    limits = Limits.scaled(0.1, grace=1.0)  # windows of 0.1 s and 1 s: in flight binds
    async with wan_server(tmp_path, work=1.0) as server:
        async with UnitalkClient(
            "key",
            base_url=server.base_url,
            http_transport=server.http_transport(),
            limits=limits,
            timeout=0.3,
            retry=RetryPolicy.none(),
        ) as client:

            async def read() -> None:
                with pytest.raises(TransportError, match="ReadTimeout"):
                    await client.post("/users/list")

            async with anyio.create_task_group() as tg:
                for _ in range(30):
                    tg.start_soon(read)
        # Let the service finish what it was given.
        await anyio.sleep(1.2)
    assert len(server.arrivals) == 30
    assert server.most_in_flight <= 20


async def test_a_slow_handshake_does_not_eat_the_attempts_timeout(tmp_path: Path) -> None:
    """`timeout` runs from when the request leaves: a 0.6-s handshake (bounded by the
    connect timeout) before a 0.3-s attempt is no timeout, and so no "outcome unknown" for
    a message the service never saw."""
    async with (
        wan_server(tmp_path, handshake=0.6, answer=(200, {}, SENT)) as server,
        UnitalkClient(
            "key",
            base_url=server.base_url,
            http_transport=server.http_transport(),
            timeout=0.3,
            connect_timeout=5.0,
        ) as client,
    ):
        await client.messages.send("SMS", "380971234567", "hello")
    assert len(server.arrivals) == 1


async def test_a_handshake_outlasting_the_connect_timeout_is_known_not_sent(
    tmp_path: Path,
) -> None:
    """Out of time before the headers left: nothing reached the service, so even a send
    that is never resent after an ambiguous failure is retried, and arrives once."""
    async with (
        wan_server(tmp_path, handshake=1.0, answer=(200, {}, SENT)) as server,
        UnitalkClient(
            "key",
            base_url=server.base_url,
            http_transport=server.http_transport(),
            timeout=0.3,
            connect_timeout=0.5,
            retry=RetryPolicy(max_retries=1, base_delay=0.01, max_delay=0.01),
        ) as client,
    ):
        with pytest.raises(TransportError, match="ConnectTimeout"):
            await client.messages.send("SMS", "380971234567", "hello")
    assert server.arrivals == []


async def test_the_certificate_store_named_by_ssl_cert_file_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Clients share one loaded certificate store, yet one made after SSL_CERT_FILE
    changed trusts the store it names (as the sandbox's printed export line relies on)."""
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    async with wan_server(tmp_path) as server:
        untrusting = UnitalkClient("key", base_url=server.base_url, retry=RetryPolicy.none())
        async with untrusting as client:
            with pytest.raises(TransportError, match="CERTIFICATE_VERIFY_FAILED"):
                await client.post("/users/list")
        monkeypatch.setenv("SSL_CERT_FILE", str(server.cert))
        async with UnitalkClient("key", base_url=server.base_url) as client:
            assert await client.post("/users/list") == []
    assert len(server.arrivals) == 1
