"""`WebhookReceiver`: an ASGI app (Starlette) that receives Unitalk's webhooks.

```python
receiver = WebhookReceiver(secret=os.environ["UNITALK_WEBHOOK_SECRET"])

@receiver.on(CallEvent)
async def call_event(event: CallEvent) -> None: ...

@receiver.on_route
async def route(request: RouteRequest) -> RouteAnswer | None:
    return RouteAnswer(operator_number="2048")

uvicorn.run(receiver.app)  # or inside your app, at any path:
routes.append(Route("/unitalk", receiver.handle, methods=["POST"]))  # or Mount(..., receiver.app)
```

Every request goes through, in order: source allow list (403), method (405), shared secret
(401 missing, 403 wrong), body size cap (413, counted while reading), JSON (400), then the
handler. Answers:

- ROUTE: the handler's `RouteAnswer`; `RouteAnswer()` (`{"operatorNumber": null, "ivrId":
  null}`, no operator) when there is no handler or it returns None, raises, returns something
  else or times out. Always HTTP 200, so a bug in a handler never drops a caller.
- Voice queue management: the handler's `VoiceQueueAnswer`; `{"setPriority": 5}` (the
  service's own default) in the same cases.
- Every other payload: 200 `{}` once the handler returns (or when there is no handler);
  500 `{"error": "handler failed"}` when it raises or times out, logged on the
  "unitalk_async.webhooks" logger.

The body must be the "Standard JSON" of the reference (the Event handling actions' default
body type); "Specified JSON" works when it is one of the payloads, form bodies get 400.

Nothing is logged with the secret: log lines name the path only, never the query string,
and the secret's value is masked in the ASGI scope before any server access log is written.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any, Final, TypeVar, overload

import anyio
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from unitalk_async import _codec
from unitalk_async._exceptions import ConfigurationError
from unitalk_async.models import enums
from unitalk_async.webhooks._guard import IPNetwork, SecretCheck, SharedSecret, SourceAllowList
from unitalk_async.webhooks.models import (
    AutodialCallEvent,
    AutodialEvent,
    BalanceMovement,
    CallEvent,
    RouteAnswer,
    RouteRequest,
    UnknownEvent,
    VoiceMenuEvent,
    VoiceQueueAnswer,
    VoiceQueueEvent,
    VoiceQueueRequest,
    WebhookEvent,
)
from unitalk_async.webhooks.parse import WebhookPayloadError, event_name, parse, payload_type

__all__ = [
    "DEFAULT_HANDLER_TIMEOUT",
    "DEFAULT_MAX_BODY_SIZE",
    "DEFAULT_SECRET_HEADER",
    "DEFAULT_SECRET_PARAM",
    "ReceiverStatistics",
    "WebhookReceiver",
]

logger = logging.getLogger("unitalk_async.webhooks")

DEFAULT_HANDLER_TIMEOUT: Final = 5.0
DEFAULT_MAX_BODY_SIZE: Final = 1024 * 1024
DEFAULT_SECRET_PARAM: Final = "token"
DEFAULT_SECRET_HEADER: Final = "X-Webhook-Token"
_ALL_METHODS: Final = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

_E = TypeVar(
    "_E",
    BalanceMovement,
    CallEvent,
    VoiceMenuEvent,
    AutodialCallEvent,
    AutodialEvent,
    VoiceQueueEvent,
    VoiceQueueRequest,
    RouteRequest,
    UnknownEvent,
)
_H = TypeVar("_H", bound=Callable[..., Awaitable[Any]])
_RouteH = TypeVar("_RouteH", bound=Callable[[RouteRequest], Awaitable[RouteAnswer | None]])
_QueueH = TypeVar(
    "_QueueH", bound=Callable[[VoiceQueueRequest], Awaitable[VoiceQueueAnswer | None]]
)
_Handler = Callable[[Any], Awaitable[Any]]


@dataclass(frozen=True, slots=True)
class ReceiverStatistics:
    """What a receiver has seen since it was created."""

    received: int  # requests that reached the receiver
    rejected: int  # answered 4xx before any handler ran
    handled: int  # events whose handler returned in time
    unhandled: int  # events with no handler (answered 200 or the default answer)
    failed: int  # handler raised, or returned an answer of the wrong type
    timed_out: int  # handler did not return within the timeout (it was cancelled)
    default_answers: int  # ROUTE / voice-queue requests answered with the default


@dataclass(slots=True)
class _Counters:
    received: int = 0
    rejected: int = 0
    handled: int = 0
    unhandled: int = 0
    failed: int = 0
    timed_out: int = 0
    default_answers: int = 0


class WebhookReceiver:
    """Receives Unitalk's webhooks and calls the async handler registered for each payload.

    `secret`: required in query parameter `secret_param` or header `secret_header` of every
    request (None accepts any request: use it only behind your own protection).
    `allowed_sources`: client networks allowed to post (None: any). `handler_timeout`:
    seconds a handler may run (None: no limit). `max_body_size`: bytes (413 beyond).
    `methods`: the HTTP methods accepted (Event handling lets you choose PUT or PATCH).
    `path`: where `app` serves the receiver.
    """

    def __init__(
        self,
        *,
        secret: str | None,
        secret_param: str = DEFAULT_SECRET_PARAM,
        secret_header: str = DEFAULT_SECRET_HEADER,
        allowed_sources: Iterable[str | IPNetwork] | None = None,
        handler_timeout: float | None = DEFAULT_HANDLER_TIMEOUT,
        max_body_size: int = DEFAULT_MAX_BODY_SIZE,
        methods: Iterable[str] = ("POST",),
        path: str = "/",
    ) -> None:
        if handler_timeout is not None and handler_timeout <= 0:
            raise ConfigurationError(f"handler_timeout: must be > 0, got {handler_timeout}")
        if max_body_size < 1:
            raise ConfigurationError(f"max_body_size: must be >= 1, got {max_body_size}")
        try:
            self._secret = (
                None
                if secret is None
                else SharedSecret(secret, param=secret_param, header=secret_header)
            )
            self._sources = None if allowed_sources is None else SourceAllowList(allowed_sources)
        except ValueError as exc:
            raise ConfigurationError(str(exc)) from None
        self._methods = frozenset(m.upper() for m in methods)
        self.handler_timeout = handler_timeout
        self.max_body_size = max_body_size
        self.path = path
        self._by_name: dict[str, _Handler] = {}
        self._by_type: dict[type[Any], _Handler] = {}
        self._counters = _Counters()
        self.app: Starlette = Starlette(
            routes=[Route(path, self.handle, methods=_ALL_METHODS)],
            middleware=[Middleware(_SecretFirst, secret=self._secret)],
        )

    def __repr__(self) -> str:
        return (
            f"WebhookReceiver(path={self.path!r}, secret={'set' if self._secret else None}, "
            f"allowed_sources={self._sources!r}, handler_timeout={self.handler_timeout!r})"
        )

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """The receiver is itself an ASGI app: `uvicorn.run(receiver)` works too."""
        await self.app(scope, receive, send)

    # --- registration ---------------------------------------------------------------------
    @overload
    def on(
        self, key: type[_E]
    ) -> Callable[[Callable[[_E], Awaitable[Any]]], Callable[[_E], Awaitable[Any]]]: ...

    @overload
    def on(self, key: str) -> Callable[[_H], _H]: ...

    def on(self, key: type[Any] | str) -> Callable[[Any], Any]:
        """Register the handler for a payload type (`CallEvent`) or an `event` name.

        A handler registered by name ("CALL_END") takes precedence over one registered by
        type and receives whatever that payload decoded to (an `UnknownEvent` for a name
        the library does not know). One handler per key.
        """

        def register(handler: _Handler) -> _Handler:
            self._register(key, handler)
            return handler

        return register

    def on_route(self, handler: _RouteH) -> _RouteH:
        """Register the ROUTE handler: it returns the `RouteAnswer` (None: no operator)."""
        self._register(RouteRequest, handler)
        return handler

    def on_voice_queue(self, handler: _QueueH) -> _QueueH:
        """Register the voice-queue management handler: it returns a `VoiceQueueAnswer`."""
        self._register(VoiceQueueRequest, handler)
        return handler

    def _register(self, key: type[Any] | str, handler: _Handler) -> None:
        table: dict[Any, _Handler] = self._by_name if isinstance(key, str) else self._by_type
        if key in table:
            raise ConfigurationError(f"a handler for {_key_name(key)} is already registered")
        table[key] = handler

    def statistics(self) -> ReceiverStatistics:
        """A snapshot of the counters."""
        return ReceiverStatistics(**dataclasses.asdict(self._counters))

    # --- serving ----------------------------------------------------------------------------
    async def handle(self, request: Request) -> Response:
        """The Starlette endpoint; route it yourself to serve the receiver at any path."""
        self._counters.received += 1
        # Checked (and masked in the scope) before routing by `_SecretFirst` when served from
        # `self.app`; here when a user routes `handle` into an app of their own.
        secret_check = request.scope.get("state", {}).get(_SECRET_STATE)
        if secret_check is None:
            secret_check = _check_secret(self._secret, request.scope)
        host = request.client.host if request.client else None
        if self._sources is not None and not self._sources.allows(host):
            return self._reject(request, 403, "source address not allowed")
        if request.method not in self._methods:
            return self._reject(
                request,
                405,
                "method not allowed",
                headers={"Allow": ", ".join(sorted(self._methods))},
            )
        if secret_check is SecretCheck.MISSING:
            return self._reject(request, 401, "secret missing")
        if secret_check is SecretCheck.WRONG:
            return self._reject(request, 403, "secret wrong")
        body = await self._read_body(request)
        if body is None:
            return self._reject(request, 413, "body too large")
        try:
            event = parse(body)
        except WebhookPayloadError:
            return self._reject(request, 400, "body is not JSON")
        if isinstance(event, UnknownEvent) and event.error is not None:
            logger.warning("webhook on %s: %s", request.url.path, event.error)
        status, answer = await self.dispatch(event)
        return Response(_codec.encode(answer), status, media_type="application/json")

    async def dispatch(self, event: WebhookEvent) -> tuple[int, Any]:
        """Run the handler for `event`; the HTTP status and the answer to encode."""
        name = event_name(event)
        handler = self._by_name.get(name) if name is not None else None
        if handler is None:
            handler = self._by_type.get(type(event))
        default: RouteAnswer | VoiceQueueAnswer | None = None
        expected: type[Any] | None = None
        # A request that waits for an answer gets the default one even when its payload has
        # the right shape but a field of an unexpected type (an UnknownEvent).
        intended = payload_type(event.raw) if isinstance(event, UnknownEvent) else type(event)
        if intended is RouteRequest or name == enums.CallEvent.ROUTE:
            default, expected = RouteAnswer(), RouteAnswer
        elif intended is VoiceQueueRequest:
            default, expected = VoiceQueueAnswer(), VoiceQueueAnswer
        if handler is None:
            self._counters.unhandled += 1
            return self._default(default)
        # move_on_after, not fail_after: a TimeoutError the handler raises itself is a failure.
        timed_out = True
        try:
            with anyio.move_on_after(self.handler_timeout):
                result = await handler(event)
                timed_out = False
        except Exception:
            self._counters.failed += 1
            logger.exception(
                "webhook handler %s failed on %s", _handler_name(handler), type(event).__name__
            )
            return self._default(default, failed=True)
        if timed_out:
            self._counters.timed_out += 1
            logger.error(
                "webhook handler %s timed out after %ss on %s",
                _handler_name(handler),
                self.handler_timeout,
                type(event).__name__,
            )
            return self._default(default, failed=True)
        if expected is None:
            self._counters.handled += 1
            return 200, {}
        if result is None:
            self._counters.handled += 1
            return self._default(default)
        if not isinstance(result, expected):
            self._counters.failed += 1
            logger.error(
                "webhook handler %s returned %s, not %s or None",
                _handler_name(handler),
                type(result).__name__,
                expected.__name__,
            )
            return self._default(default, failed=True)
        self._counters.handled += 1
        return 200, result

    def _default(
        self, default: RouteAnswer | VoiceQueueAnswer | None, *, failed: bool = False
    ) -> tuple[int, Any]:
        if default is not None:
            self._counters.default_answers += 1
            return 200, default
        if failed:
            return 500, {"error": "handler failed"}
        return 200, {}

    def _reject(
        self,
        request: Request,
        status: int,
        reason: str,
        headers: dict[str, str] | None = None,
    ) -> Response:
        self._counters.rejected += 1
        client = request.client.host if request.client else "?"
        # The path only: the query string may hold the secret.
        logger.warning(
            "webhook %s %s from %s rejected: %s", request.method, request.url.path, client, reason
        )
        return Response(
            _codec.encode({"error": reason}),
            status,
            headers=headers,
            media_type="application/json",
        )

    async def _read_body(self, request: Request) -> bytes | None:
        """The body, or None once it exceeds the cap (counted as it arrives: a Content-Length
        may lie or be absent)."""
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body_size:
            return None
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > self.max_body_size:
                return None
            chunks.append(chunk)
        return b"".join(chunks)


def _key_name(key: object) -> str:
    return key if isinstance(key, str) else getattr(key, "__name__", repr(key))


def _handler_name(handler: object) -> str:
    return getattr(handler, "__qualname__", None) or repr(handler)


_SECRET_STATE: Final = "unitalk_webhook_secret_check"


def _check_secret(secret: SharedSecret | None, scope: Any) -> SecretCheck:
    return SecretCheck.OK if secret is None else secret.check_and_redact(scope)


class _SecretFirst:
    """Checks the shared secret and masks it in the scope before routing, so that no access
    log line (of any path, 404s included) shows it."""

    def __init__(self, app: Any, secret: SharedSecret | None) -> None:
        self.app = app
        self.secret = secret

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            scope.setdefault("state", {})[_SECRET_STATE] = _check_secret(self.secret, scope)
        await self.app(scope, receive, send)
