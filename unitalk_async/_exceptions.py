"""Errors raised by unitalk-async.

    UnitalkError                      message, data, http_status, path
    ├── APIError                      the service answered with an error
    │   ├── AuthenticationError       missing or wrong API key / webhook token
    │   ├── NotFoundError             the entity named in the request does not exist
    │   ├── BadRequestError           the request broke a rule of the reference
    │   │   ├── InvalidItemsError     ... and `items` lists the rejected elements ("Wrong numbers")
    │   │   └── ValidationError       ... caught by the client before sending (also a ValueError)
    │   ├── ConflictError             already exists / already running / wrong state
    │   ├── LimitExceededError        a quota of the project is used up
    │   ├── BillingError              tariff not paid, insufficient funds, project not verified
    │   ├── BusyError                 not processed, try again later (retried automatically)
    │   ├── RateLimitError            HTTP 429 or a blocking answer; `retry_after` seconds
    │   ├── PermanentlyBlockedError   the key is blocked for good
    │   └── UnavailableError          a service behind the API failed or is not connected
    ├── TransportError                the request or its answer was lost on the way
    │   ├── RequestTimeoutError       ... because a timeout expired
    │   └── OutcomeUnknownError       ... after the request may have been processed (not retried)
    ├── ResponseDecodeError           the answer does not match the documented shape
    │   └── ResponseTooLargeError     ... or is larger than the operation's cap
    └── ConfigurationError            the client was set up wrong (also a ValueError)

API errors carry the service's `message` verbatim and its `data` (decoded JSON or None).
No error ever contains the API key or a webhook token.
"""

from __future__ import annotations

from typing import Any

from unitalk_async._reference import ErrorKind, classify_message

__all__ = [
    "APIError",
    "AuthenticationError",
    "BadRequestError",
    "BillingError",
    "BusyError",
    "ConfigurationError",
    "ConflictError",
    "InvalidItemsError",
    "LimitExceededError",
    "NotFoundError",
    "OutcomeUnknownError",
    "PermanentlyBlockedError",
    "RateLimitError",
    "RequestTimeoutError",
    "ResponseDecodeError",
    "ResponseTooLargeError",
    "TransportError",
    "UnavailableError",
    "UnitalkError",
    "ValidationError",
    "error_from_answer",
]


