"""The gate every API and tracking request passes: arrival log, auth, limits, faults, billing.

A plain ASGI middleware (no BaseHTTPMiddleware: it must keep up with thousands of requests a
second). For each request under /api or /tracking, in this order:

1. read the body (JSON is decoded once and left for the handler) and log the arrival;
2. authenticate: `Authorization: <key>` or `Bearer <key>` for /api; the tracking links
   carry their own `token` and are counted per token, never refused here;
3. the limits (limits.py): a refusal is answered here, the request is not processed;
4. the faults drawn for the request (faults.py);
5. the handler, its processing time measured for billing.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

import anyio
import anyio.lowlevel
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from unitalk_async._reference import MSG_AUTHORIZATION_INVALID
from unitalk_async.sandbox._answers import error
from unitalk_async.sandbox._request import INVALID, JSON_STATE_KEY, decode_json
from unitalk_async.sandbox.faults import FaultRule
from unitalk_async.sandbox.limits import API_KEY_ID, Arrival
from unitalk_async.sandbox.number_handler import MSG_HANDLER_BUSY

if TYPE_CHECKING:
    from unitalk_async.sandbox.state import Sandbox

API_PREFIX = "/api"
TRACKING_PREFIX = "/tracking/"
# Our texts for injected 5xx answers (the reference shows none).
MSG_INTERNAL = "Internal error"
MSG_UNAVAILABLE = "Service temporarily unavailable"


class SimulatedConnectionReset(ConnectionResetError):
    """Raised by a reset fault when the server cannot drop the connection (not uvicorn)."""


class Gate:
    """ASGI middleware in front of the sandbox's routes."""

    def __init__(self, app: ASGIApp, sandbox: Sandbox) -> None:
        self.app = app
        self.sandbox = sandbox
        self._key = sandbox.api_key.encode("latin-1")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if path.startswith(API_PREFIX + "/") or path == API_PREFIX:
            route = path[len(API_PREFIX) :] or "/"
            key_id = API_KEY_ID if self._authorized(scope) else None
        elif path.startswith(TRACKING_PREFIX):
            route = path
            key_id = "token:" + _query_value(scope, "token")
        else:
            await self.app(scope, receive, send)
            return
        await self._gate(scope, receive, send, route, key_id)

    async def _gate(
        self, scope: Scope, receive: Receive, send: Send, route: str, key_id: str | None
    ) -> None:
        sandbox = self.sandbox
        if sandbox.latency.high > 0:
            # The way there: the service counts a request when it arrives (network.py).
            await sandbox.latency.trip()
            send = sandbox.latency.delayed(send)
        now = sandbox.clock()  # arrival: before the body, however long that takes to read
        body = await _read_body(receive)
        action = self._decode(scope, body)
        in_flight = sandbox.limiter.in_flight(key_id) if key_id else 0
        arrival = sandbox.arrivals.record(Arrival(now, route, action, key_id, in_flight))
        if key_id is None:
            status = arrival.status = sandbox.config.auth_error_status
            await error(MSG_AUTHORIZATION_INVALID, status=status)(scope, receive, send)
            return
        rejection = sandbox.limiter.admit(key_id, now)
        if rejection is not None:
            arrival.rejected = True
            arrival.status = rejection.status
            headers = None
            if rejection.retry_after is not None:
                headers = {"Retry-After": str(rejection.retry_after)}
            await error(rejection.message, status=rejection.status, headers=headers)(
                scope, receive, send
            )
            return
        released = False

        def release() -> None:
            nonlocal released
            if not released:
                released = True
                sandbox.limiter.release(key_id)

        async def send_status(message: Message) -> None:
            if message["type"] == "http.response.start":
                arrival.status = message["status"]
            await send(message)

        try:
            await self._process(scope, _replay(body, receive), send_status, route, action, release)
        finally:
            release()

    async def _process(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        route: str,
        action: str | None,
        release: Callable[[], None],
    ) -> None:
        sandbox = self.sandbox
        plan = sandbox.faults.plan(route, action)
        started = time.perf_counter()
        billed = False

        def bill() -> None:
            nonlocal billed
            if not billed:
                billed = True
                sandbox.billing.record(route, (time.perf_counter() - started) * 1000)

        async def billed_send(message: Message) -> None:
            # Bill before the last byte leaves: a client that has its answer sees the bill.
            if message["type"] == "http.response.body" and not message.get("more_body"):
                bill()
            await send(message)

        if plan is None:
            await self.app(scope, receive, billed_send)
            bill()
            return
        if plan.latency:
            await anyio.sleep(plan.latency)
        fault = plan.fault
        if fault is None:
            await self.app(scope, receive, billed_send)
        elif fault.kind in ("reset_after", "drop_after"):
            await self.app(scope, receive, _discard)
        elif fault.kind != "reset_before":
            await _fault_answer(fault)(scope, receive, billed_send)
        bill()
        if fault is None:
            return
        if fault.kind == "drop_after":
            # Processed; the answer is lost. The request is no longer in flight on the
            # server's side, while the client waits until it gives up (or `hang` ends).
            release()
            with anyio.move_on_after(fault.hang):
                await _wait_disconnect(receive)
        if fault.kind in ("reset_before", "reset_after", "drop_after"):
            await _abort_connection(receive)

    def _authorized(self, scope: Scope) -> bool:
        for name, value in scope["headers"]:
            if name == b"authorization":
                token = value.strip()
                if token[:7].lower() == b"bearer ":
                    token = token[7:].strip()
                return secrets.compare_digest(token, self._key)
        return False

    def _decode(self, scope: Scope, body: bytes) -> str | None:
        """Decode a JSON body once (left in scope["state"]); its `action`, if any."""
        if not _is_json(scope, body):
            return None
        decoded = decode_json(body)
        state: MutableMapping[str, Any] = scope.setdefault("state", {})
        state[JSON_STATE_KEY] = decoded
        if decoded is not INVALID and isinstance(decoded, dict):
            action = decoded.get("action")
            if isinstance(action, str):
                return action
        return None


