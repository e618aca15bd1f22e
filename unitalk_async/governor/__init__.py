"""The concurrency governor: admits requests so the API's limits are never exceeded."""

from typing import TYPE_CHECKING

from unitalk_async.governor._base import (
    AUTODIAL_NUMBERS,
    SCHEDULED_HANDLERS,
    TTS,
    ClassStatistics,
    Governor,
    GovernorStatistics,
    Lane,
    Slot,
)
from unitalk_async.governor._limits import Limits, RateWindow
from unitalk_async.governor._local import LocalGovernor
from unitalk_async.governor._priority import Flow, Priority, priority, requesting

if TYPE_CHECKING:  # imported on first use below; type checkers see the real classes
    from unitalk_async.governor.redis import GovernorUnavailableError as GovernorUnavailableError
    from unitalk_async.governor.redis import RedisGovernor as RedisGovernor

__all__ = [
    "AUTODIAL_NUMBERS",
    "SCHEDULED_HANDLERS",
    "TTS",
    "ClassStatistics",
    "Flow",
    "Governor",
    "GovernorStatistics",
    "Lane",
    "Limits",
    "LocalGovernor",
    "Priority",
    "RateWindow",
    "Slot",
    "priority",
    "requesting",
]


def __getattr__(name: str) -> object:
    # The Redis backend needs the [redis] extra; import it only when asked for.
    if name in ("RedisGovernor", "GovernorUnavailableError"):
        from unitalk_async.governor import redis

        return getattr(redis, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
