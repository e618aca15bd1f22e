"""`UnitalkClient`: the entry point. Holds the HTTP pool, the governor and the statistics."""

from __future__ import annotations

import hashlib
import os
import ssl
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cache, cached_property
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, TypeVar

import httpx

from unitalk_async._checked import checked
from unitalk_async._config import (
    ENV_REDIS_URL,
    NOT_GIVEN,
    NotGiven,
    RequestOptions,
    RetryPolicy,
    is_plain_http_loopback,
    resolve_api_key,
    resolve_base_url,
    split_httpx_timeout,
    timeout_seconds,
)
from unitalk_async._exceptions import ConfigurationError
from unitalk_async._logging import configure_from_env
from unitalk_async._operations import Operation, adhoc
from unitalk_async._stats import ClientStatistics, StatsRecorder
from unitalk_async._telemetry import Telemetry
from unitalk_async._transport import (
    AuthScheme,
    Hook,
    Hooks,
    RawResponse,
    Transport,
    capture_raw_responses,
)
from unitalk_async.governor import Governor, Limits, LocalGovernor
from unitalk_async.governor._priority import (
    Flow,
    Priority,
    check_priority,
    chosen_priority,
    current_work,
    requesting,
)
from unitalk_async.models.enums import DictionaryTypeLike

if TYPE_CHECKING:
    from unitalk_async.resources.audio import AudioResource
    from unitalk_async.resources.autodial import AutodialResource
    from unitalk_async.resources.calls import CallsResource
    from unitalk_async.resources.distributions import DistributionsResource
    from unitalk_async.resources.event_handlers import EventHandlersResource
    from unitalk_async.resources.history import HistoryResource
    from unitalk_async.resources.lists import ListsResource
    from unitalk_async.resources.messages import MessagesResource
    from unitalk_async.resources.users import (
        GroupsResource,
        OperatorsResource,
        PhonesResource,
        UsersResource,
    )
    from unitalk_async.resources.widget import WidgetResource

T = TypeVar("T")


