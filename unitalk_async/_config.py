"""Client configuration: defaults, environment variables, timeouts and the retry policy."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, replace
from enum import Enum
from typing import Final
from urllib.parse import urlsplit

import httpx

from unitalk_async._exceptions import ConfigurationError, ValidationError
from unitalk_async._reference import DEFAULT_BASE_URL
from unitalk_async.governor._priority import Priority

ENV_API_KEY: Final = "UNITALK_API_KEY"
ENV_BASE_URL: Final = "UNITALK_BASE_URL"
ENV_LOG: Final = "UNITALK_LOG"
ENV_REDIS_URL: Final = "UNITALK_REDIS_URL"

DEFAULT_CONNECT_TIMEOUT: Final = 10.0
DEFAULT_READ_TIMEOUT: Final = 120.0  # ADD_NUMBERS of 100,000 numbers takes the service a while
DEFAULT_ANALYTICS_TIMEOUT: Final = 15 * 60.0  # /calls/analytics/create answers after processing
#: The largest answer read by default, per operation. Most answer a few hundred bytes; the
#: ones that list (a page of 5,000 numbers with their data is about 13 MB) get more. An
#: answer beyond its cap is `ResponseTooLargeError`, never read whole into memory.
ANSWER_CAP: Final = 16 * 2**20
LISTING_ANSWER_CAP: Final = 64 * 2**20


class _NotGiven(Enum):
    """Tells "argument not passed" from an explicit None."""

    NOT_GIVEN = "NOT_GIVEN"

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = _NotGiven.NOT_GIVEN
NotGiven = _NotGiven


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How failed requests are retried: exponential backoff with full jitter, bounded twice.

    A call stops retrying after `max_retries` retries of any kind (transport errors,
    timeouts, 5xx, and answers that say it was not processed: HTTP 429, "try again later"),
    or once `budget` seconds have passed since its first attempt: `max_retries=0` is one
    attempt. Whether a failure may be retried at all is the operation's retry class
    (`_operations.py`). `RetryPolicy.none()` retries nothing.
    """

    max_retries: int = 8
    budget: float = 120.0
    base_delay: float = 0.5
    max_delay: float = 20.0
    #: Least delay before retrying a "try again later" answer (REFRESH's one-minute rule).
    busy_delay: float = 2.0

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ConfigurationError("RetryPolicy.max_retries: must be >= 0")
        if self.budget < 0 or self.base_delay < 0 or self.max_delay < 0:
            raise ConfigurationError("RetryPolicy: delays and budget must be >= 0")

    @classmethod
    def none(cls) -> RetryPolicy:
        """No retry of any kind: every failure and every "try again later" surfaces."""
        return cls(max_retries=0, budget=0.0)


@dataclass(frozen=True, slots=True)
class RequestOptions:
    """Per-call options; `client.with_options(...)` makes a client with other values."""

    timeout: float = DEFAULT_READ_TIMEOUT
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    analytics_timeout: float = DEFAULT_ANALYTICS_TIMEOUT
    retry: RetryPolicy = RetryPolicy()
    #: The governor's class for every call (None: paging walks and bulk calls go as
    #: "bulk", the rest as "default").
    priority: Priority | None = None
    #: the largest answer read, in bytes; None: each operation's own cap
    max_answer_bytes: int | None = None

    def but(self, **changes: object) -> RequestOptions:
        return replace(self, **changes)  # type: ignore[arg-type]


def resolve_api_key(api_key: str | None) -> str:
    key = api_key if api_key is not None else os.environ.get(ENV_API_KEY)
    if key is None or not key.strip():
        raise ConfigurationError(
            f"No API key: pass UnitalkClient(api_key=...) or set {ENV_API_KEY}. "
            "Create a key on the 'API' page of your Unitalk account."
        )
    key = key.strip()
    if not key.isascii() or not key.isprintable() or any(c.isspace() for c in key):
        # Said without the key: it must never appear in an error.
        raise ConfigurationError(
            "api_key: contains spaces, control or non-ASCII characters; copy the key "
            "again from the 'API' page of your Unitalk account"
        )
    return key


