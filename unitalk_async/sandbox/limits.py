"""The limits as the server enforces them, per key, and the log of every arrival.

Windows are sliding and half-open, `(t - W, t]`, and count every HTTP request at its
arrival, rejected ones included: the reference limits "any HTTP requests" (README "API
notes"). More than `per_10_seconds` in 10 s blocks the key for `block_seconds`, doubling on
each repeat; more than `permanent_per_10_seconds` blocks it for good; more than
`max_in_flight` at once or `per_second` in one second is refused without a block.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from typing import Literal

from unitalk_async._reference import (
    MSG_PERMANENTLY_BLOCKED,
    MSG_TEMPORARILY_BLOCKED,
    MSG_TOO_MANY_IN_FLIGHT,
    MSG_TOO_MANY_PER_SECOND,
)
from unitalk_async.sandbox.config import ServerLimits

BlockKind = Literal["temporary", "permanent"]
#: The arrival log's id of the sandbox's API key (never the key itself).
API_KEY_ID = "key"


@dataclass(slots=True)
class Arrival:
    """One HTTP request as the server saw it arrive.

    `status` is filled in when answered; it stays 0 when the connection was dropped
    without an answer (reset and drop faults).
    """

    time: float
    path: str
    action: str | None
    key_id: str | None  # "key", "token:..." or None (no or wrong key); never the key itself
    in_flight: int  # accepted requests of this key already in flight at arrival
    status: int = 0
    rejected: bool = False  # refused by the limits (429/403)


@dataclass(frozen=True, slots=True)
class Rejection:
    """Why the limits refused a request: the answer to send."""

    status: int
    message: str
    retry_after: int | None


@dataclass(frozen=True, slots=True)
class Block:
    time: float
    kind: BlockKind
    key_id: str
    seconds: float | None  # None for a permanent block


def worst_window(times: list[float], seconds: float) -> int:
    """The most of `times` (ascending) inside any half-open window `(t - seconds, t]`."""
    best = 0
    start = 0
    for end, t in enumerate(times):
        while times[start] <= t - seconds:
            start += 1
        best = max(best, end - start + 1)
    return best


@dataclass
class ArrivalLog:
    """Every arrival, in order, with the queries tests and benchmarks ask of it."""

    entries: list[Arrival] = field(default_factory=list)
    block_records: list[Block] = field(default_factory=list)

    def record(self, arrival: Arrival) -> Arrival:
        self.entries.append(arrival)
        return arrival

    @property
    def total(self) -> int:
        return len(self.entries)

    @property
    def rejected(self) -> int:
        """Requests the limits refused (429 or 403 from the limiter, not from faults)."""
        return sum(1 for a in self.entries if a.rejected)

    @property
    def accepted(self) -> int:
        return sum(1 for a in self.entries if not a.rejected)

    @property
    def max_in_flight(self) -> int:
        """The most requests of one key in flight at once, counting the arriving one."""
        return max((a.in_flight + 1 for a in self.entries if not a.rejected), default=0)

    def worst_window(
        self, seconds: float, *, accepted_only: bool = False, key_id: str = API_KEY_ID
    ) -> int:
        """The most arrivals of one key (the API key's by default) in any half-open window
        of `seconds`, computed over the log. Requests without a valid key count for none."""
        times = [
            a.time
            for a in self.entries
            if a.key_id == key_id and not (accepted_only and a.rejected)
        ]
        return worst_window(times, seconds)

    @property
    def blocks(self) -> list[tuple[float, BlockKind]]:
        """Every block imposed, as (time, kind); `block_records` has the key and duration."""
        return [(b.time, b.kind) for b in self.block_records]

    def block_events(self) -> list[tuple[float, BlockKind]]:
        """The same as `blocks` (an earlier name some tests use)."""
        return self.blocks

    def reset(self) -> None:
        self.entries.clear()
        self.block_records.clear()


@dataclass
class _KeyState:
    last_10s: deque[float] = field(default_factory=deque)
    last_1s: deque[float] = field(default_factory=deque)
    in_flight: int = 0
    blocked_until: float = -math.inf
    temporary_blocks: int = 0
    permanent: bool = False


class Limiter:
    """The per-key limit state; `admit` is called once per arrival, `release` when answered."""

    def __init__(self, limits: ServerLimits, log: ArrivalLog, *, enforce: bool = True) -> None:
        self.limits = limits
        self.enforce = enforce
        self.log = log
        self._keys: dict[str, _KeyState] = {}

    def in_flight(self, key_id: str) -> int:
        state = self._keys.get(key_id)
        return state.in_flight if state else 0

    def admit(self, key_id: str, now: float) -> Rejection | None:
        """Count an arrival; None if it may proceed (then `release` it), else the refusal."""
        state = self._keys.get(key_id)
        if state is None:
            state = self._keys[key_id] = _KeyState()
        limits = self.limits
        state.last_10s.append(now)
        state.last_1s.append(now)
        while state.last_10s[0] <= now - limits.ten_seconds:
            state.last_10s.popleft()
        while state.last_1s[0] <= now - limits.second:
            state.last_1s.popleft()
        if not self.enforce:
            state.in_flight += 1
            return None
        if state.permanent:
            return Rejection(403, MSG_PERMANENTLY_BLOCKED, None)
        if len(state.last_10s) > limits.permanent_per_10_seconds:
            state.permanent = True
            self.log.block_records.append(Block(now, "permanent", key_id, None))
            return Rejection(403, MSG_PERMANENTLY_BLOCKED, None)
        if now < state.blocked_until:
            # Arrivals during a block still count (above) but do not lengthen it.
            return Rejection(429, MSG_TEMPORARILY_BLOCKED, _retry_after(state.blocked_until - now))
        if len(state.last_10s) > limits.per_10_seconds:
            seconds = (
                limits.block_seconds
                * limits.block_multiplier**state.temporary_blocks
                * limits.time_scale
            )
            state.temporary_blocks += 1
            state.blocked_until = now + seconds
            self.log.block_records.append(Block(now, "temporary", key_id, seconds))
            return Rejection(429, MSG_TEMPORARILY_BLOCKED, _retry_after(seconds))
        if state.in_flight >= limits.max_in_flight:
            return Rejection(429, MSG_TOO_MANY_IN_FLIGHT, 1)
        if len(state.last_1s) > limits.per_second:
            return Rejection(429, MSG_TOO_MANY_PER_SECOND, 1)
        state.in_flight += 1
        return None

    def release(self, key_id: str) -> None:
        state = self._keys.get(key_id)
        if state is not None and state.in_flight > 0:
            state.in_flight -= 1

    def reset(self) -> None:
        """Forget windows and blocks; requests in flight stay counted until they end."""
        for state in self._keys.values():
            state.last_10s.clear()
            state.last_1s.clear()
            state.blocked_until = -math.inf
            state.temporary_blocks = 0
            state.permanent = False


def _retry_after(seconds: float) -> int:
    return max(1, math.ceil(seconds))
