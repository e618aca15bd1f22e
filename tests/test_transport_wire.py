"""The attempt's deadline and the answer-size cap, judged at independent stdlib servers.

A server that trickles its answer, or sends far more than any answer should be, counts what
it managed to write before the client hung up: that count (not a clock in the test) shows
where the client stopped.
"""

from __future__ import annotations

import time
from http.server import BaseHTTPRequestHandler

import pytest
from _wire import Answer, Received, wire_server

from unitalk_async import (
    ConfigurationError,
    Limits,
    RequestTimeoutError,
    ResponseTooLargeError,
    RetryPolicy,
    UnitalkClient,
)

pytestmark = pytest.mark.anyio

TRICKLE = 0.05  # seconds between two bytes of a trickled answer
BODY = b"[" + b" " * 198 + b"]"  # 200 bytes: 10 s when trickled


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"  # real-time servers: one backend is enough


def trickling(written: list[int]) -> Answer:
    """Answers BODY one byte every TRICKLE seconds; appends the bytes written per request."""

    def answer(_: Received, handler: BaseHTTPRequestHandler) -> None:
        written.append(0)
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(BODY)))
        handler.end_headers()
        for byte in BODY:
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            written[-1] += 1
            time.sleep(TRICKLE)

    return answer


def flooding(total: int, written: list[int], *, declare: bool) -> Answer:
    """Answers `[`, then `total` bytes of spaces, then `]`, in 64 KB writes; with `declare`
    the length is announced, else the answer is chunked."""

    def answer(_: Received, handler: BaseHTTPRequestHandler) -> None:
        written.append(0)
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        if declare:
            handler.send_header("Content-Length", str(total + 2))
        else:
            handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        block = 64 * 1024

        def send(data: bytes) -> None:
            frame = data if declare else b"%x\r\n%s\r\n" % (len(data), data)
            handler.wfile.write(frame)
            written[-1] += len(data)

        send(b"[")
        for start in range(0, total, block):
            send(b" " * min(block, total - start))
        send(b"]")
        if not declare:
            handler.wfile.write(b"0\r\n\r\n")

    return answer


def client(url: str, **options: object) -> UnitalkClient:
    return UnitalkClient("k3y-0f-the-pr0ject", base_url=url, limits=Limits.disabled(), **options)  # type: ignore[arg-type]


async def test_timeout_bounds_the_whole_attempt_even_when_the_answer_trickles() -> None:
    written: list[int] = []
    with wire_server(trickling(written)) as server:
        async with client(server.url, timeout=0.5, retry=RetryPolicy.none()) as api:
            with pytest.raises(RequestTimeoutError, match="deadline"):
                await api.users.list()
    # Each byte came within httpx's read timeout; the deadline still cut the answer short.
    assert len(written) == 1
    assert written[0] < len(BODY) // 2


async def test_the_retry_budget_bounds_the_whole_call() -> None:
    written: list[int] = []
    policy = RetryPolicy(max_retries=5, budget=1.2, base_delay=0.01, max_delay=0.01)
    with wire_server(trickling(written)) as server:
        async with client(server.url, timeout=1.0, retry=policy) as api:
            with pytest.raises(RequestTimeoutError):
                await api.users.list()
    # The first attempt had its full second (about 20 bytes); the resend only what was
    # left of the budget (about 4), not another second.
    assert len(written) == 2
    assert written[1] < 12


async def test_an_answer_declared_larger_than_the_cap_is_not_read() -> None:
    written: list[int] = []
    total = 200 * 2**20
    with wire_server(flooding(total, written, declare=True)) as server:
        async with client(server.url, retry=RetryPolicy.none()) as api:
            with pytest.raises(ResponseTooLargeError, match="cap of 67108864") as caught:
                await api.users.list()
    assert caught.value.http_status == 200
    assert "max_answer_bytes" in caught.value.message
    assert len(written) == 1  # not resent: the same answer would come again
    assert written[0] < total // 4


async def test_an_undeclared_answer_is_cut_at_the_cap() -> None:
    written: list[int] = []
    total = 200 * 2**20
    with wire_server(flooding(total, written, declare=False)) as server:
        async with client(server.url, max_answer_bytes=100_000) as api:
            with pytest.raises(ResponseTooLargeError, match="cap of 100000"):
                await api.users.list()
    assert len(written) == 1
    assert written[0] < total // 4


async def test_caps_are_per_operation_and_configurable() -> None:
    written: list[int] = []
    seventeen_mb = 17 * 2**20  # above the 16 MB of a short answer, below a listing's 64 MB
    with wire_server(flooding(seventeen_mb, written, declare=True)) as server:
        async with client(server.url, retry=RetryPolicy.none()) as api:
            assert await api.users.list() == []  # a listing: read whole
            with pytest.raises(ResponseTooLargeError, match="cap of 16777216"):
                await api.messages.get_status(1)
            with pytest.raises(ResponseTooLargeError, match="cap of 1000"):
                await api.with_options(max_answer_bytes=1000).users.list()


@pytest.mark.parametrize("value", [0, -1, True, 1.5, "1000"])
def test_an_unusable_cap_is_a_configuration_error(value: object) -> None:
    with pytest.raises(ConfigurationError, match="max_answer_bytes"):
        UnitalkClient("k", max_answer_bytes=value)  # type: ignore[arg-type]
