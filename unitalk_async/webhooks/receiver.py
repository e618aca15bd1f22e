"""`WebhookReceiver`: an ASGI app that receives Unitalk's webhooks.

```python
receiver = WebhookReceiver(secret=os.environ["UNITALK_WEBHOOK_SECRET"])

@receiver.on(CallEvent)
async def call_event(event: CallEvent) -> None: ...

@receiver.on_route
async def route(request: RouteRequest) -> RouteAnswer | None:
    return RouteAnswer(operator_number="2048")

uvicorn.run(receiver.app)            # on its own, or in your FastAPI / Starlette app:
receiver.mount(app, "/unitalk")      # (see `unitalk_async.webhooks.mounting`)
```

Every request goes through, in order: source allow list (403), method (405), shared secret
(401 missing, 403 wrong), content type when `require_json` (415), the body: size cap (413,
counted while reading), read deadline (408), JSON (400, also for JSON nested too deeply),
then exactly-once bookkeeping (`unitalk_async.webhooks.dedupe`) and the handler. Answers:

- ROUTE: the handler's `RouteAnswer`; `RouteAnswer()` (`{"operatorNumber": null, "ivrId":
  null}`, no operator) when there is no handler or it returns None, raises, returns something
  else or times out. Always HTTP 200, so a bug in a handler never drops a caller.
- Voice queue management: the handler's `VoiceQueueAnswer`; `{"setPriority": 5}` (the
  service's own default) in the same cases.
- Every other payload: 200 `{}` once the handler returns (or when there is no handler, or
  the event was handled already); 500 `{"error": "handler failed"}` when it raises or times
  out, logged on the "unitalk_async.webhooks" logger.
- A payload that does not decode (an `UnknownEvent`) and that no handler takes is logged at
  WARNING with its event name and goes to the dead-letter hook (`on_dead_letter`); with no
  hook the warning carries the payload itself, so nothing is lost silently.

The body must be the "Standard JSON" of the reference (the Event handling actions' default
body type); "Specified JSON" works when it is one of the payloads, form bodies get 400.

Nothing is logged with the secret: log lines name the path only, never the query string,
and the secret's value is masked in the ASGI scope before any server access log is written.
A sender that hangs up mid-body is logged at INFO, without a traceback.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal, TypeVar, overload

import anyio
import msgspec
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from unitalk_async import _codec
from unitalk_async._exceptions import ConfigurationError
from unitalk_async.models import enums
from unitalk_async.webhooks._guard import IPNetwork, SecretCheck, SharedSecret, SourceAllowList
from unitalk_async.webhooks.dedupe import Claim, MemorySeenStore, SeenStore, dedupe_key
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
from unitalk_async.webhooks.mounting import WebhookMount, route_path
from unitalk_async.webhooks.parse import WebhookPayloadError, event_name, parse, payload_type

__all__ = [
    "DEFAULT_BODY_TIMEOUT",
    "DEFAULT_HANDLER_TIMEOUT",
    "DEFAULT_MAX_BODY_SIZE",
    "DEFAULT_SECRET_HEADER",
    "DEFAULT_SECRET_PARAM",
    "ReceiverStatistics",
    "WebhookReceiver",
]

logger = logging.getLogger("unitalk_async.webhooks")

DEFAULT_HANDLER_TIMEOUT: Final = 5.0
DEFAULT_BODY_TIMEOUT: Final = 10.0  # Unitalk's bodies are a few hundred bytes
DEFAULT_MAX_BODY_SIZE: Final = 1024 * 1024
DEFAULT_SECRET_PARAM: Final = "token"
DEFAULT_SECRET_HEADER: Final = "X-Webhook-Token"
_LOGGED_PAYLOAD: Final = 4096  # characters of an unhandled payload a warning carries
_RETRY_AFTER: Final = "1"  # seconds, on a 503 for an event another delivery is handling

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
_DeadH = TypeVar("_DeadH", bound=Callable[[UnknownEvent], Awaitable[None]])
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
    duplicates: int  # deliveries of an event handled already (answered 200, no handler run)
    dead_letters: int  # payloads that did not decode and no handler took
    disconnected: int  # senders that hung up before their body was complete
    previous_secret: int  # requests let in by a secret other than the first (to rotate)


@dataclass(slots=True)
class _Counters:
    received: int = 0
    rejected: int = 0
    handled: int = 0
    unhandled: int = 0
    failed: int = 0
    timed_out: int = 0
    default_answers: int = 0
    duplicates: int = 0
    dead_letters: int = 0
    disconnected: int = 0
    previous_secret: int = 0


class WebhookReceiver:
    """Receives Unitalk's webhooks and calls the async handler registered for each payload.

    `secret`: required in query parameter `secret_param` or header `secret_header` of every
    request; a list of secrets while rotating (any is accepted, the first is the current
    one); None accepts any request: use it only behind your own protection.
    `allowed_sources`: client networks allowed to post (None: any). `handler_timeout`:
    seconds a handler may run (None: no limit). `max_body_size`: bytes (413 beyond).
    `body_timeout`: seconds from the request's arrival to its last body byte (408 beyond;
    None: no limit). `require_json`: refuse bodies not declared `application/json` (415).
    `seen`: the seen-store that makes handling exactly-once ("memory": this process's
    `MemorySeenStore`; None: every delivery runs the handler).
    `methods`: the HTTP methods accepted (Event handling lets you choose PUT or PATCH).
    `path`: where `app` serves the receiver (with or without a trailing slash).
    """

    def __init__(
        self,
        *,
        secret: str | Sequence[str] | None,
        secret_param: str = DEFAULT_SECRET_PARAM,
        secret_header: str = DEFAULT_SECRET_HEADER,
        allowed_sources: Iterable[str | IPNetwork] | None = None,
        handler_timeout: float | None = DEFAULT_HANDLER_TIMEOUT,
        max_body_size: int = DEFAULT_MAX_BODY_SIZE,
        body_timeout: float | None = DEFAULT_BODY_TIMEOUT,
        require_json: bool = False,
        seen: SeenStore | Literal["memory"] | None = "memory",
        methods: Iterable[str] = ("POST",),
        path: str = "/",
    ) -> None:
        if handler_timeout is not None and handler_timeout <= 0:
            raise ConfigurationError(f"handler_timeout: must be > 0, got {handler_timeout}")
        if body_timeout is not None and body_timeout <= 0:
            raise ConfigurationError(f"body_timeout: must be > 0, got {body_timeout}")
        if max_body_size < 1:
            raise ConfigurationError(f"max_body_size: must be >= 1, got {max_body_size}")
        if not path.startswith("/"):
            raise ConfigurationError(f"path: must start with '/', got {path!r}")
        if seen is not None and seen != "memory" and not isinstance(seen, SeenStore):
            raise ConfigurationError(f"seen: not a seen-store: {seen!r}")
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
        self.body_timeout = body_timeout
        self.max_body_size = max_body_size
        self.require_json = require_json
        self.seen: SeenStore | None = MemorySeenStore() if seen == "memory" else seen
        self.path = path
        self._by_name: dict[str, _Handler] = {}
        self._by_type: dict[type[Any], _Handler] = {}
        self._dead_letter: _Handler | None = None
        self._counters = _Counters()
        self.app = _ReceiverApp(self)

    def __repr__(self) -> str:
        return (
            f"WebhookReceiver(path={self.path!r}, secret={'set' if self._secret else None}, "
            f"allowed_sources={self._sources!r}, handler_timeout={self.handler_timeout!r}, "
            f"seen={self.seen!r})"
        )

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """The receiver is itself an ASGI app: `uvicorn.run(receiver)` works too."""
        await self.app(scope, receive, send)

    # --- mounting -----------------------------------------------------------------------------
    def mount(self, app: Starlette, path: str) -> None:
        """Serve the receiver at `path` of a FastAPI or Starlette `app`, ahead of its routing.

        Unlike `app.mount(path, receiver.app)`, a POST to `path` without the trailing slash
        is served (not redirected, which would lose the event and log the secret), and the
        secret is masked in the access log line of any path. Call it before the app starts.
        """
        app.add_middleware(WebhookMount, receiver=self, path=path)

    def middleware(self, path: str) -> Middleware:
        """`mount` as a `Middleware` entry: `Starlette(middleware=[receiver.middleware(path)])`."""
        return Middleware(WebhookMount, receiver=self, path=path)

    def mask_secrets(self, scope: Any) -> None:
        """Mask every query value that is one of the secrets (for another app's requests)."""
        if self._secret is not None:
            self._secret.redact_anywhere(scope)

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

    def on_dead_letter(self, handler: _DeadH) -> _DeadH:
        """Register the dead-letter hook: it receives every `UnknownEvent` (a payload that did
        not decode, or is of a kind the library does not know) that no handler takes.

        Store it for a later replay (`event.raw` is the decoded JSON). If it raises or times
        out, the delivery is answered 500, so the sender may deliver it again.
        """
        if self._dead_letter is not None:
            raise ConfigurationError("a dead-letter hook is already registered")
        self._dead_letter = handler
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
        # Checked (and masked in the scope) before routing by `_ReceiverApp` when served from
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
        if secret_check is SecretCheck.PREVIOUS:
            self._counters.previous_secret += 1
        if self.require_json and not _declares_json(request.headers.get("content-type", "")):
            return self._reject(request, 415, "content type must be application/json")
        try:
            body = await self._read_body(request)
        except ClientDisconnect:
            self._counters.disconnected += 1
            logger.info(
                "webhook %s %s from %s: the sender hung up before its body was complete",
                request.method,
                request.url.path,
                host or "?",
            )
            return Response(status_code=400)  # nobody is left to read it
        if isinstance(body, _TooSlow):
            return self._reject(request, 408, "body not received in time", close=True)
        if body is None:
            return self._reject(request, 413, "body too large")
        try:
            event = parse(body)
        except WebhookPayloadError as exc:
            return self._reject(request, 400, exc.reason)
        status, answer = await self._deliver(event, body)
        headers = {"Retry-After": _RETRY_AFTER} if status == 503 else None
        return Response(_codec.encode(answer), status, headers, media_type="application/json")

    async def _deliver(self, event: WebhookEvent, body: bytes) -> tuple[int, Any]:
        """`dispatch`, once per event: duplicates of a handled event run no handler."""
        key = None if self.seen is None else dedupe_key(event, body)
        if self.seen is None or key is None:
            return await self.dispatch(event)
        claim = await self._claim(self.seen, key)
        if claim is Claim.DONE:
            self._counters.duplicates += 1
            return 200, {}
        if claim is Claim.HANDLING:
            return 503, {"error": "being handled by another delivery, try again"}
        handled = False
        try:
            status, answer = await self.dispatch(event)
            handled = status < 500
        finally:
            if claim is Claim.NEW:  # None: the store failed, there is nothing to settle
                with anyio.CancelScope(shield=True):
                    await self._finish(self.seen, key, handled=handled)
        return status, answer

    async def _claim(self, seen: SeenStore, key: str) -> Claim | None:
        """The store's claim, waiting out another delivery's handler; None if the store fails
        (the event is then handled anyway: a duplicate is better than a lost event)."""
        delay = 0.005
        with anyio.move_on_after((self.handler_timeout or DEFAULT_HANDLER_TIMEOUT) + 1):
            while True:
                try:
                    claim = await seen.claim(key)
                except Exception as exc:
                    logger.error("webhook seen-store failed, handling without dedupe: %r", exc)
                    return None
                if claim is not Claim.HANDLING:
                    return claim
                await anyio.sleep(delay)
                delay = min(delay * 2, 0.1)
        return Claim.HANDLING

    async def _finish(self, seen: SeenStore, key: str, *, handled: bool) -> None:
        try:
            await seen.finish(key, handled=handled)
        except Exception as exc:
            logger.error("webhook seen-store failed to record an outcome: %r", exc)

    async def dispatch(self, event: WebhookEvent) -> tuple[int, Any]:
        """Run the handler for `event` (no exactly-once bookkeeping: that is `handle`'s);
        the HTTP status and the answer to encode."""
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
        if isinstance(event, UnknownEvent):
            handler = self._note_unknown(event, handler)
        if handler is None:
            self._counters.unhandled += 1
            return self._default(default)
        outcome, result = await self._run(handler, event)
        if outcome != "returned":
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

    def _note_unknown(self, event: UnknownEvent, handler: _Handler | None) -> _Handler | None:
        """Log a payload that did not decode; the handler that takes it (the dead-letter hook
        when no other does)."""
        name = event.event or "without an event name"
        what = f"did not decode ({event.error})" if event.error else "is of an unknown kind"
        if handler is not None:
            if event.error:
                logger.warning("webhook %s %s: handled by %s", name, what, _handler_name(handler))
            return handler
        self._counters.dead_letters += 1
        if self._dead_letter is not None:
            logger.warning("webhook %s %s: sent to the dead-letter hook", name, what)
            return self._dead_letter
        logger.warning(
            "webhook %s %s, and no handler or dead-letter hook takes it; the payload: %s",
            name,
            what,
            _excerpt(event.raw),
        )
        return None

    async def _run(self, handler: _Handler, event: WebhookEvent) -> tuple[str, Any]:
        """Run a handler under the timeout: ("returned", result), ("failed" | "timed out", None)."""
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
            return "failed", None
        if timed_out:
            self._counters.timed_out += 1
            logger.error(
                "webhook handler %s timed out after %ss on %s",
                _handler_name(handler),
                self.handler_timeout,
                type(event).__name__,
            )
            return "timed out", None
        return "returned", result

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
        *,
        close: bool = False,
    ) -> Response:
        self._counters.rejected += 1
        client = request.client.host if request.client else "?"
        # The path only: the query string may hold the secret.
        logger.warning(
            "webhook %s %s from %s rejected: %s", request.method, request.url.path, client, reason
        )
        if close:  # the rest of the body may still be on its way: do not read it as a request
            headers = {**(headers or {}), "Connection": "close"}
        return Response(
            _codec.encode({"error": reason}),
            status,
            headers=headers,
            media_type="application/json",
        )

    async def _read_body(self, request: Request) -> bytes | _TooSlow | None:
        """The body; None once it exceeds the cap (counted as it arrives: a Content-Length
        may lie or be absent); `_TOO_SLOW` past the body deadline."""
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body_size:
            return None
        chunks: list[bytes] = []
        size = 0
        with anyio.move_on_after(self.body_timeout):
            async for chunk in request.stream():
                size += len(chunk)
                if size > self.max_body_size:
                    return None
                chunks.append(chunk)
            return b"".join(chunks)
        return _TOO_SLOW


