"""The concurrency governor: admits requests so the API's limits are never exceeded."""

from unitalk_async.governor._base import (
    AUTODIAL_NUMBERS,
    SCHEDULED_HANDLERS,
    TTS,
    Governor,
    GovernorStatistics,
    Lane,
    Slot,
)
from unitalk_async.governor._limits import Limits, RateWindow
from unitalk_async.governor._local import LocalGovernor

__all__ = [
    "AUTODIAL_NUMBERS",
    "SCHEDULED_HANDLERS",
    "TTS",
    "Governor",
    "GovernorStatistics",
    "Lane",
    "Limits",
    "LocalGovernor",
    "RateWindow",
    "Slot",
]
