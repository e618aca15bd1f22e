"""The in-process governor: exact sliding windows, FIFO admission, lanes and named mutexes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

import anyio

from unitalk_async.governor._base import Governor, GovernorStatistics, Lane, Slot
from unitalk_async.governor._limits import Limits
from unitalk_async.governor._window import SlidingWindowLog

#: Cool-downs after a 429 without Retry-After, escalating on repeats (seconds).
COOL_DOWNS = (10.0, 30.0, 60.0, 120.0, 300.0)
#: How much each reported block widens the safety margin, and the widest it gets.
MARGIN_STEP = 0.05
MAX_MARGIN = 0.5


class LocalGovernor(Governor):
    """Governs the requests of one process (all clients sharing this object).

    Admission order: named mutex -> lane cap -> in-flight slot -> the admission lock, under
    which the head of the queue sleeps until every window (and any block pause) allows a
    start, then records it. anyio's Lock and Semaphore queue waiters FIFO, so the request
    that waited longest goes first, and cancellation while queued takes nothing.
    """

    def __init__(self, limits: Limits | None = None) -> None:
        self.limits = limits if limits is not None else Limits()
        enabled = self.limits.enabled
        self._windows = (
            [SlidingWindowLog(w.limit, w.seconds) for w in self.limits.windows] if enabled else []
        )
        self._window_names = [w.name for w in self.limits.windows]
        self._in_flight_cap = anyio.Semaphore(self.limits.max_in_flight) if enabled else None
        self._lane_caps: dict[str, anyio.Semaphore] = (
            {"analytics": anyio.Semaphore(self.limits.analytics_in_flight)} if enabled else {}
        )
        self._admission = anyio.Lock()
        self._mutexes: dict[str, anyio.Lock] = {}
        self._margin = self.limits.margin
        self._paused_until = float("-inf")
        self._blocks = 0
        self._in_flight = 0
        self._queued = 0
        self._admitted = 0
        self._waits: dict[str, float] = {}

    @asynccontextmanager
    async def slot(
        self, *, lane: Lane = "default", exclusive: str | None = None
    ) -> AsyncIterator[Slot]:
        slot = Slot(lane=lane, exclusive=exclusive)
        async with AsyncExitStack() as stack:
            self._queued += 1
            try:
                if exclusive is not None:
                    mutex = self._mutexes.setdefault(exclusive, anyio.Lock())
                    await self._timed(stack, mutex, slot, f"exclusive:{exclusive}")
                lane_cap = self._lane_caps.get(lane)
                if lane_cap is not None:
                    await self._timed(stack, lane_cap, slot, f"lane:{lane}")
                if self._in_flight_cap is not None:
                    await self._timed(stack, self._in_flight_cap, slot, "queue")
                async with self._admission:
                    await self._wait_for_windows(slot)
            finally:
                self._queued -= 1
            self._in_flight += 1
            self._admitted += 1
            for reason, seconds in slot.waits.items():
                self._waits[reason] = self._waits.get(reason, 0.0) + seconds
            try:
                yield slot
            finally:
                self._in_flight -= 1

    async def _timed(
        self, stack: AsyncExitStack, primitive: anyio.Lock | anyio.Semaphore, slot: Slot, why: str
    ) -> None:
        began = anyio.current_time()
        await stack.enter_async_context(primitive)
        slot.add_wait(why, anyio.current_time() - began)

    async def _wait_for_windows(self, slot: Slot) -> None:
        while True:
            now = anyio.current_time()
            until, reason = self._paused_until, "blocked"
            for name, window in zip(self._window_names, self._windows, strict=False):
                allowed = window.next_allowed(self._margin)
                if allowed > until:
                    until, reason = allowed, name
            if until <= now:
                break
            # Sleep to the binding constraint, then look again: a block reported meanwhile
            # may have moved the pause further out.
            await anyio.sleep(until - now)
            slot.add_wait(reason, anyio.current_time() - now)
        for window in self._windows:
            window.record(now)
        slot.started_at = now

    async def report_block(self, retry_after: float | None) -> float:
        now = anyio.current_time()
        if now < self._paused_until:
            # Requests already in flight when the block began report it too: one block.
            return self._paused_until - now
        pause = (
            retry_after
            if retry_after is not None
            else COOL_DOWNS[min(self._blocks, len(COOL_DOWNS) - 1)]
        )
        self._blocks += 1
        self._margin = min(MAX_MARGIN, self._margin + MARGIN_STEP)
        self._paused_until = now + pause
        return pause

    def statistics(self) -> GovernorStatistics:
        try:
            now = anyio.current_time()
        except RuntimeError:  # outside an event loop: no pause can be measured
            now = self._paused_until
        return GovernorStatistics(
            backend="local",
            in_flight=self._in_flight,
            queued=self._queued,
            admitted=self._admitted,
            waits=dict(self._waits),
            blocks_seen=self._blocks,
            paused_for=max(0.0, self._paused_until - now),
            margin=self._margin,
        )
