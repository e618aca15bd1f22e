"""An exact sliding-window log: the earliest moment the next start fits every window."""

from __future__ import annotations

import bisect
import math


class SlidingWindowLog:
    """The last `limit` start times (ascending); a new start at `t` is allowed when the
    `limit`-th most recent one is at least `seconds + margin` before it.

    Then every interval of length `seconds` holds at most `limit` starts, wherever it lies on
    the time axis (unlike a token bucket, which admits capacity + rate x window).

    Starts are recorded when the request really leaves, which may be well after it was
    admitted (a new connection's handshakes), so they arrive out of order; an admitted
    request that has not left yet is *pending* and counts as a start at any later moment.
    """

    __slots__ = ("_starts", "limit", "seconds")

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit = limit
        self.seconds = seconds
        self._starts: list[float] = []

    def next_allowed(self, margin: float, pending: int = 0) -> float:
        """The earliest start time this window allows (-inf when it is not full; +inf when
        only a pending start leaving, or not, can make room)."""
        room = self.limit - pending
        if room <= 0:
            return math.inf
        if len(self._starts) < room:
            return -math.inf
        return self._starts[-room] + self.seconds + margin

    def record(self, at: float) -> None:
        bisect.insort(self._starts, at)
        if len(self._starts) > self.limit:
            del self._starts[0]

    def count_since(self, since: float) -> int:
        """How many recorded starts lie after `since` (for statistics)."""
        return sum(1 for t in self._starts if t > since)
