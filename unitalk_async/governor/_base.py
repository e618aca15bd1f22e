"""The governor interface the transport talks to; backends: in-process and Redis."""

from __future__ import annotations

import abc
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

import anyio

from unitalk_async.governor._limits import Limits

Lane = Literal["default", "analytics"]

#: Named mutexes for operations the service allows only one at a time per project.
AUTODIAL_NUMBERS = "autodial-numbers"
TTS = "tts"
SCHEDULED_HANDLERS = "scheduled-handlers"


class SlotEvents(Protocol):
    """What a governor hears about its slots while they are held."""

    async def request_sent(self, slot: Slot) -> None:
        """The request's first byte is leaving: count its start now."""

    def answer_received(self, slot: Slot) -> None:
        """The answer's headers arrived: the service is done with the request."""


@dataclass(slots=True)
class Slot:
    """One admitted request: how long it waited, for what, and what became of it.

    The transport reports on the request through it: `trace` is an httpcore trace
    extension (`request.extensions["trace"]`) that tells the governor the moment the
    request's headers start out, when its start is counted, and the moment the answer's
    headers arrive; `handed_over()` says the request may leave from now on, `not_sent()`
    that it failed before leaving, `abandoned()` that the client stopped waiting for it.
    """

    lane: Lane
    exclusive: str | None
    #: Seconds spent waiting, by reason: a window's name ("15/1s"), "queue" (for an
    #: in-flight slot, held by requests in flight or at the head of the queue),
    #: "lane:analytics", "exclusive:<name>", "blocked".
    waits: dict[str, float] = field(default_factory=dict)
    #: When the start was counted: admission, until the request is seen leaving.
    started_at: float = 0.0
    admitted_at: float = 0.0
    sent_at: float | None = None
    answered_at: float | None = None
    #: When its last byte left: the time to first byte counts from there.
    body_sent_at: float | None = None
    #: Handed to the HTTP client: it may leave at any moment from now on.
    was_handed_over: bool = False
    #: The size of its body: a big one (a batch of numbers) keeps the service busy longer,
    #: so its answer tells little about the network.
    body_size: int = 0
    #: The HTTP client reported connection work: it reports the send too, if one happens.
    traced: bool = False
    was_abandoned: bool = False
    failed_before_sending: bool = False
    events: SlotEvents | None = field(default=None, repr=False)

    def add_wait(self, reason: str, seconds: float) -> None:
        if seconds > 0:
            self.waits[reason] = self.waits.get(reason, 0.0) + seconds

    @property
    def waited(self) -> float:
        return sum(self.waits.values())

    def handed_over(self, body_size: int = 0) -> None:
        self.was_handed_over = True
        self.body_size = body_size

    def not_sent(self) -> None:
        self.failed_before_sending = True

    def abandoned(self) -> None:
        self.was_abandoned = True

    async def request_sent(self) -> None:
        if self.sent_at is None:
            self.sent_at = anyio.current_time()
            if self.events is not None:
                await self.events.request_sent(self)

    def answer_received(self) -> None:
        if self.answered_at is None:
            self.answered_at = anyio.current_time()
            if self.events is not None:
                self.events.answer_received(self)

    @property
    def may_be_at_the_service(self) -> bool:
        """Sent (or possibly sent) and not answered: the service may still be working."""
        if self.answered_at is not None or self.failed_before_sending:
            return False
        return self.sent_at is not None or (self.was_handed_over and not self.traced)

    async def trace(self, event: str, info: dict[str, Any]) -> None:
        """httpcore's trace extension: `<prefix>.<step>.started|complete|failed`."""
        if event.endswith(".send_request_headers.started"):
            await self.request_sent()
        elif event.endswith(".send_request_body.complete"):
            self.body_sent_at = anyio.current_time()
        elif event.endswith(".receive_response_headers.complete"):
            self.answer_received()
        else:
            self.traced = True


@dataclass(frozen=True, slots=True)
class ClassStatistics:
    """What one priority class has had from the governor."""

    admitted: int = 0
    #: Total seconds its requests waited for admission.
    waited: float = 0.0
    #: Its requests waiting for admission now.
    queued: int = 0


@dataclass(frozen=True, slots=True)
class GovernorStatistics:
    """A snapshot of a governor's state and history."""

    backend: str
    in_flight: int
    queued: int
    admitted: int
    #: Total seconds requests waited, by reason (see `Slot.waits`).
    waits: dict[str, float]
    blocks_seen: int
    paused_for: float
    #: Seconds added to every window now: the configured margin, the latency spread learned
    #: from the answers, and what blocks added.
    margin: float
    #: The latency spread learned from recent answers (part of `margin`).
    latency_spread: float = 0.0
    #: Slots held for requests the client stopped waiting for (`Limits.grace`).
    in_grace: int = 0
    #: Per priority class ("interactive", "default", "bulk"); empty for a backend that
    #: admits FIFO.
    classes: dict[str, ClassStatistics] = field(default_factory=dict)
    #: Starts bulk must leave free in the longest window now, for recent interactive calls.
    reserve: int = 0


class Governor(abc.ABC):
    """Admits requests so that the API's limits are never exceeded.

    `async with governor.slot(lane=..., exclusive=...) as slot:` waits until the request may
    start (in the order of its priority class and flow, which `_priority.requesting` sets in
    the context; FIFO for a backend without classes), counts its start in every window
    when it really leaves (see `Slot`; at admission if nothing reports it), holds an
    in-flight slot (and the named mutex, if any) until the block exits, and gives
    everything back on exit, cancellation included; the in-flight slot of a sent request
    the client stopped waiting for stays taken for `Limits.grace` seconds. With a
    `deadline` (on `anyio.current_time()`), a call that a block's pause would keep waiting
    past it raises `RateLimitError` at once.
    """

    #: The limits this governor enforces.
    limits: Limits

    @abc.abstractmethod
    def slot(
        self, *, lane: Lane = "default", exclusive: str | None = None, deadline: float | None = None
    ) -> AbstractAsyncContextManager[Slot]:
        """Wait for and hold the right to send one request."""

    @abc.abstractmethod
    async def report_block(self, retry_after: float | None) -> float:
        """The server refused a request for rate (HTTP 429): pause every admission.

        Returns the pause applied, in seconds.
        """

    @abc.abstractmethod
    def statistics(self) -> GovernorStatistics:
        """A snapshot of the governor's state."""

    def attach(self, key_id: str) -> None:  # noqa: B027 - optional hook
        """Called by the client with a hash of its API key (namespacing shared backends)."""

    async def aclose(self) -> None:  # noqa: B027 - optional hook
        """Release backend resources."""