class UnitalkClient:
    """An asyncio/trio client for the Unitalk API; use it as an async context manager.

    ```python
    async with UnitalkClient() as client:  # key from UNITALK_API_KEY
        autodialers = await client.autodial.get_list()
    ```

    One client holds one HTTP connection pool and one governor; share it across the tasks
    of a process instead of creating one per request. `limits` are the API's by default;
    `Limits.disabled()` switches them off (sandbox, tests). Pass `governor=` (e.g. a
    `RedisGovernor`) to share the limits with other processes using the same key;
    `UNITALK_REDIS_URL` does that without code. `telemetry=unitalk_async.otel.OpenTelemetry()`
    reports metrics and spans (the `[otel]` extra).

    `timeout` is the deadline of each attempt, sending and the whole answer included (a
    server trickling its answer cannot stretch it); `retry.budget`, counted from the call's
    start, is the deadline of its resends: none runs past it. `max_answer_bytes` replaces
    every operation's answer-size cap (16 MB, 64 MB for listings); a larger answer raises
    `ResponseTooLargeError` without being read whole.
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        auth_scheme: AuthScheme = "plain",
        limits: Limits | NotGiven = NOT_GIVEN,
        governor: Governor | None = None,
        timeout: float | httpx.Timeout | NotGiven = NOT_GIVEN,
        connect_timeout: float | NotGiven = NOT_GIVEN,
        analytics_timeout: float | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        retry: RetryPolicy | NotGiven = NOT_GIVEN,
        max_answer_bytes: int | NotGiven = NOT_GIVEN,
        on_request: list[Hook] | None = None,
        on_response: list[Hook] | None = None,
        on_retry: list[Hook] | None = None,
        http_transport: httpx.AsyncBaseTransport | None = None,
        allow_insecure_http: bool = False,
        telemetry: Telemetry | None = None,
    ) -> None:
        configure_from_env()
        key = resolve_api_key(api_key)
        self.base_url = resolve_base_url(base_url, allow_insecure=allow_insecure_http)
        if auth_scheme not in ("plain", "bearer"):
            raise ConfigurationError("auth_scheme: must be 'plain' or 'bearer'")
        if governor is not None and not isinstance(limits, NotGiven):
            raise ConfigurationError("limits: pass them to the governor you pass, not here")
        self._owns_governor = governor is None
        self.governor = governor if governor is not None else _default_governor(limits)
        self.governor.attach(hashlib.sha256(key.encode()).hexdigest()[:24])
        enforced = self.governor.limits
        # The pool never needs more connections than requests may be in flight.
        pool = enforced.max_in_flight if enforced.enabled else 100
        pool_limits = httpx.Limits(max_connections=pool, max_keepalive_connections=pool)
        mounts: dict[str, httpx.AsyncBaseTransport] = {}
        if is_plain_http_loopback(self.base_url):
            # HTTP_PROXY would otherwise carry the key in clear text to the proxy.
            parts = httpx.URL(self.base_url)
            direct = http_transport or httpx.AsyncHTTPTransport(
                limits=pool_limits, verify=_tls_context()
            )
            mounts[f"http://{parts.netloc.decode('ascii')}"] = direct
        self._http = httpx.AsyncClient(
            transport=http_transport,
            mounts=mounts or None,
            limits=pool_limits,
            verify=_tls_context(),
            follow_redirects=False,
            trust_env=True,
        )
        # Caches endpoint groups keep for the client and its `with_options` views alike
        # (e.g. the live caps GET_WITH_DATA reported).
        self._resource_state: dict[str, Any] = {}
        self._hooks = Hooks(list(on_request or ()), list(on_response or ()), list(on_retry or ()))
        self._stats = StatsRecorder()
        self._transport = Transport(
            self._http,
            base_url=self.base_url,
            api_key=key,
            auth_scheme=auth_scheme,
            governor=self.governor,
            stats=self._stats,
            hooks=self._hooks,
            allow_insecure_http=allow_insecure_http,
        )
        self._options = _options(
            RequestOptions(),
            timeout,
            connect_timeout,
            analytics_timeout,
            max_retries,
            retry,
            max_answer_bytes,
        )
        self._flow = Flow()
        self._telemetry = telemetry
        self._owner = True
        if telemetry is not None:
            telemetry.attach(self)

    def __repr__(self) -> str:
        return f"UnitalkClient(base_url={self.base_url!r}, api_key=<redacted>)"

    # -- lifecycle ---------------------------------------------------------------------
    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool (and the governor the client made). Idempotent."""
        if not self._owner:
            return
        await self._http.aclose()
        if self._owns_governor:
            await self.governor.aclose()

    def with_options(
        self,
        *,
        timeout: float | httpx.Timeout | NotGiven = NOT_GIVEN,
        connect_timeout: float | NotGiven = NOT_GIVEN,
        analytics_timeout: float | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        retry: RetryPolicy | NotGiven = NOT_GIVEN,
        max_answer_bytes: int | NotGiven = NOT_GIVEN,
        priority: Priority | NotGiven = NOT_GIVEN,
    ) -> UnitalkClient:
        """A view of this client with other per-call options; it shares the pool, the
        governor, the hooks and the statistics, and closing it closes nothing.

        `priority` is the governor's class for every call the view makes ("interactive",
        "default", "bulk"; see the README's "Three workloads on one key"). Each view is
        one flow: concurrent views of one class share the key round robin.
        """
        view = object.__new__(UnitalkClient)
        view.__dict__.update({k: v for k, v in self.__dict__.items() if k not in _RESOURCE_NAMES})
        view._options = _options(
            self._options,
            timeout,
            connect_timeout,
            analytics_timeout,
            max_retries,
            retry,
            max_answer_bytes,
        )
        if not isinstance(priority, NotGiven):
            try:
                view._options = view._options.but(priority=check_priority(priority))
            except ValueError as exc:
                raise ConfigurationError(str(exc)) from None
        view._flow = Flow(view._options.priority)
        view._owner = False
        return view

    # -- observability -------------------------------------------------------------------
    @property
    def stats(self) -> ClientStatistics:
        """A snapshot of what this client (and its `with_options` views) has done."""
        return self._stats.snapshot(self.governor.statistics())

    @property
    def hooks(self) -> Hooks:
        """The callback lists (`on_request`, `on_response`, `on_retry`); append to them."""
        return self._hooks

    @contextmanager
    def raw_responses(self) -> Iterator[list[RawResponse]]:
        """Collect the raw HTTP answers (status, headers, elapsed, bytes) of calls made
        inside the block by the current task:

        ```python
        with client.raw_responses() as answers:
            await client.users.list()
        print(answers[-1].headers)
        ```
        """
        with capture_raw_responses() as captured:
            yield captured

    # -- requests --------------------------------------------------------------------------
    @checked
    async def post(
        self,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | None = None,
        files: Any = None,
        timeout: float | None = None,
    ) -> Any:
        """POST to any API path and return the decoded JSON body (the low-level escape hatch).

        Goes through the governor, retries, error mapping and statistics like every endpoint
        method. Since the client cannot know whether an arbitrary call may be repeated, it
        is not retried after a failure that may have reached the service.
        """
        absolute = path.startswith(("http://", "https://"))
        op = adhoc(
            httpx.URL(path).path if absolute else path,
            json.get("action") if isinstance(json, Mapping) else None,
        )
        with self._requesting(op.label):
            return await self._transport.request(
                op,
                json,
                options=self._options,
                params=params,
                data=data,
                files=files,
                timeout=timeout,
                url=path if absolute else None,
            )

    async def _call(
        self,
        op: Operation[T],
        body: Any = None,
        *,
        files: Any = None,
        timeout: float | None = None,
        url: str | None = None,
    ) -> T:
        """The one function every endpoint method calls: send `body` as the row `op` says
        and return its answer, typed by the row (see `Transport.request`)."""
        with self._requesting(op.label):
            return await self._transport.request(
                op, body, options=self._options, files=files, timeout=timeout, url=url
            )

    @contextmanager
    def _requesting(self, operation: str) -> Iterator[None]:
        """The governor's class and flow for the call about to be made: a `priority(...)`
        block, else this view's `priority`, else the paging walk's or bulk call's (bulk),
        else default; the flow is the walk or bulk call, else this view."""
        work = current_work()
        chosen = (
            chosen_priority()
            or self._options.priority
            or (work.priority if work is not None else None)
            or "default"
        )
        with requesting(chosen, work if work is not None else self._flow) as request:
            if self._telemetry is None:
                yield
            else:
                with self._telemetry.call(operation, request):
                    yield

    # -- endpoint groups --------------------------------------------------------------------
    @cached_property
    def autodial(self) -> AutodialResource:
        """Autodialers: /autodial/action."""
        from unitalk_async.resources.autodial import AutodialResource

        return AutodialResource(self)

    @cached_property
    def calls(self) -> CallsResource:
        """Call initiation, hangup, prompter and voice analytics."""
        from unitalk_async.resources.calls import CallsResource

        return CallsResource(self)

    @cached_property
    def audio(self) -> AudioResource:
        """Audio upload and text-to-speech."""
        from unitalk_async.resources.audio import AudioResource

        return AudioResource(self)

    @cached_property
    def lists(self) -> ListsResource:
        """Blocked-number lists."""
        from unitalk_async.resources.lists import ListsResource

        return ListsResource(self)

    @cached_property
    def users(self) -> UsersResource:
        """Users, their statuses and work history."""
        from unitalk_async.resources.users import UsersResource

        return UsersResource(self)

    @cached_property
    def phones(self) -> PhonesResource:
        """Inner lines and their statuses."""
        from unitalk_async.resources.users import PhonesResource

        return PhonesResource(self)

    @cached_property
    def groups(self) -> GroupsResource:
        """Groups of inner lines."""
        from unitalk_async.resources.users import GroupsResource

        return GroupsResource(self)

    @cached_property
    def operators(self) -> OperatorsResource:
        """Operator statistics."""
        from unitalk_async.resources.users import OperatorsResource

        return OperatorsResource(self)

    @cached_property
    def history(self) -> HistoryResource:
        """The project's call history."""
        from unitalk_async.resources.history import HistoryResource

        return HistoryResource(self)

    @cached_property
    def event_handlers(self) -> EventHandlersResource:
        """Scheduled event handlers."""
        from unitalk_async.resources.event_handlers import EventHandlersResource

        return EventHandlersResource(self)

    @cached_property
    def messages(self) -> MessagesResource:
        """SMS and Viber messages."""
        from unitalk_async.resources.messages import MessagesResource

        return MessagesResource(self)

    @cached_property
    def distributions(self) -> DistributionsResource:
        """Message distributions."""
        from unitalk_async.resources.distributions import DistributionsResource

        return DistributionsResource(self)

    @cached_property
    def widget(self) -> WidgetResource:
        """Web Dialer notifications."""
        from unitalk_async.resources.widget import WidgetResource

        return WidgetResource(self)

    @checked
    async def dictionary(self, type: DictionaryTypeLike) -> dict[str, str | None]:
        """Id -> name of the project's entities of `type` (IVR, USER, ...): /dictionary."""
        from unitalk_async.resources.dictionary import get_dictionary

        return await get_dictionary(self, type)


