"""unitalk-async: an asyncio client for the Unitalk cloud-telephony API."""

from unitalk_async._bulk import (
    BulkResult,
    ChunkResult,
    ChunkStatus,
    Progress,
    Rejected,
    partial_result,
)
from unitalk_async._client import UnitalkClient
from unitalk_async._codec import convert, decode, to_builtins
from unitalk_async._codec import encode as to_json
from unitalk_async._config import RequestOptions, RetryPolicy
from unitalk_async._exceptions import (
    APIError,
    AuthenticationError,
    BadRequestError,
    BillingError,
    BusyError,
    ConfigurationError,
    ConflictError,
    InvalidItemsError,
    LimitExceededError,
    NotFoundError,
    OutcomeUnknownError,
    PermanentlyBlockedError,
    RateLimitError,
    RequestTimeoutError,
    ResponseDecodeError,
    ResponseTooLargeError,
    TransportError,
    UnavailableError,
    UnitalkError,
    ValidationError,
)
from unitalk_async._paging import AsyncPager
from unitalk_async._phones import normalize_phone
from unitalk_async._stats import ClientStatistics, PathStatistics
from unitalk_async._transport import (
    Hooks,
    RawResponse,
    RequestEvent,
    ResponseEvent,
    RetryEvent,
)
from unitalk_async.governor import (
    Governor,
    GovernorStatistics,
    Limits,
    LocalGovernor,
    Priority,
    RateWindow,
    priority,
)

__version__ = "0.1.0"

__all__ = [
    "APIError",
    "AsyncPager",
    "AuthenticationError",
    "BadRequestError",
    "BillingError",
    "BulkResult",
    "BusyError",
    "ChunkResult",
    "ChunkStatus",
    "ClientStatistics",
    "ConfigurationError",
    "ConflictError",
    "Governor",
    "GovernorStatistics",
    "Hooks",
    "InvalidItemsError",
    "LimitExceededError",
    "Limits",
    "LocalGovernor",
    "NotFoundError",
    "OutcomeUnknownError",
    "PathStatistics",
    "PermanentlyBlockedError",
    "Priority",
    "Progress",
    "RateLimitError",
    "RateWindow",
    "RawResponse",
    "Rejected",
    "RequestEvent",
    "RequestOptions",
    "RequestTimeoutError",
    "ResponseDecodeError",
    "ResponseEvent",
    "ResponseTooLargeError",
    "RetryEvent",
    "RetryPolicy",
    "TransportError",
    "UnavailableError",
    "UnitalkClient",
    "UnitalkError",
    "ValidationError",
    "__version__",
    "convert",
    "decode",
    "normalize_phone",
    "partial_result",
    "priority",
    "to_builtins",
    "to_json",
]