def is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_url_security(url: str, *, allow_insecure: bool, what: str = "URL") -> None:
    """Refuse anything but https, except loopback addresses or an explicit opt-in."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigurationError(f"{what}: expected an http(s) URL, got {parts.scheme}://...")
    if parts.scheme == "http" and not allow_insecure and not is_loopback(parts.hostname):
        raise ConfigurationError(
            f"{what}: refusing plain http to {parts.hostname}: the credentials would travel "
            "unencrypted. Use https, or pass allow_insecure_http=True if you really mean it."
        )


#: The path of the incoming-webhook links (AUTODIAL_ADD / AUTODIAL_REMOVE): they carry their
#: own token and live on another host and port than the API.
INCOMING_WEBHOOK_PATH: Final = "/tracking/webhook/event"


def origin(url: str | httpx.URL) -> tuple[str, str, int | None]:
    """(scheme, host, port) with the scheme's default port spelled out."""
    parsed = httpx.URL(url)
    port = parsed.port or {"http": 80, "https": 443}.get(parsed.scheme)
    return parsed.scheme, parsed.host.lower(), port


def may_carry_key(url: str | httpx.URL, base_url: str) -> bool:
    """Whether a request to `url` may carry the API key; raises for a URL that may get none.

    The key goes only to the base URL's origin. Incoming-webhook links (any origin, since
    the account generates them on their own host) travel without it; every other absolute
    URL is refused, so `client.post("https://elsewhere.example/x")` leaks nothing.
    """
    if origin(url) == origin(base_url):
        return True
    if httpx.URL(url).path.endswith(INCOMING_WEBHOOK_PATH):
        return False
    scheme, host, port = origin(base_url)
    raise ValidationError(
        "path",
        f"requests carrying the API key go only to {scheme}://{host}:{port} (the base URL); "
        "pass a path relative to it, or an incoming-webhook link",
    )


def resolve_base_url(base_url: str | None, *, allow_insecure: bool) -> str:
    url = base_url or os.environ.get(ENV_BASE_URL) or DEFAULT_BASE_URL
    check_url_security(url, allow_insecure=allow_insecure, what="base_url")
    parts = urlsplit(url)
    if parts.query or parts.fragment:
        raise ConfigurationError("base_url: must not carry a query or fragment")
    return url.rstrip("/")


def is_plain_http_loopback(url: str) -> bool:
    """True for an http:// URL on this machine (the sandbox): never routed through a proxy,
    which would see the key in clear text."""
    parts = urlsplit(url)
    return parts.scheme == "http" and is_loopback(parts.hostname or "")


def timeout_seconds(name: str, value: object) -> float:
    """A timeout argument as seconds: a positive number (bool refused)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigurationError(
            f"{name}: expected seconds as a number (e.g. {name}=30.0), got {type(value).__name__}"
        )
    if not value > 0:  # also refuses NaN
        raise ConfigurationError(f"{name}: must be > 0 seconds, got {value}")
    return float(value)


def split_httpx_timeout(value: httpx.Timeout) -> dict[str, float]:
    """An `httpx.Timeout` read the way httpx users mean it: its `read` value is our
    `timeout` (the deadline of each attempt, answer included), its `connect` value our
    `connect_timeout`. Write and pool timeouts are the client's own (the write of a request
    counts against `timeout`; the pool is sized by the governor, which queues)."""
    if value.read is None:
        raise ConfigurationError(
            "timeout: httpx.Timeout(read=None) would let an answer take forever; pass "
            "httpx.Timeout(30.0) or timeout=30.0 (seconds)"
        )
    changes = {"timeout": timeout_seconds("timeout", value.read)}
    if value.connect is not None:
        changes["connect_timeout"] = timeout_seconds("connect_timeout", value.connect)
    return changes
