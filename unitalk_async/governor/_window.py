"""An exact sliding-window log: the earliest moment the next start fits every window."""

from __future__ import annotations

from collections import deque


class SlidingWindowLog:
    """The last `limit` start times; a new start at `t` is allowed when the `limit`-th most
    recent one is at least `seconds + margin` before it.

    Then every interval of length `seconds` holds at most `limit` starts, wherever it lies on
    the time axis (unlike a token bucket, which admits capacity + rate x window).
    """

    __slots__ = ("_starts", "limit", "seconds")

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit = limit
        self.seconds = seconds
        self._starts: deque[float] = deque(maxlen=limit)

    def next_allowed(self, margin: float) -> float:
        """The earliest start time this window allows (-inf when it is not full)."""
        if len(self._starts) < self.limit:
            return float("-inf")
        return self._starts[0] + self.seconds + margin

    def record(self, now: float) -> None:
        self._starts.append(now)

    def count_since(self, since: float) -> int:
        """How many recorded starts lie after `since` (for statistics)."""
        return sum(1 for t in self._starts if t > since)