class _TooSlow:
    """The body did not arrive before the deadline."""


_TOO_SLOW: Final = _TooSlow()


def _declares_json(content_type: str) -> bool:
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json")


def _excerpt(raw: Any) -> str:
    try:
        text = msgspec.json.encode(raw).decode()
    except (RecursionError, TypeError):  # nested as deep as the decoder allowed
        return f"<{type(raw).__name__} nested too deeply to show>"
    return text if len(text) <= _LOGGED_PAYLOAD else text[:_LOGGED_PAYLOAD] + "...(cut)"


def _key_name(key: object) -> str:
    return key if isinstance(key, str) else getattr(key, "__name__", repr(key))


def _handler_name(handler: object) -> str:
    return getattr(handler, "__qualname__", None) or repr(handler)


_SECRET_STATE: Final = "unitalk_webhook_secret_check"


def _check_secret(secret: SharedSecret | None, scope: Any) -> SecretCheck:
    return SecretCheck.OK if secret is None else secret.check_and_redact(scope)


class _ReceiverApp:
    """The receiver as an ASGI app. The secret is checked and masked before anything else,
    so that no access log line (of any path, 404s included) shows it; the receiver's path is
    served with or without a trailing slash, never redirected (a redirect would carry the
    masked secret and lose the event)."""

    def __init__(self, receiver: WebhookReceiver) -> None:
        self.receiver = receiver
        self._warned_mount = False

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":  # a websocket: refused
            await send({"type": "websocket.close", "code": 1008})
            return
        receiver = self.receiver
        scope.setdefault("state", {})[_SECRET_STATE] = _check_secret(receiver._secret, scope)
        if scope.get("endpoint") is self and not self._warned_mount:
            self._warned_mount = True
            logger.warning(
                "webhook receiver mounted with Mount / app.mount at %s: a POST there without "
                "the trailing slash is redirected by the app (the event is lost, the secret "
                "logged); serve it with receiver.mount(app, path) instead",
                scope.get("root_path", ""),
            )
        if route_path(scope).rstrip("/") == receiver.path.rstrip("/"):
            response = await receiver.handle(Request(scope, receive))
        else:
            response = Response(b'{"error": "not found"}', 404, media_type="application/json")
        await response(scope, receive, send)


async def _lifespan(receive: Any, send: Any) -> None:
    """Nothing to start or stop; answered so that servers with lifespan "on" can run us."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