def _fault_answer(fault: FaultRule) -> Response:
    if fault.kind == "error_500":
        return error(MSG_INTERNAL, status=500)
    if fault.kind == "error_503":
        return error(MSG_UNAVAILABLE, status=503)
    return error(MSG_HANDLER_BUSY)


def _is_json(scope: Scope, body: bytes) -> bool:
    for name, value in scope["headers"]:
        if name == b"content-type":
            return b"json" in value
    return body[:1] in (b"{", b"[")


def _query_value(scope: Scope, name: str) -> str:
    values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get(name)
    return values[0] if values else ""


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive that yields the already-read body once, then defers to the server's."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    # Keep the server's cycle reachable: _abort_connection needs its transport.
    replay.__dict__["server_receive"] = receive
    return replay


async def _discard(message: Message) -> None:
    """A send that loses the answer (the response never reaches the client)."""


async def _wait_disconnect(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


def _server_transport(receive: Receive) -> Any:
    server_receive: Callable[[], Awaitable[Message]] = getattr(receive, "server_receive", receive)
    cycle = getattr(server_receive, "__self__", None)
    return getattr(cycle, "transport", None)


async def _abort_connection(receive: Receive) -> None:
    """Drop the connection without a byte of answer: the client sees a reset, no status.

    Under uvicorn the request cycle's transport is closed directly; ASGI itself has no way
    to say "no response". Elsewhere (httpx.ASGITransport) the reset is an exception.
    """
    transport = _server_transport(receive)
    if transport is None or not hasattr(transport, "abort"):
        raise SimulatedConnectionReset("sandbox fault: connection reset without an answer")
    transport.abort()
    # Let the server see the connection lost, so it does not answer 500 for us.
    for _ in range(3):
        await anyio.lowlevel.checkpoint()
