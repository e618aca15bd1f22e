"""When and how long to wait before trying a failed request again."""

from __future__ import annotations

import random
from email.utils import parsedate_to_datetime
from enum import Enum
from time import time

import httpx

from unitalk_async._config import RetryPolicy
from unitalk_async._exceptions import (
    APIError,
    BusyError,
    RateLimitError,
    RequestTimeoutError,
    TransportError,
    UnavailableError,
    UnitalkError,
)


class Outcome(Enum):
    """What a failed attempt tells about the request's effect on the service."""

    NOT_PROCESSED = "not processed"  # safe to send again, whatever the operation
    AMBIGUOUS = "may have been processed"  # safe to send again only if idempotent
    FINAL = "final"  # an answer that another try would not change


# Errors raised before the request left the client: nothing reached the service.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def classify_transport_failure(exc: httpx.TransportError) -> Outcome:
    return Outcome.NOT_PROCESSED if isinstance(exc, _NOT_SENT) else Outcome.AMBIGUOUS


def wrap_transport_failure(exc: httpx.TransportError, path: str) -> TransportError:
    """Our error for an httpx failure; the message names the failure, never the URL's query."""
    detail = str(exc) or type(exc).__name__
    if isinstance(exc, httpx.TimeoutException):
        return RequestTimeoutError(f"{type(exc).__name__}: {detail}", path=path)
    return TransportError(f"{type(exc).__name__}: {detail}", path=path)


def classify_answer(error: UnitalkError) -> Outcome:
    if isinstance(error, RateLimitError | BusyError):
        return Outcome.NOT_PROCESSED
    if isinstance(error, APIError) and error.http_status is not None:
        if error.http_status == 503 and isinstance(error, UnavailableError):
            return Outcome.NOT_PROCESSED
        if error.http_status in (500, 502, 504):
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
    """Exponential backoff with full jitter; "try again later" answers wait at least
    `policy.busy_delay`, rate-limit answers none (the governor pauses every request)."""
    if isinstance(error, RateLimitError):
        return 0.0
    cap = min(policy.max_delay, policy.base_delay * (2.0**retry_index))
    if isinstance(error, BusyError):
        cap = max(cap, policy.busy_delay)
        return cap / 2 + rng.uniform(0, cap / 2)
    return rng.uniform(0, cap)
