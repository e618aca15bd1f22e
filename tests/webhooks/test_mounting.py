"""A receiver inside FastAPI, inside Starlette and on its own: every event arrives and no line
uvicorn writes at its default level (INFO) shows the secret, with or without trailing slash.

The judge is what the server logged (every record at INFO and above, from any logger but the
sending client's) and what the handlers received, over real HTTP.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route

from unitalk_async.webhooks import CallEvent, WebhookMount, WebhookReceiver

from ._server import serving
from .test_receiver import SECRET, recording

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def _call_end(call_id: int) -> bytes:
    return b'{"event": "CALL_END", "call": {"id": %d}}' % call_id


async def _health(request: Any) -> PlainTextResponse:
    return PlainTextResponse("ok")


def _fastapi(receiver: WebhookReceiver) -> Any:
    app = FastAPI()

    @app.get("/health", response_class=PlainTextResponse)
    async def health() -> str:
        return "ok"

    receiver.mount(app, "/unitalk")
    return app


def _starlette(receiver: WebhookReceiver) -> Any:
    return Starlette(
        routes=[Route("/health", _health)], middleware=[receiver.middleware("/unitalk")]
    )


def _any_asgi_app(receiver: WebhookReceiver) -> Any:
    return WebhookMount(
        Starlette(routes=[Route("/health", _health)]), receiver=receiver, path="/unitalk/"
    )


MOUNTINGS: dict[str, tuple[Callable[[WebhookReceiver], Any], str]] = {
    "FastAPI receiver.mount": (_fastapi, "/unitalk"),
    "Starlette middleware": (_starlette, "/unitalk"),
    "WebhookMount around any ASGI app": (_any_asgi_app, "/unitalk"),
    "plain uvicorn": (lambda receiver: receiver.app, ""),
}


def _server_lines(records: list[logging.LogRecord]) -> list[str]:
    # httpx is the sending side, which of course knows its own URL.
    return [r.getMessage() for r in records if r.name != "httpx"]


@pytest.mark.parametrize("mounting", MOUNTINGS)
async def test_no_event_lost_and_no_secret_logged_with_or_without_the_slash(
    mounting: str, server_log: list[logging.LogRecord]
) -> None:
    build, prefix = MOUNTINGS[mounting]
    receiver = WebhookReceiver(secret=SECRET)
    received = recording(receiver, CallEvent)
    paths = [prefix or "/", prefix + "/"] if prefix else ["/", "//"]
    async with serving(build(receiver)) as url, httpx.AsyncClient(base_url=url) as http:
        answers = [
            await http.post(path, params={"token": SECRET}, content=_call_end(n))
            for n, path in enumerate(paths)
        ]
        answers.append(
            await http.post(paths[0], headers={"X-Webhook-Token": SECRET}, content=_call_end(9))
        )
        elsewhere = await http.post("/elsewhere", params={"token": SECRET, "page": "2"})
        health = await http.get("/health")
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert sorted(e.call.id for e in received) == [0, 1, 9]
    assert elsewhere.status_code in (404, 405)
    if prefix:
        assert (health.status_code, health.text) == (200, "ok")
    lines = _server_lines(server_log)
    access = [line for line in lines if '"POST ' in line]
    assert len(access) == 4, lines
    assert sum("token=***" in line for line in access) == 3, access
    assert not [line for line in lines if SECRET in line]


async def test_paths_below_the_mount_are_the_receivers(
    server_log: list[logging.LogRecord],
) -> None:
    receiver = WebhookReceiver(secret=SECRET, path="/calls")
    received = recording(receiver, CallEvent)
    async with serving(_fastapi(receiver)) as url, httpx.AsyncClient(base_url=url) as http:
        bare = await http.post("/unitalk/calls", params={"token": SECRET}, content=_call_end(1))
        slash = await http.post("/unitalk/calls/", params={"token": SECRET}, content=_call_end(2))
        other = await http.post("/unitalk/other", params={"token": SECRET}, content=_call_end(3))
    assert (bare.status_code, slash.status_code, other.status_code) == (200, 200, 404)
    assert sorted(e.call.id for e in received) == [1, 2]
    assert not [line for line in _server_lines(server_log) if SECRET in line]


async def test_a_receiver_mounted_with_mount_says_how_to_mount_it(
    server_log: list[logging.LogRecord],
) -> None:
    receiver = WebhookReceiver(secret=SECRET)
    recording(receiver, CallEvent)
    app = Starlette(routes=[Mount("/unitalk", app=receiver.app)])
    async with serving(app) as url, httpx.AsyncClient(base_url=url) as http:
        for n in range(2):
            assert (
                await http.post("/unitalk/", params={"token": SECRET}, content=_call_end(n))
            ).status_code == 200
    advice = [r for r in server_log if "receiver.mount(app, path)" in r.getMessage()]
    assert len(advice) == 1
    assert advice[0].levelno == logging.WARNING


def test_a_mount_at_the_root_is_refused() -> None:
    receiver = WebhookReceiver(secret=SECRET)
    with pytest.raises(ValueError, match="below the root"):
        WebhookMount(receiver.app, receiver=receiver, path="/")
