"""When and how long to wait before trying a failed request again."""

from __future__ import annotations

import random
from email.utils import parsedate_to_datetime
from enum import Enum
from time import time
from typing import Final

import httpx
import msgspec

from unitalk_async._config import RetryPolicy
from unitalk_async._exceptions import (
    APIError,
    BusyError,
    RateLimitError,
    RequestTimeoutError,
    ResponseDecodeError,
    TransportError,
    UnavailableError,
    UnitalkError,
)

#: The reference's error messages that say nothing about what was done ("Unknown error" of
#: /message/send, "unknown error during audio synthesis"): with HTTP 503 too, the request
#: may have been processed.
FATE_UNKNOWN: Final = frozenset({"Unknown error", "Internal error"})


class Outcome(Enum):
    """What a failed attempt tells about the request's effect on the service."""

    NOT_PROCESSED = "not processed"  # safe to send again, whatever the operation
    AMBIGUOUS = "may have been processed"  # sent again only if the row says SAFE
    FINAL = "final"  # an answer that another try would not change


# Errors raised before the request left the client: nothing reached the service.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# The request could not even be written (an illegal header value, an unsupported URL):
# nothing was sent, and sending again would fail the same way.
_UNSENDABLE = (httpx.LocalProtocolError, httpx.UnsupportedProtocol)


def classify_transport_failure(exc: httpx.TransportError) -> Outcome:
    if isinstance(exc, _UNSENDABLE):
        return Outcome.FINAL
    return Outcome.NOT_PROCESSED if isinstance(exc, _NOT_SENT) else Outcome.AMBIGUOUS


def wrap_transport_failure(exc: httpx.TransportError, path: str) -> TransportError:
    """Our error for an httpx failure; the message names the failure, never the URL's query
    or a header's value (httpx quotes an illegal one, which may be the key)."""
    if isinstance(exc, _UNSENDABLE):
        return TransportError(
            f"{type(exc).__name__}: the request could not be written (an illegal header "
            "value or URL); nothing was sent",
            path=path,
        )
    detail = str(exc) or type(exc).__name__
    if isinstance(exc, httpx.TimeoutException):
        return RequestTimeoutError(f"{type(exc).__name__}: {detail}", path=path)
    return TransportError(f"{type(exc).__name__}: {detail}", path=path)


class _Envelope(msgspec.Struct):
    status: str


def from_the_service(content: bytes) -> bool:
    """True when a body is the service's error envelope (`{"status": ...}`), not a page a
    proxy, gateway or load balancer wrote in its place."""
    try:
        msgspec.json.decode(content, type=_Envelope)
    except msgspec.DecodeError:  # ValidationError included
        return False
    return True


def _is_json(content: bytes) -> bool:
    try:
        msgspec.json.decode(content)
    except msgspec.DecodeError:
        return False
    return True


def classify_answer(error: UnitalkError, answer: httpx.Response) -> Outcome:
    """What an error answer tells about the request's fate.

    Only the service's own envelope says what happened. A 5xx page from something in
    between (502, 503, 504, 507, 520-524...) or a 2xx that is not JSON comes from a gateway
    that may have passed the request on: the outcome is unknown, whatever the status says.
    """
    if isinstance(error, RateLimitError | BusyError):
        return Outcome.NOT_PROCESSED  # a 429 is "not forwarded", from a proxy too
    status = answer.status_code
    if isinstance(error, ResponseDecodeError):
        return Outcome.FINAL if _is_json(answer.content) else Outcome.AMBIGUOUS
    if status >= 500 and not from_the_service(answer.content):
        return Outcome.AMBIGUOUS
    if isinstance(error, APIError):
        if status == 503 and isinstance(error, UnavailableError):
            if error.message in FATE_UNKNOWN:
                return Outcome.AMBIGUOUS
            return Outcome.NOT_PROCESSED  # the service says a service behind it is off
        if status in (500, 502, 504):
            return Outcome.AMBIGUOUS
    return Outcome.FINAL


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time())


def backoff_delay(
    policy: RetryPolicy, retry_index: int, error: UnitalkError, rng: random.Random
) -> float:
    """Exponential backoff with full jitter. `retry_index` counts the earlier retries of the
    same kind. "Try again later" answers wait at least `policy.busy_delay` (full jitter
    above it); rate-limit answers none here, since the governor pauses every request."""
    if isinstance(error, RateLimitError):
        return 0.0
    cap = min(policy.max_delay, policy.base_delay * (2.0**retry_index))
    if isinstance(error, BusyError):
        floor = policy.busy_delay
        return floor + rng.uniform(0, max(0.0, cap - floor))
    return rng.uniform(0, cap)
