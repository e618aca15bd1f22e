"""Retry safety judged on a real socket by a bare asyncio HTTP server written here.

It shares nothing with the client (no Starlette, no ASGI transport): it reads each request
off the socket, counts it, and answers from a script, or closes the connection after
reading the request, the one failure an in-process transport cannot stage.
"""

from __future__ import annotations

import asyncio
import copy
import pickle
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import anyio
import pytest

from unitalk_async import (
    Limits,
    OutcomeUnknownError,
    RateLimitError,
    RetryPolicy,
    UnitalkClient,
    UnitalkError,
)
from unitalk_async._bulk import partial_result
from unitalk_async.models.audio import TtsItem
from unitalk_async.models.calls import CallAudio, TextToSpeech
from unitalk_async.models.enums import AudioType

pytestmark = pytest.mark.anyio

QUICK = RetryPolicy(max_retries=3, budget=5.0, base_delay=0.001, max_delay=0.002, busy_delay=0.001)
DROP = None  # close the connection after reading the request
GATEWAY_PAGE = (503, b"<html><h1>503 Service Temporarily Unavailable</h1></html>")
BUSY = (200, b'{"status": "Error", "message": "Handler is busy, try again later"}')
SENT = (200, b'{"status": "Success", "data": 42, "message": "Numbers added"}')


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class SocketService:
    """Answers each request with the next scripted (status, body) or DROP; the last repeats."""

    def __init__(
        self, *answers: tuple[int, bytes] | None, retry_after: int = 0, work: float = 0.0
    ) -> None:
        self.answers = list(answers)
        self.retry_after = retry_after
        self.work = work  # seconds each request is worked on before its answer
        self.in_flight = self.most_in_flight = 0
        self.arrivals: list[bytes] = []

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
                length = 0
                for line in head.split("\r\n")[1:]:
                    name, _, value = line.partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value)
                self.arrivals.append(await reader.readexactly(length))
                answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
                if answer is DROP:
                    break
                status, body = answer
                self.in_flight += 1
                self.most_in_flight = max(self.most_in_flight, self.in_flight)
                await asyncio.sleep(self.work)
                self.in_flight -= 1
                writer.write(
                    f"HTTP/1.1 {status} X\r\nContent-Length: {len(body)}\r\n"
                    f"Retry-After: {self.retry_after}\r\n"
                    f"Content-Type: text/plain\r\n\r\n".encode()
                    + body
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        writer.close()


@asynccontextmanager
async def connected(
    service: SocketService, retry: RetryPolicy = QUICK, limits: Limits | None = None
) -> AsyncIterator[UnitalkClient]:
    server = await asyncio.start_server(service.handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        async with UnitalkClient(
            "key",
            base_url=f"http://127.0.0.1:{port}/api",
            limits=Limits.disabled() if limits is None else limits,
            retry=retry,
        ) as client:
            yield client
    finally:
        server.close()


Call = Callable[[UnitalkClient], Awaitable[Any]]
TTS = [TtsItem(name="a", type=AudioType.API, tts=TextToSpeech(text="t", settings_id=18))]

NOT_IDEMPOTENT: list[tuple[str, Call]] = [
    ("messages.send", lambda c: c.messages.send("SMS", "380501112233", "hi")),
    ("messages.send_bulk", lambda c: c.messages.send_bulk("SMS", ["380501112233"], "hi")),
    (
        "calls.originate_new",
        lambda c: c.calls.originate_new("380501112233", audios=[CallAudio(id=1)]),
    ),
    ("calls.hangup", lambda c: c.calls.hangup(number="101")),
    ("audio.tts", lambda c: c.audio.tts(TTS)),
    ("widget.send_notification", lambda c: c.widget.send_notification([1], contact_name="J")),
]


@pytest.mark.parametrize(("label", "call"), NOT_IDEMPOTENT, ids=[n for n, _ in NOT_IDEMPOTENT])
async def test_a_connection_dropped_after_the_request_is_never_followed_by_a_resend(
    label: str, call: Call
) -> None:
    service = SocketService(DROP, SENT)
    async with connected(service) as client:
        with pytest.raises(OutcomeUnknownError) as caught:
            await call(client)
    assert len(service.arrivals) == 1
    assert caught.value.operation == label


@pytest.mark.parametrize("message", [b"Unknown error", b"Internal error"])
@pytest.mark.parametrize(("label", "call"), NOT_IDEMPOTENT[:1] + NOT_IDEMPOTENT[4:5])
async def test_a_503_whose_message_says_the_fate_is_unknown_is_not_resent(
    message: bytes, label: str, call: Call
) -> None:
    # The reference's "Unknown error" (/message/send) and "Internal error" (synthesis) do
    # not say the request was left alone: with HTTP 503 either, the message may be out.
    service = SocketService((503, b'{"status": "Error", "message": "' + message + b'"}'), SENT)
    async with connected(service) as client:
        with pytest.raises(OutcomeUnknownError):
            await call(client)
    assert len(service.arrivals) == 1


async def test_errors_pickle_and_copy_and_name_their_operation() -> None:
    service = SocketService(BUSY)
    async with connected(service, RetryPolicy.none()) as client:
        with pytest.raises(UnitalkError) as caught:
            await client.autodial.pause(7)
    error = caught.value
    assert (error.path, error.operation) == ("/autodial/action", "autodial.pause")
    for copied in (pickle.loads(pickle.dumps(error)), copy.deepcopy(error)):
        assert (copied.message, copied.path) == (error.message, "/autodial/action")


@pytest.mark.parametrize(
    ("first", "applied"),
    [(GATEWAY_PAGE, None), ((500, b'{"status": "Error", "message": "x"}'), None), (BUSY, 0)],
)
async def test_a_failed_chunk_reports_zero_applied_only_when_the_service_said_so(
    first: tuple[int, bytes], applied: int | None
) -> None:
    service = SocketService(first)
    async with connected(service, RetryPolicy.none()) as client:
        with pytest.raises(UnitalkError) as caught:
            await client.autodial.add_numbers(7, ["380501112233"])
    result = partial_result(caught.value)
    assert result is not None
    assert (result.applied, result.requests, len(service.arrivals)) == (applied, 1, 1)


async def test_a_resend_refused_after_a_lost_answer_leaves_applied_unknown() -> None:
    # The lost first attempt may have added the numbers; the busy resend says nothing of it.
    service = SocketService(DROP, BUSY)
    retry = RetryPolicy(max_retries=1, budget=5.0, base_delay=0.001, max_delay=0.002, busy_delay=0)
    async with connected(service, retry) as client:
        with pytest.raises(UnitalkError) as caught:
            await client.autodial.add_numbers(7, ["380501112233"])
    result = partial_result(caught.value)
    assert result is not None
    assert (result.applied, result.requests, len(service.arrivals)) == (None, 2, 2)


async def test_a_chunk_the_governor_refuses_before_sending_counts_no_request() -> None:
    # A 429 asking for 30 s pauses the key; the next call cannot wait that long within its
    # budget and fails before sending anything: its chunk made no HTTP request.
    too_many = (429, b'{"status": "Error", "message": "Too many requests per second"}')
    service = SocketService(too_many, retry_after=30)
    async with connected(service, RetryPolicy(budget=1.0), Limits()) as client:
        with pytest.raises(RateLimitError):
            await client.autodial.add_numbers(7, ["380501112233"])
        with pytest.raises(RateLimitError) as caught:
            await client.autodial.add_numbers(7, ["380501112234"])
        sent = client.stats.requests
    result = partial_result(caught.value)
    assert result is not None
    assert (result.requests, sent, len(service.arrivals)) == (0, 1, 1)


async def test_the_escape_hatch_never_resends_a_hangup_it_cannot_tell_is_by_id() -> None:
    service = SocketService(BUSY, SENT)
    async with connected(service) as client:
        with pytest.raises(UnitalkError):
            await client.post("/calls/hangup", json={"number": "101"})
    assert len(service.arrivals) == 1


async def test_the_escape_hatch_takes_the_mutex_of_the_action_it_posts() -> None:
    # Two ADD_NUMBERS on one project at once answer "Handler is busy": the client holds
    # the autodial-numbers mutex for them, for `client.post` too.
    service = SocketService(SENT, work=0.05)
    body = {"action": "ADD_NUMBERS", "id": 7, "numbers": ["380501112233"]}
    async with connected(service) as client, anyio.create_task_group() as tasks:
        tasks.start_soon(lambda: client.autodial.add_numbers(7, ["380501112234"]))
        tasks.start_soon(lambda: client.post("/autodial/action", json=body))
    assert (len(service.arrivals), service.most_in_flight) == (2, 1)
