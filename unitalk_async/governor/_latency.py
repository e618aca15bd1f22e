"""The network's latency spread, learned from answers: the margin the windows need.

The service counts a request when it arrives; the governor counts it when its first byte
leaves. Two requests sent one window apart arrive closer together by as much as the first
one's trip took longer than the second's, so the window margin must cover the spread of
one-way latencies. The client cannot see a one-way trip, only the time from sending a
quick request to the first byte of its answer: two trips plus the service's (short) work.
Its spread over recent answers bounds the one-way spread from above whenever the way back
varies at least as little as the way out relative to each other (independent or symmetric
jitter), and it narrows again as a steadier network's answers replace the old ones.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from unitalk_async.governor._base import Slot

#: Answers the spread is computed over: about 20 s of a saturated key's traffic, so one
#: window's worth of requests always stays in view.
SAMPLES = 64
#: Answers older than this are forgotten, so an idle key does not keep a stale spread.
MAX_AGE = 120.0
#: The widest learned spread used. Beyond it the network is too erratic for a margin to be
#: worth its cost (each second of margin costs a tenth of the 10-s window's throughput);
#: blocks the server reports then widen the margin further.
MAX_SPREAD = 1.0
#: Requests with bodies up to this size count as quick calls (a list, a status, one
#: message); a batch upload's answer waits on the service's work, not on the network.
QUICK_BODY_BYTES = 16 * 1024


def is_quick(slot: Slot) -> bool:
    """Whether the slot's answer time tells about the network: a sent request with a small
    body on the default lane (the analytics lane answers after minutes of processing)."""
    return (
        slot.sent_at is not None and slot.lane == "default" and (slot.body_size <= QUICK_BODY_BYTES)
    )


class LatencySpread:
    """Recent times to first byte of quick calls; `spread()` is their range."""

    __slots__ = ("_samples",)

    def __init__(self) -> None:
        self._samples: deque[tuple[float, float]] = deque(maxlen=SAMPLES)

    def observe(self, at: float, time_to_first_byte: float) -> None:
        self._samples.append((at, max(0.0, time_to_first_byte)))

    def spread(self, now: float) -> float:
        while self._samples and self._samples[0][0] < now - MAX_AGE:
            self._samples.popleft()
        if len(self._samples) < 2:
            return 0.0
        times = [t for _, t in self._samples]
        return min(MAX_SPREAD, max(times) - min(times))
