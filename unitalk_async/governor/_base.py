"""The governor interface the transport talks to; backends: in-process and Redis."""

from __future__ import annotations

import abc
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Literal

from unitalk_async.governor._limits import Limits

Lane = Literal["default", "analytics"]

#: Named mutexes for operations the service allows only one at a time per project.
AUTODIAL_NUMBERS = "autodial-numbers"
TTS = "tts"
SCHEDULED_HANDLERS = "scheduled-handlers"


@dataclass(slots=True)
class Slot:
    """One admitted request: how long it waited, and for what."""

    lane: Lane
    exclusive: str | None
    #: Seconds spent waiting, by reason: a window's name ("15/1s"), "queue" (for an
    #: in-flight slot, held by requests in flight or at the head of the queue),
    #: "lane:analytics", "exclusive:<name>", "blocked".
    waits: dict[str, float] = field(default_factory=dict)
    started_at: float = 0.0

    def add_wait(self, reason: str, seconds: float) -> None:
        if seconds > 0:
            self.waits[reason] = self.waits.get(reason, 0.0) + seconds

    @property
    def waited(self) -> float:
        return sum(self.waits.values())


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
    margin: float


class Governor(abc.ABC):
    """Admits requests so that the API's limits are never exceeded.

    `async with governor.slot(lane=..., exclusive=...) as slot:` waits until the request may
    start (FIFO), counts its start in every window, holds an in-flight slot (and the named
    mutex, if any) until the block exits, and gives everything back on exit, cancellation
    included.
    """

    #: The limits this governor enforces.
    limits: Limits

    @abc.abstractmethod
    def slot(
        self, *, lane: Lane = "default", exclusive: str | None = None
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
