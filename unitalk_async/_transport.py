"""The one request path: build, govern, send, decode, map errors, retry, measure.

Every endpoint method, `client.post()` and the incoming-webhook client go through
`Transport.request` with the operation's row (`_operations.py`), so the governor, retries,
error mapping, hooks and statistics apply to every request the library sends, by the rules
written in that row.
"""

from __future__ import annotations

import inspect
import logging
import random
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar, cast, get_origin

import anyio
import httpx
import msgspec

from unitalk_async import _codec
from unitalk_async._arguments import check_request
from unitalk_async._config import RequestOptions, check_url_security, may_carry_key, origin
from unitalk_async._exceptions import (
    OutcomeUnknownError,
    PermanentlyBlockedError,
    RateLimitError,
    ResponseDecodeError,
    ResponseTooLargeError,
    UnitalkError,
    error_from_answer,
)
from unitalk_async._operations import AlreadyDone, Operation, Resend, Wire
from unitalk_async._redact import redact
from unitalk_async._reference import SUCCESS
from unitalk_async._retry import (
    Outcome,
    backoff_delay,
    classify_answer,
    classify_transport_failure,
    parse_retry_after,
    wrap_transport_failure,
)
from unitalk_async._stats import StatsRecorder
from unitalk_async.governor import Governor, Lane, Slot
from unitalk_async.models._envelope import Envelope

logger = logging.getLogger("unitalk_async")

T = TypeVar("T")

AuthScheme = Literal["plain", "bearer"]


@dataclass(frozen=True, slots=True)
class RequestEvent:
    """Passed to `on_request` hooks just before an attempt is sent."""

    path: str
    attempt: int  # 1 for the first try


@dataclass(frozen=True, slots=True)
class ResponseEvent:
    """Passed to `on_response` hooks after each attempt, answered or failed."""

    path: str
    attempt: int
    status_code: int | None  # None when no answer arrived
    elapsed_ms: float
    cost_units: int
    error: UnitalkError | None
    operation: str = ""  # the operation's label: "autodial.add_numbers"


@dataclass(frozen=True, slots=True)
class RetryEvent:
    """Passed to `on_retry` hooks before the client waits `delay` seconds and tries again."""

    path: str
    attempt: int  # the attempt about to be made
    delay: float
    error: UnitalkError
    operation: str = ""


Hook = Callable[[Any], object]


@dataclass(slots=True)
class Hooks:
    """Callbacks (plain or async) the client calls on every request, response and retry."""

    on_request: list[Hook] = field(default_factory=list)
    on_response: list[Hook] = field(default_factory=list)
    on_retry: list[Hook] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class RawResponse:
    """One HTTP answer as received, for callers who want status, headers and timing."""

    path: str
    attempt: int
    status_code: int
    headers: httpx.Headers
    elapsed_ms: float
    content: bytes


_captured: ContextVar[list[RawResponse] | None] = ContextVar("unitalk_raw", default=None)


@contextmanager
def capture_raw_responses() -> Iterator[list[RawResponse]]:
    """Collect the raw answers of the calls made in this context (task-local)."""
    captured: list[RawResponse] = []
    token = _captured.set(captured)
    try:
        yield captured
    finally:
        _captured.reset(token)


class _Probe(msgspec.Struct):
    """Just enough of a body to tell an error envelope from a success."""

    status: str | None = None
    message: str | None = None
    data: msgspec.Raw = msgspec.Raw(b"null")


class _Path(str):
    """A request's path that also carries its operation's label.

    Errors, hooks and raw responses name the path; statistics count per path and per label.
    """

    label: str

    def __new__(cls, path: str, label: str) -> _Path:
        self = super().__new__(cls, path)
        self.label = label
        return self

    def __reduce__(self) -> tuple[type[_Path], tuple[str, str]]:
        # str's own reduce would call `_Path(path)` without the label: pickle and copy fail.
        return (_Path, (str(self), self.label))


def _first_byte(content: bytes) -> int:
    for byte in content[:64]:
        if byte not in b" \t\r\n":
            return byte
    return 0