_RESOURCE_NAMES = frozenset(
    name for name, value in vars(UnitalkClient).items() if isinstance(value, cached_property)
)


def _tls_context() -> ssl.SSLContext:
    """The certificate store httpx would load for `verify=True`, loaded once per process
    (each load costs tens of milliseconds, more than the rest of making a client)."""
    return _tls_context_for(os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))


@cache
def _tls_context_for(cert_file: str | None, cert_dir: str | None) -> ssl.SSLContext:
    # httpx reads SSL_CERT_FILE / SSL_CERT_DIR itself; they are the cache key so that a
    # process that changes them gets the store they name.
    return httpx.create_ssl_context()


def _default_governor(limits: Limits | NotGiven) -> Governor:
    chosen = Limits() if isinstance(limits, NotGiven) else limits
    redis_url = os.environ.get(ENV_REDIS_URL)
    if redis_url:
        try:
            from unitalk_async.governor.redis import RedisGovernor
        except ImportError as exc:  # the [redis] extra is not installed
            raise ConfigurationError(
                f"{ENV_REDIS_URL} is set but the redis extra is missing: "
                "pip install 'unitalk-async[redis]'"
            ) from exc
        governor: Governor = RedisGovernor.from_url(redis_url, limits=chosen)
        return governor
    return LocalGovernor(chosen)


