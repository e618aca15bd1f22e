"""The receiver against senders that misbehave, over real HTTP (uvicorn on loopback).

Slow and broken senders are played with raw sockets, so the test controls every byte and
every pause; the judge of "the connection stayed open" is the server's own view of the
client address, recorded by a wrapper around the receiver.
"""

from __future__ import annotations

import logging
from typing import Any

import anyio
import httpx
import pytest

from unitalk_async import ConfigurationError
from unitalk_async.webhooks import CallEvent, WebhookReceiver

from ._server import serving
from .test_receiver import CALL_END, SECRET, WRONG, recording

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def _head(url: str, length: int, path: str = "/") -> bytes:
    host = url.removeprefix("http://")
    return (
        f"POST {path}?token={SECRET} HTTP/1.1\r\nHost: {host}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {length}\r\n\r\n"
    ).encode()


async def _connect(url: str) -> anyio.abc.SocketStream:
    host, port = url.removeprefix("http://").split(":")
    return await anyio.connect_tcp(host, int(port))


async def test_a_body_trickled_past_the_deadline_is_408_and_never_handled() -> None:
    receiver = WebhookReceiver(secret=SECRET, body_timeout=0.3)
    received = recording(receiver, CallEvent)
    answer = b""
    async with serving(receiver.app) as url, await _connect(url) as stream:
        await stream.send(_head(url, len(CALL_END)))

        async def trickle() -> None:
            # A byte every 0.1 s: 6 s for the whole body, 20 times the deadline.
            for byte in CALL_END:
                await stream.send(bytes([byte]))
                await anyio.sleep(0.1)

        async with anyio.create_task_group() as tg:
            tg.start_soon(trickle)
            while b"\r\n\r\n" not in answer:
                answer += await stream.receive()
            tg.cancel_scope.cancel()
    status_line, _, rest = answer.partition(b"\r\n")
    assert status_line == b"HTTP/1.1 408 Request Timeout"
    assert b"connection: close" in rest.lower()
    assert received == []
    assert receiver.statistics().rejected == 1


async def test_deeply_nested_json_is_400_and_the_connection_is_kept(
    caplog: pytest.LogCaptureFixture,
) -> None:
    receiver = WebhookReceiver(secret=SECRET)
    received = recording(receiver, CallEvent)
    clients: list[Any] = []

    async def watched(scope: Any, receive: Any, send: Any) -> None:
        clients.append(scope.get("client"))
        await receiver.app(scope, receive, send)

    nested = b"[" * 2048 + b"]" * 2048
    async with serving(watched) as url, httpx.AsyncClient(params={"token": SECRET}) as http:
        deep = await http.post(url, content=nested)
        deep_object = await http.post(url, content=b'{"a":' * 2048 + b"1" + b"}" * 2048)
        after = await http.post(url, content=CALL_END)
    assert (deep.status_code, deep.json()) == (400, {"error": "body is nested too deeply"})
    assert deep_object.status_code == 400
    assert after.status_code == 200
    assert len(received) == 1
    assert len(clients) == 3
    assert len(set(clients)) == 1, "the connection was dropped and reopened"
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_sender_that_hangs_up_mid_body_is_logged_quietly(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    receiver = WebhookReceiver(secret=SECRET)
    received = recording(receiver, CallEvent)
    async with serving(receiver.app) as url:
        async with await _connect(url) as stream:
            await stream.send(_head(url, len(CALL_END)) + CALL_END[:10])
        # The server notices the hang-up on its own schedule: poll its counter.
        with anyio.fail_after(10):
            while receiver.statistics().disconnected == 0:  # noqa: ASYNC110
                await anyio.sleep(0.01)
    assert received == []
    loud = [r for r in caplog.records if r.levelno >= logging.WARNING or r.exc_info]
    assert loud == []
    assert any("hung up" in r.getMessage() for r in caplog.records)


async def test_several_secrets_while_rotating_the_first_is_current(
    server_log: list[logging.LogRecord],
) -> None:
    receiver = WebhookReceiver(secret=["new-Secret_2", "old-Secret_1"])
    received = recording(receiver, CallEvent)
    async with serving(receiver.app) as url, httpx.AsyncClient(base_url=url) as http:
        current = await http.post("/", params={"token": "new-Secret_2"}, content=CALL_END)
        previous = await http.post(
            "/",
            headers={"X-Webhook-Token": "old-Secret_1"},
            content=CALL_END.replace(b"CALL_END", b"CALL_NEW"),
        )
        wrong = await http.post("/", params={"token": WRONG}, content=CALL_END)
    assert (current.status_code, previous.status_code, wrong.status_code) == (200, 200, 403)
    assert len(received) == 2
    stats = receiver.statistics()
    assert (stats.previous_secret, stats.rejected) == (1, 1)
    # Every line but the sending client's own (httpx logs the URL it posts to).
    served = "\n".join(r.getMessage() for r in server_log if r.name != "httpx")
    assert "token=***" in served
    assert "new-Secret_2" not in served
    assert "old-Secret_1" not in served
    assert "new-Secret_2" not in repr(receiver)


def test_an_empty_list_of_secrets_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="at least one"):
        WebhookReceiver(secret=[])
    with pytest.raises(ConfigurationError, match="#2"):
        WebhookReceiver(secret=["ok", ""])


async def test_non_json_content_types_are_415_when_asked_for() -> None:
    strict = WebhookReceiver(secret=SECRET, require_json=True)
    lenient = WebhookReceiver(secret=SECRET)
    received = recording(strict, CallEvent)
    lenient_received = recording(lenient, CallEvent)
    cases = {
        "text/plain": CALL_END,
        "application/x-www-form-urlencoded": CALL_END.replace(b"1", b"2"),
        "application/json; charset=utf-8": CALL_END.replace(b"1", b"3"),
        "application/vnd.unitalk+json": CALL_END.replace(b"1", b"4"),
    }
    statuses: dict[str, tuple[int, int]] = {}
    async with (
        serving(strict.app) as strict_url,
        serving(lenient.app) as lenient_url,
        httpx.AsyncClient(params={"token": SECRET}) as http,
    ):
        for content_type, body in cases.items():
            headers = {"Content-Type": content_type}
            first = await http.post(strict_url, content=body, headers=headers)
            second = await http.post(lenient_url, content=body, headers=headers)
            statuses[content_type] = (first.status_code, second.status_code)
    assert statuses == {
        "text/plain": (415, 200),
        "application/x-www-form-urlencoded": (415, 200),
        "application/json; charset=utf-8": (200, 200),
        "application/vnd.unitalk+json": (200, 200),
    }
    assert len(received) == 2
    assert len(lenient_received) == 4