class Transport:
    """Sends requests for one client (and its `with_options` copies)."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        base_url: str,
        api_key: str,
        auth_scheme: AuthScheme,
        governor: Governor,
        stats: StatsRecorder,
        hooks: Hooks,
        allow_insecure_http: bool = False,
    ) -> None:
        self.allow_insecure_http = allow_insecure_http
        self.http = http
        self.base_url = base_url
        self._base_origin = origin(base_url)
        self._authorization = f"Bearer {api_key}" if auth_scheme == "bearer" else api_key
        self._api_key = api_key
        self.governor = governor
        self.stats = stats
        self.hooks = hooks
        self._rng = random.Random()

    def __repr__(self) -> str:
        return f"Transport(base_url={self.base_url!r})"

    async def request(
        self,
        op: Operation[T],
        body: Any = None,
        *,
        options: RequestOptions,
        params: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | None = None,
        files: Any = None,
        timeout: float | None = None,
        url: str | None = None,
    ) -> T:
        """Send `op` with `body` (travelling as `op.wire` says) and return its typed answer.

        Retries follow `op.resend`; an "already done" answer to a resend after a failure
        that may have been processed comes back as an `AlreadyDone` envelope.
        `url` replaces base URL and path (incoming-webhook links have their own host).
        """
        if isinstance(body, msgspec.Struct):
            # Wrong types, broken `Meta` rules and unknown enum text never reach the wire,
            # whichever method built the struct and whatever it checked itself.
            check_request(body)
        if url is not None:
            # Links with their own host (incoming webhooks) obey the same TLS rule as the base.
            check_url_security(url, allow_insecure=self.allow_insecure_http)
        path = httpx.URL(url).path if url is not None else op.path
        wire = op.wire
        request = self._build(
            url if url is not None else self.base_url + op.path,
            json=body if wire is Wire.JSON else None,
            params=body if wire is Wire.QUERY else params,
            data=body if wire is Wire.FORM or wire is Wire.MULTIPART else data,
            files=files,
            options=options,
            lane=op.lane,
            timeout=timeout,
            authorize=op.authorize,
        )
        where = _Path(path, op.label)
        policy = options.retry
        first_try = anyio.current_time()
        deadline = first_try + policy.budget
        bounds = _Bounds(
            seconds=request.extensions["timeout"]["read"],
            call_deadline=deadline,
            max_bytes=options.max_answer_bytes or op.max_answer_bytes,
            connect=options.connect_timeout,
        )
        attempt = 0
        ambiguous_before = False
        while True:
            attempt += 1
            try:
                answer: T = await self._attempt(
                    request, where, attempt, op.answer, op.lane, op.mutex, bounds, deadline
                )
                return answer
            except _AttemptFailed as failed:
                error, outcome = failed.error, failed.outcome
            except RateLimitError as pause:  # the governor's pause outlasts the budget
                pause.path, pause.operation = path, op.label
                raise
            # Errors carry a plain str path (they are pickled, copied, compared) and the label.
            error.path, error.operation = path, op.label
            error.ambiguous_prior_attempt = ambiguous_before
            error.may_have_landed = ambiguous_before or outcome is Outcome.AMBIGUOUS
            if outcome is Outcome.FINAL:
                if ambiguous_before and error.message in op.already_done:
                    # The resend found the work done: the lost first attempt had landed.
                    return cast(T, AlreadyDone(status=SUCCESS, message=error.message))
                raise error
            if outcome is Outcome.AMBIGUOUS and op.resend is not Resend.SAFE:
                unknown = OutcomeUnknownError(
                    f"outcome unknown, not retried: the request may have been processed "
                    f"({error.message}); check before sending it again",
                    data=error.data,
                    http_status=error.http_status,
                    path=path,
                )
                unknown.operation, unknown.may_have_landed = op.label, True
                raise unknown from error
            if op.resend is Resend.NEVER:
                raise error
            paused = 0.0
            if isinstance(error, RateLimitError):
                paused = await self.governor.report_block(error.retry_after)
                if error.retry_after is None:
                    error.retry_after = paused
            # Every retry counts, "try again later" answers too: `max_retries=0` is one attempt.
            delay = backoff_delay(policy, attempt - 1, error, self._rng)
            spent = anyio.current_time() - first_try
            # The governor's pause counts against the budget too: a call it would outlast
            # fails now with the 429 and its retry_after, instead of waiting in vain.
            if attempt > policy.max_retries or spent + max(delay, paused) > policy.budget:
                raise error
            ambiguous_before = ambiguous_before or outcome is Outcome.AMBIGUOUS
            self.stats.retry(path, op.label)
            await self._call_hooks(
                self.hooks.on_retry, RetryEvent(path, attempt + 1, delay, error, op.label)
            )
            logger.debug("retrying %s in %.2f s after: %s", op.label, delay, error.message)
            await anyio.sleep(delay)

    def _build(
        self,
        url: str,
        *,
        json: Any,
        params: Mapping[str, Any] | None,
        data: Mapping[str, Any] | None,
        files: Any,
        options: RequestOptions,
        lane: Lane,
        timeout: float | None,
        authorize: bool,
    ) -> httpx.Request:
        read = (
            timeout
            if timeout is not None
            else (options.analytics_timeout if lane == "analytics" else options.timeout)
        )
        headers = {"Accept": "application/json"}
        content = None
        if json is not None:
            content = _codec.encode(json)
            headers["Content-Type"] = "application/json"
        request = self.http.build_request(
            "POST",
            url,
            content=content,
            params=_strings(params),
            data=_strings(data),
            files=files,
            headers=headers,
            timeout=httpx.Timeout(read, connect=options.connect_timeout, pool=None),
        )
        # Judged on the URL as httpx parsed it: the host the request will really go to.
        if authorize and may_carry_key(request.url, self._base_origin):
            request.headers["Authorization"] = self._authorization
        # Load multipart/file bodies once, so a retry sends the same bytes again.
        request.read()
        return request

    async def _attempt(
        self,
        request: httpx.Request,
        path: str,
        attempt: int,
        response_type: Any,
        lane: Lane,
        exclusive: str | None,
        bounds: _Bounds,
        deadline: float | None = None,
    ) -> Any:
        async with self.governor.slot(lane=lane, exclusive=exclusive, deadline=deadline) as slot:
            await self._call_hooks(self.hooks.on_request, RequestEvent(path, attempt))
            slot.handed_over(len(request.content))
            began = time.perf_counter()
            try:
                answer = await self._receive(request, path, bounds, slot, resend=attempt > 1)
            except httpx.TransportError as exc:
                elapsed_ms = (time.perf_counter() - began) * 1000
                error = wrap_transport_failure(exc, path)
                await self._finish(path, attempt, None, elapsed_ms, error, answered=False)
                outcome = classify_transport_failure(exc)
                if outcome is not Outcome.AMBIGUOUS:
                    slot.not_sent()
                elif isinstance(exc, httpx.TimeoutException):
                    slot.abandoned()  # the service may still be working on it
                raise _AttemptFailed(error, outcome) from exc
            except ResponseTooLargeError as error:
                slot.answer_received()
                elapsed_ms = (time.perf_counter() - began) * 1000
                await self._finish(
                    path, attempt, error.http_status, elapsed_ms, error, answered=True
                )
                raise _AttemptFailed(error, Outcome.FINAL) from None
            slot.answer_received()
        elapsed_ms = (time.perf_counter() - began) * 1000
        capture = _captured.get()
        if capture is not None:
            capture.append(
                RawResponse(
                    path, attempt, answer.status_code, answer.headers, elapsed_ms, answer.content
                )
            )
        try:
            body = self._decode(answer, response_type, path)
        except UnitalkError as error:
            await self._finish(path, attempt, answer.status_code, elapsed_ms, error, answered=True)
            if isinstance(error, PermanentlyBlockedError):
                logger.error("the API key is permanently blocked (%s)", path)
            raise _AttemptFailed(error, classify_answer(error, answer)) from None
        await self._finish(path, attempt, answer.status_code, elapsed_ms, None, answered=True)
        return body

    async def _receive(
        self, request: httpx.Request, path: str, bounds: _Bounds, slot: Slot, *, resend: bool
    ) -> httpx.Response:
        """Send `request` and read its whole answer within the attempt's deadline, at most
        `bounds.max_bytes` of it.

        httpx's read timeout bounds each read, so a server trickling a byte at a time would
        hold the call forever; the deadline bounds the attempt, answer included. It runs
        from the moment the request's headers start out (however long the governor queued
        it or the connection took to open, which `connect_timeout` bounds), so an attempt
        that ran out of time before sending is known not to have reached the service. A
        resend gets no more than what is left of the retry budget.
        """
        seconds = bounds.seconds
        if resend:
            seconds = min(seconds, bounds.call_deadline - anyio.current_time())
        seconds = max(seconds, 0.0)
        # Until the headers go out, the connect timeout bounds the wait (httpx enforces it;
        # this only backs it up for transports that report no progress).
        scope = anyio.CancelScope(deadline=anyio.current_time() + seconds + bounds.connect)
        if resend:  # the retry budget bounds the whole call, connecting included
            scope.deadline = min(scope.deadline, bounds.call_deadline)

        async def trace(event: str, info: dict[str, Any]) -> None:
            # The governor counts the start when the headers go out, not at admission: a new
            # connection's handshakes may take longer than the margin (see the README).
            await slot.trace(event, info)
            if event.endswith(".send_request_headers.started"):
                scope.deadline = min(scope.deadline, anyio.current_time() + seconds)

        request.extensions["trace"] = trace
        with scope:
            answer = await self.http.send(request, stream=True)
            try:
                content = await _read_capped(answer, path, bounds.max_bytes)
            finally:
                await answer.aclose()
            # What `answer.aread()` would have stored: the rest of the pipeline (and
            # `RawResponse`) reads `answer.content` as usual.
            answer._content = content
            return answer
        if slot.traced and slot.sent_at is None:
            raise httpx.ConnectTimeout(
                f"no connection within {bounds.connect:g} s; nothing was sent", request=request
            )
        raise httpx.ReadTimeout(
            f"no complete answer within {seconds:g} s (the attempt's deadline)",
            request=request,
        )

    async def _finish(
        self,
        path: str,
        attempt: int,
        status: int | None,
        elapsed_ms: float,
        error: UnitalkError | None,
        *,
        answered: bool,
    ) -> None:
        label = path.label if isinstance(path, _Path) else path
        units = self.stats.attempt(
            path, label, elapsed_ms, failed=error is not None, answered=answered
        )
        logger.debug(
            "POST %s -> %s in %.1f ms (~%d units)%s",
            path,
            status if status is not None else "no answer",
            elapsed_ms,
            units,
            f": {error.message}" if error is not None else "",
        )
        await self._call_hooks(
            self.hooks.on_response,
            ResponseEvent(path, attempt, status, elapsed_ms, units, error, label),
        )

    def _decode(self, answer: httpx.Response, response_type: Any, path: str) -> Any:
        content = answer.content
        status = answer.status_code
        if not 200 <= status < 300:
            raise self._error(answer, path)
        try:
            if get_origin(response_type) is Envelope or response_type is Envelope:
                envelope = _codec.decode(content, response_type)
                if envelope.status != SUCCESS:
                    raise self._error(answer, path)
                return envelope
            if response_type is Any:
                body: Any = _codec.decode(content)
                if isinstance(body, dict) and "status" in body and body["status"] != SUCCESS:
                    raise self._error(answer, path)
                return body
            if _first_byte(content) == ord("{"):
                probe: _Probe = _codec.decode(content, _Probe)
                if probe.status is not None and probe.status != SUCCESS:
                    raise self._error(answer, path)
            return _codec.decode(content, response_type)
        except msgspec.DecodeError as exc:  # ValidationError included
            # An error envelope whose `data` does not fit the success type lands here too.
            error = self._error(answer, path, allow_success=True)
            if error is not None:
                raise error from None
            if isinstance(exc, msgspec.ValidationError):
                problem = f"the answer does not match the documented shape: {exc}"
            else:
                problem = "the answer is not JSON (a gateway's page?)"
            raise ResponseDecodeError(problem, path=path, http_status=status) from None

    def _error(self, answer: httpx.Response, path: str, *, allow_success: bool = False) -> Any:
        """The typed error an answer stands for (None for a success, if allowed)."""
        status = answer.status_code
        message, data = f"HTTP {status} {answer.reason_phrase}".strip(), None
        probe: _Probe | None
        try:
            probe = _codec.decode(answer.content, _Probe)
        except (msgspec.ValidationError, msgspec.DecodeError):
            probe = None
        if probe is not None:
            if allow_success and probe.status in (None, SUCCESS) and 200 <= status < 300:
                return None
            message = probe.message or probe.status or message
            data = msgspec.json.decode(probe.data)
        elif allow_success and 200 <= status < 300:
            return None
        # The service may echo the key or a link's token; neither may reach an error or a log.
        secrets = (self._api_key, answer.request.url.params.get("token", ""))
        return error_from_answer(
            redact(message, secrets),
            data=redact(data, secrets),
            http_status=status,
            path=path,
            retry_after=parse_retry_after(answer.headers.get("Retry-After")),
        )

    @staticmethod
    async def _call_hooks(hooks: list[Hook], event: object) -> None:
        for hook in hooks:
            result = hook(event)
            if inspect.isawaitable(result):
                await result


@dataclass(frozen=True, slots=True)
class _Bounds:
    """What one call's attempts may take: seconds each, the deadline of its resends (the
    retry budget, on the anyio clock), and bytes of answer."""

    seconds: float
    call_deadline: float
    max_bytes: int
    #: Seconds a connection may take to open, before the attempt's own clock starts.
    connect: float


async def _read_capped(answer: httpx.Response, path: str, max_bytes: int) -> bytes:
    """The answer's body, refused as soon as it (declared or read) exceeds `max_bytes`."""

    def too_large(size: str) -> ResponseTooLargeError:
        return ResponseTooLargeError(
            f"the answer is {size} bytes, more than this operation's cap of {max_bytes}; "
            "raise it with UnitalkClient(max_answer_bytes=...) or "
            "client.with_options(max_answer_bytes=...)",
            http_status=answer.status_code,
            path=path,
        )

    declared = answer.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_large(declared)
    chunks: list[bytes] = []
    size = 0
    async for chunk in answer.aiter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise too_large(f"over {max_bytes}")
        chunks.append(chunk)
    return b"".join(chunks)


class _AttemptFailed(Exception):
    def __init__(self, error: UnitalkError, outcome: Outcome) -> None:
        self.error = error
        self.outcome = outcome


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _strings(values: Mapping[str, Any] | None) -> dict[str, str] | None:
    """Query or form values as the service reads them; None values are left out."""
    if values is None:
        return None
    return {k: _scalar(v) for k, v in values.items() if v is not None}