def _options(
    base: RequestOptions,
    timeout: float | httpx.Timeout | NotGiven,
    connect_timeout: float | NotGiven,
    analytics_timeout: float | NotGiven,
    max_retries: int | NotGiven,
    retry: RetryPolicy | NotGiven,
    max_answer_bytes: int | NotGiven,
) -> RequestOptions:
    changes: dict[str, object] = {}
    if not isinstance(max_answer_bytes, NotGiven):
        if isinstance(max_answer_bytes, bool) or not isinstance(max_answer_bytes, int):
            raise ConfigurationError("max_answer_bytes: expected a number of bytes (an int)")
        if max_answer_bytes < 1:
            raise ConfigurationError(f"max_answer_bytes: must be >= 1, got {max_answer_bytes}")
        changes["max_answer_bytes"] = max_answer_bytes
    if isinstance(timeout, httpx.Timeout):
        changes.update(split_httpx_timeout(timeout))
        timeout = NOT_GIVEN
    for name, value in (
        ("timeout", timeout),
        ("connect_timeout", connect_timeout),
        ("analytics_timeout", analytics_timeout),
    ):
        if not isinstance(value, NotGiven):
            changes[name] = timeout_seconds(name, value)
    policy = base.retry if isinstance(retry, NotGiven) else retry
    if not isinstance(max_retries, NotGiven):
        policy = RetryPolicy(
            max_retries=max_retries,
            budget=policy.budget,
            base_delay=policy.base_delay,
            max_delay=policy.max_delay,
            busy_delay=policy.busy_delay,
        )
    changes["retry"] = policy
    return base.but(**changes)