class UnitalkError(Exception):
    """Raised for every failure of a unitalk-async call; the root of the hierarchy."""

    def __init__(
        self,
        message: str,
        *,
        data: Any = None,
        http_status: int | None = None,
        path: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.data = data
        self.http_status = http_status
        self.path = path
        #: True when an earlier attempt of this call failed ambiguously (it may have been
        #: processed) and this error answers the retry.
        self.ambiguous_prior_attempt = False
        #: True when the call may have been processed despite this error: this attempt's
        #: failure, or an earlier one's, left its outcome unknown.
        self.may_have_landed = False
        #: the operation's label ("autodial.pause"): several share a path
        self.operation: str | None = None

    def __str__(self) -> str:
        where = f" ({self.path})" if self.path else ""
        status = f" [HTTP {self.http_status}]" if self.http_status else ""
        return f"{self.message}{where}{status}"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(message={self.message!r}, path={self.path!r}, "
            f"http_status={self.http_status!r})"
        )


class APIError(UnitalkError):
    """Raised when the service answers with an error (a `status` other than Success)."""


class AuthenticationError(APIError):
    """Raised when the API key (or an incoming-webhook token) is missing or wrong."""


class NotFoundError(APIError):
    """Raised when an entity named in the request (autodialer, call, user...) does not exist."""


class BadRequestError(APIError):
    """Raised when the request breaks one of the reference's rules."""


class InvalidItemsError(BadRequestError):
    """Raised when the service rejects listed elements; `items` holds them as it returned them."""

    @property
    def items(self) -> list[Any]:
        if isinstance(self.data, list):
            return self.data
        return [] if self.data is None else [self.data]


class ValidationError(BadRequestError, ValueError):
    """Raised before sending when an argument breaks a rule the reference states.

    `field` names the argument (dotted path for nested values), `rule` states the rule.
    """

    def __init__(self, field: str, rule: str, *, value: Any = None) -> None:
        super().__init__(f"{field}: {rule}")
        self.field = field
        self.rule = rule
        self.value = value


class ConflictError(APIError):
    """Raised when the entity already exists, is already running, or is in the wrong state."""


class LimitExceededError(APIError):
    """Raised when a quota of the project (autodialers, numbers per autodialer) is used up."""


class BillingError(APIError):
    """Raised when the tariff is not paid, funds are insufficient or the project is unverified."""


class BusyError(APIError):
    """Raised when the service did not process the request and asks to try again later.

    The client retries these within its retry budget; this surfaces only when it runs out.
    """


class RateLimitError(APIError):
    """Raised on HTTP 429 or a blocking answer; `retry_after` is the wait in seconds, if known."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class PermanentlyBlockedError(APIError):
    """Raised when the service has blocked the API key for good; contact Unitalk support."""


class UnavailableError(APIError):
    """Raised when a service behind the API (messaging, synthesis, analytics) fails or is off."""


class TransportError(UnitalkError):
    """Raised when the request or its answer was lost on the network."""


class RequestTimeoutError(TransportError):
    """Raised when a connect, write, read or pool timeout expired."""


class OutcomeUnknownError(TransportError):
    """Raised when a call that must not be repeated failed after it may have been processed.

    The service may or may not have acted (sent the message, placed the call); check before
    trying again.
    """


class ResponseDecodeError(UnitalkError):
    """Raised when an answer is not JSON or does not match the documented shape."""


class ResponseTooLargeError(ResponseDecodeError):
    """Raised when an answer is larger than its operation's cap (`max_answer_bytes`); the
    rest of it is not read."""


class ConfigurationError(UnitalkError, ValueError):
    """Raised when the client is set up wrong: no API key, an insecure base URL, bad limits."""


_KIND_TO_CLASS: dict[ErrorKind, type[APIError]] = {
    ErrorKind.AUTHENTICATION: AuthenticationError,
    ErrorKind.NOT_FOUND: NotFoundError,
    ErrorKind.BAD_REQUEST: BadRequestError,
    ErrorKind.INVALID_ITEMS: InvalidItemsError,
    ErrorKind.CONFLICT: ConflictError,
    ErrorKind.LIMIT_EXCEEDED: LimitExceededError,
    ErrorKind.BILLING: BillingError,
    ErrorKind.BUSY: BusyError,
    ErrorKind.RATE_LIMITED: RateLimitError,
    ErrorKind.BLOCKED: PermanentlyBlockedError,
    ErrorKind.UNAVAILABLE: UnavailableError,
}


def error_class_for(message: str, http_status: int | None) -> type[APIError]:
    """The exception class for an error answer: the message table first, then the HTTP code.

    The service answers errors in its envelope, with HTTP 400 and at times HTTP 200: a
    message the table does not know is still the caller's request refused, so it is a
    `BadRequestError` (README "API notes"), unless the HTTP status says otherwise.
    """
    kind = classify_message(message)
    if http_status == 401:
        return AuthenticationError
    if http_status == 429 and kind is not ErrorKind.BUSY:
        return RateLimitError
    if kind is not None:
        return _KIND_TO_CLASS[kind]
    if http_status == 403:
        return PermanentlyBlockedError if "block" in message.lower() else AuthenticationError
    if http_status == 404:
        return NotFoundError
    if http_status is not None and http_status >= 500:
        return UnavailableError
    return BadRequestError


def error_from_answer(
    message: str,
    *,
    data: Any = None,
    http_status: int | None = None,
    path: str | None = None,
    retry_after: float | None = None,
) -> APIError:
    """Build the typed error for a service answer; unknown messages give a BadRequestError."""
    cls = error_class_for(message, http_status)
    if cls is RateLimitError:
        return RateLimitError(
            message, retry_after=retry_after, data=data, http_status=http_status, path=path
        )
    return cls(message, data=data, http_status=http_status, path=path)
