"""The in-process governor: exact sliding windows, FIFO admission, lanes and named mutexes."""

from __future__ import annotations

import heapq
import math
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

import anyio

from unitalk_async._exceptions import RateLimitError
from unitalk_async.governor._base import Governor, GovernorStatistics, Lane, Slot
from unitalk_async.governor._latency import LatencySpread, is_quick
from unitalk_async.governor._limits import Limits
from unitalk_async.governor._window import SlidingWindowLog

#: Cool-downs after a 429 without Retry-After, escalating on repeats (seconds).
COOL_DOWNS = (10.0, 30.0, 60.0, 120.0, 300.0)
#: How much each reported block widens the safety margin, and the widest it gets.
MARGIN_STEP = 0.05
MAX_MARGIN = 0.5


def pause_error(paused_for: float) -> RateLimitError:
    """A call's budget ends before the key's pause does: waiting would only waste it."""
    return RateLimitError(
        f"the API key is paused for {paused_for:.1f} s after a rate-limit block, "
        "longer than this call's retry budget allows",
        http_status=429,
        retry_after=paused_for,
    )


class LocalGovernor(Governor):
    """Governs the requests of one process (all clients sharing this object).

    Admission order: named mutex -> lane cap -> in-flight slot -> the admission lock, under
    which the head of the queue waits until every window, the in-flight slots still held
    for abandoned requests and any block pause allow a start. anyio's Lock and Semaphore
    queue waiters FIFO, so the request that waited longest goes first, and cancellation
    while queued takes nothing. An admitted request counts as a start at any moment until
    it is seen leaving (then at that moment) or failing before it left (then not at all).
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
        self._spread = LatencySpread()
        self._block_margin = 0.0
        self._paused_until = -math.inf
        self._blocks = 0
        self._in_flight = 0
        #: Admitted requests not yet seen leaving (or failing to).
        self._pending = 0
        #: When each slot held for an abandoned request frees (a heap).
        self._graces: list[float] = []
        self._changed: anyio.Event | None = None
        self._queued = 0
        self._admitted = 0
        self._waits: dict[str, float] = {}

    @asynccontextmanager
    async def slot(
        self, *, lane: Lane = "default", exclusive: str | None = None, deadline: float | None = None
    ) -> AsyncIterator[Slot]:
        slot = Slot(lane=lane, exclusive=exclusive, events=self)
        async with AsyncExitStack() as stack:
            self._queued += 1
            try:
                self._check_pause(deadline)
                if exclusive is not None:
                    mutex = self._mutexes.setdefault(exclusive, anyio.Lock())
                    await self._timed(stack, mutex, slot, f"exclusive:{exclusive}")
                lane_cap = self._lane_caps.get(lane)
                if lane_cap is not None:
                    await self._timed(stack, lane_cap, slot, f"lane:{lane}")
                if self._in_flight_cap is not None:
                    await self._timed(stack, self._in_flight_cap, slot, "queue")
                async with self._admission:
                    await self._wait_for_room(slot, deadline)
            finally:
                self._queued -= 1
            self._in_flight += 1
            self._pending += self.limits.enabled
            self._admitted += 1
            for reason, seconds in slot.waits.items():
                self._waits[reason] = self._waits.get(reason, 0.0) + seconds
            try:
                yield slot
            except anyio.get_cancelled_exc_class():
                slot.abandoned()
                raise
            finally:
                self._in_flight -= 1
                self._settle(slot)

    async def _timed(
        self, stack: AsyncExitStack, primitive: anyio.Lock | anyio.Semaphore, slot: Slot, why: str
    ) -> None:
        began = anyio.current_time()
        await stack.enter_async_context(primitive)
        slot.add_wait(why, anyio.current_time() - began)

    def _check_pause(self, deadline: float | None) -> None:
        if deadline is not None and self._paused_until > deadline:
            raise pause_error(self._paused_until - anyio.current_time())

    def _margin(self, now: float) -> float:
        return self.limits.margin + self._spread.spread(now) + self._block_margin

    def _in_grace(self, now: float) -> int:
        while self._graces and self._graces[0] <= now:
            heapq.heappop(self._graces)
        return len(self._graces)

    async def _wait_for_room(self, slot: Slot, deadline: float | None) -> None:
        while True:
            self._check_pause(deadline)
            now = anyio.current_time()
            until, reason = self._paused_until, "blocked"
            margin = self._margin(now)
            for name, window in zip(self._window_names, self._windows, strict=False):
                allowed = window.next_allowed(margin, self._pending)
                if allowed > until:
                    until, reason = allowed, name
            # Slots held for abandoned requests count until their grace ends.
            in_grace = self._in_grace(now)
            if self.limits.enabled and self._in_flight + in_grace >= self.limits.max_in_flight:
                grace_ends = self._graces[0] if self._graces else math.inf
                if grace_ends > until:
                    until, reason = grace_ends, "queue"
            if until <= now:
                break
            # Sleep to the binding constraint (or until a start is seen, a slot freed), then
            # look again: a block reported meanwhile may have moved the pause further out.
            changed = self._changed = self._changed or anyio.Event()
            with anyio.move_on_after(until - now):
                await changed.wait()
            slot.add_wait(reason, anyio.current_time() - now)
        slot.started_at = slot.admitted_at = now

    def _wake(self) -> None:
        if self._changed is not None:
            self._changed.set()
            self._changed = None

    def _count_start(self, at: float) -> None:
        self._pending -= 1
        for window in self._windows:
            window.record(at)
        self._wake()

    async def request_sent(self, slot: Slot) -> None:
        if self.limits.enabled and slot.sent_at is not None:
            slot.started_at = slot.sent_at
            self._count_start(slot.sent_at)

    def answer_received(self, slot: Slot) -> None:
        if is_quick(slot) and slot.answered_at is not None:
            sent = slot.body_sent_at if slot.body_sent_at is not None else slot.sent_at
            assert sent is not None
            self._spread.observe(slot.answered_at, slot.answered_at - sent)

    def _settle(self, slot: Slot) -> None:
        """The slot is given back: count its start if nothing did, hold it for an abandoned
        request."""
        now = anyio.current_time()
        if self.limits.enabled and slot.sent_at is None:
            if slot.failed_before_sending or slot.traced:
                # It never left: the service saw nothing.
                self._pending -= 1
                self._wake()
            elif slot.was_handed_over:
                # Nothing reported when it left: the latest moment it can have.
                slot.started_at = slot.answered_at if slot.answered_at is not None else now
                self._count_start(slot.started_at)
            else:
                self._count_start(slot.admitted_at)
        if self.limits.enabled and slot.was_abandoned and slot.may_be_at_the_service:
            heapq.heappush(self._graces, now + self.limits.grace)
        self._wake()

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
        self._block_margin = min(MAX_MARGIN, self._block_margin + MARGIN_STEP)
        self._paused_until = now + pause
        self._wake()
        return pause

    def statistics(self) -> GovernorStatistics:
        try:
            now = anyio.current_time()
        except RuntimeError:  # outside an event loop: no pause can be measured
            now = self._paused_until
        finite_now = now if math.isfinite(now) else 0.0
        return GovernorStatistics(
            backend="local",
            in_flight=self._in_flight,
            queued=self._queued,
            admitted=self._admitted,
            waits=dict(self._waits),
            blocks_seen=self._blocks,
            paused_for=max(0.0, self._paused_until - now),
            margin=self._margin(finite_now),
            latency_spread=self._spread.spread(finite_now),
            in_grace=sum(1 for t in self._graces if t > finite_now),
        )
