"""Billing as the reference's "Pricing" describes it: processing time -> request units.

The gate bills every request it lets through to processing, injected faults and latency
included; requests refused by the auth check or the limits are not processed, not billed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from unitalk_async._reference import cost_units


@dataclass(slots=True)
class PathBill:
    requests: int = 0
    units: int = 0
    processing_ms: float = 0.0
    by_units: Counter[int] = field(default_factory=Counter)


@dataclass
class Billing:
    """Units billed per processed request, with totals per path and overall."""

    paths: dict[str, PathBill] = field(default_factory=dict)

    def record(self, path: str, processing_ms: float) -> int:
        units = cost_units(processing_ms)
        bill = self.paths.get(path)
        if bill is None:
            bill = self.paths[path] = PathBill()
        bill.requests += 1
        bill.units += units
        bill.processing_ms += processing_ms
        bill.by_units[units] += 1
        return units

    @property
    def total_units(self) -> int:
        return sum(bill.units for bill in self.paths.values())

    @property
    def total_requests(self) -> int:
        return sum(bill.requests for bill in self.paths.values())

    def summary(self) -> dict[str, Any]:
        """Totals as plain JSON-ready data (the admin route's answer)."""
        return {
            "requests": self.total_requests,
            "units": self.total_units,
            "paths": {
                path: {
                    "requests": bill.requests,
                    "units": bill.units,
                    "processingMs": round(bill.processing_ms, 3),
                    "byUnits": {str(k): v for k, v in sorted(bill.by_units.items())},
                }
                for path, bill in sorted(self.paths.items())
            },
        }

    def reset(self) -> None:
        self.paths.clear()
