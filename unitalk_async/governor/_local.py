"""The in-process governor: exact sliding windows, priority classes, lanes and named mutexes."""

from __future__ import annotations

import heapq
import itertools
import math
from collections import deque
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field

import anyio

from unitalk_async._exceptions import RateLimitError
from unitalk_async.governor._base import (
    ClassStatistics,
    Governor,
    GovernorStatistics,
    Lane,
    Slot,
)
from unitalk_async.governor._latency import LatencySpread, is_quick
from unitalk_async.governor._limits import Limits
from unitalk_async.governor._priority import (
    FLOOR,
    PRIORITIES,
    Flow,
    InteractiveRate,
    Priority,
    Request,
    requested,
)
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


@dataclass(eq=False, slots=True)
class _Ticket:
    """A request waiting for admission."""

    request: Request
    seq: int
    wakeup: anyio.Event = field(default_factory=anyio.Event)


class LocalGovernor(Governor):
    """Governs the requests of one process (all clients sharing this object).

    Admission order: named mutex -> lane cap -> the admission queue, whose head waits until
    every window, the in-flight cap (slots held for abandoned requests included) and any
    block pause allow a start. The head is chosen by the priority rules of `_priority.py`
    (class, then round robin between flows, then FIFO); a request of the class and flow
    `requesting` says (default and anonymous otherwise). Cancellation while queued takes
    nothing. An admitted request counts as a start at any moment until it is seen leaving
    (then at that moment) or failing before it left (then not at all).
    """

    def __init__(self, limits: Limits | None = None) -> None:
        self.limits = limits if limits is not None else Limits()
        enabled = self.limits.enabled
        self._windows = (
            [SlidingWindowLog(w.limit, w.seconds) for w in self.limits.windows] if enabled else []
        )
        self._window_names = [w.name for w in self.limits.windows]
        self._longest = max(self.limits.windows, key=lambda w: w.seconds)
        self._lane_caps: dict[str, anyio.Semaphore] = (
            {"analytics": anyio.Semaphore(self.limits.analytics_in_flight)} if enabled else {}
        )
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
        self._seq = itertools.count()
        #: Waiting requests by class, then by flow (FIFO inside a flow).
        self._waiting: dict[Priority, dict[Flow, deque[_Ticket]]] = {p: {} for p in PRIORITIES}
        #: When each flow was last served (round robin: the least recent goes first).
        self._served: dict[Flow, int] = {}
        self._served_count = itertools.count()
        #: Admission times per class over the longest window (the floor).
        self._recent: dict[Priority, deque[float]] = {p: deque() for p in PRIORITIES}
        self._interactive = InteractiveRate()
        self._floor = max(1, math.ceil(FLOOR * self._longest.limit))
        self._last_bulk = -math.inf
        self._queued = 0
        self._admitted = 0
        self._admitted_by: dict[Priority, int] = dict.fromkeys(PRIORITIES, 0)
        self._waits: dict[str, float] = {}
        self._waits_by: dict[Priority, float] = dict.fromkeys(PRIORITIES, 0.0)

    @asynccontextmanager
    async def slot(
        self, *, lane: Lane = "default", exclusive: str | None = None, deadline: float | None = None
    ) -> AsyncIterator[Slot]:
        slot = Slot(lane=lane, exclusive=exclusive, events=self)
        request = requested()
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
                await self._wait_for_room(slot, request, deadline)
            finally:
                self._queued -= 1
            self._in_flight += 1
            self._pending += self.limits.enabled
            self._admitted += 1
            self._admitted_by[request.priority] += 1
            self._waits_by[request.priority] += slot.waited
            request.waited += slot.waited
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

    # -- the queue ------------------------------------------------------------------------
    def _enqueue(self, request: Request, now: float) -> _Ticket:
        ticket = _Ticket(request, next(self._seq))
        self._waiting[request.priority].setdefault(request.flow, deque()).append(ticket)
        if request.priority == "interactive":
            self._interactive.arrived(now)
        return ticket

    def _dequeue(self, ticket: _Ticket) -> None:
        flows = self._waiting[ticket.request.priority]
        queue = flows[ticket.request.flow]
        queue.remove(ticket)
        if not queue:
            del flows[ticket.request.flow]

    def _owed(self, priority: Priority, now: float) -> bool:
        """A lower class below its floor: fewer than `FLOOR` of the longest window's starts
        admitted in its last `seconds`."""
        recent = self._recent[priority]
        while recent and recent[0] <= now - self._longest.seconds:
            recent.popleft()
        return len(recent) < self._floor

    def _head(self, now: float) -> _Ticket | None:
        """The request to admit next (see `_priority.py`)."""
        present = [p for p in PRIORITIES if self._waiting[p]]
        if not present:
            return None
        chosen = present[0]
        for lower in present[1:]:
            if self._owed(lower, now):
                chosen = lower
                break
        flows = self._waiting[chosen]
        flow = min(flows, key=lambda f: (self._served.get(f, -1), flows[f][0].seq))
        return flows[flow][0]

    def _served_now(self, request: Request, now: float) -> None:
        self._served[request.flow] = next(self._served_count)
        if len(self._served) > 4 * 1024:  # forget the flows served longest ago
            for flow, _ in sorted(self._served.items(), key=lambda kv: kv[1])[:1024]:
                del self._served[flow]
        self._recent[request.priority].append(now)
        if request.priority == "bulk":
            self._last_bulk = now

    # -- admission ------------------------------------------------------------------------
    def _room(self, priority: Priority, now: float) -> tuple[float, str]:
        """The earliest moment the head, of class `priority`, may start, and why not now."""
        until, reason = self._paused_until, "blocked"
        margin = self._margin(now)
        pace = 0.0
        # Bulk below its floor is neither held back nor paced: the floor is a promise.
        restrained = priority == "bulk" and not self._owed(priority, now)
        for name, window in zip(self._window_names, self._windows, strict=False):
            # Bulk leaves the window's last starts to interactive calls seen lately.
            held = self._interactive.reserve(now, window.limit) if restrained else 0
            allowed = window.next_allowed(margin, self._pending + held)
            if allowed > until:
                until, reason = allowed, name if not held else f"{name} reserve"
            pace = max(pace, (window.seconds + margin) / max(1, window.limit - held))
        if restrained and self._last_bulk + pace > until:
            until, reason = self._last_bulk + pace, "pacing"
        # Slots held for abandoned requests count until their grace ends.
        in_grace = self._in_grace(now)
        if self.limits.enabled and self._in_flight + in_grace >= self.limits.max_in_flight:
            grace_ends = self._graces[0] if self._graces else math.inf
            if grace_ends > until:
                until, reason = grace_ends, "queue"
        return until, reason

    async def _wait_for_room(self, slot: Slot, request: Request, deadline: float | None) -> None:
        now = anyio.current_time()
        ticket = self._enqueue(request, now)
        try:
            while True:
                self._check_pause(deadline)
                now = anyio.current_time()
                head = self._head(now)
                if head is ticket:
                    until, reason = self._room(request.priority, now)
                    if until <= now:
                        break
                else:
                    # Someone else goes first; time may have made it the head without
                    # anything waking it (a class reaching its floor), so wake it.
                    until, reason = math.inf, "queue"
                    if head is not None:
                        head.wakeup.set()
                # Sleep to the binding constraint (or until a start is seen, a slot freed,
                # the head changed), then look again: a block reported meanwhile may have
                # moved the pause further out.
                ticket.wakeup = anyio.Event()
                with anyio.move_on_after(until - now):
                    await ticket.wakeup.wait()
                slot.add_wait(reason, anyio.current_time() - now)
        finally:
            self._dequeue(ticket)
            self._wake()
        self._served_now(request, now)
        slot.started_at = slot.admitted_at = now

    def _wake(self) -> None:
        """Something changed: the head (perhaps a new one) looks again."""
        try:
            now = anyio.current_time()
        except RuntimeError:
            return
        head = self._head(now)
        if head is not None:
            head.wakeup.set()

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
            classes={
                p: ClassStatistics(
                    self._admitted_by[p],
                    self._waits_by[p],
                    sum(len(q) for q in self._waiting[p].values()),
                )
                for p in PRIORITIES
            },
            reserve=self._interactive.reserve(finite_now, self._longest.limit),
        )
