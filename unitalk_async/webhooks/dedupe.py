"""Exactly-once handling: which deliveries of an event a receiver has already handled.

Unitalk, like every webhook sender, delivers at least once: a timeout or a lost answer makes
it post the same event again. The receiver asks a seen-store to *claim* each event's key
before running its handler, and tells it afterwards whether the handler succeeded:

- NEW: this delivery runs the handler. Success marks the key done; a failure (500) forgets
  it, so a redelivery runs the handler again (an event is never lost to a failed attempt).
- DONE: handled already; the duplicate is answered 200 without running anything.
- HANDLING: another delivery is running the handler right now. The receiver waits for its
  outcome (DONE: answer 200; forgotten: run it here) up to the handler timeout, then answers
  503 so the sender tries again later, never 200 for an event nobody has handled.

Keys (`dedupe_key`): a call event is its event name, call id and `to` numbers (a call can be
redirected or answered more than once, each time to other numbers, and each is an event);
every other notification, or a call event without an id, is the SHA-256 of its body.
ROUTE and voice-queue requests are questions, not events: they are answered every time.

`MemorySeenStore` (the default) remembers the last `max_keys` events of one process;
`RedisSeenStore` (the `[redis]` extra, `unitalk_async.webhooks.dedupe_redis`) is shared by
every process behind a load balancer.
"""

from __future__ import annotations

import enum
import hashlib
from collections import OrderedDict
from typing import Final, Protocol, runtime_checkable

from unitalk_async.webhooks.models import (
    CallEvent,
    RouteRequest,
    UnknownEvent,
    VoiceQueueRequest,
    WebhookEvent,
)
from unitalk_async.webhooks.parse import event_name, payload_type

__all__ = ["DEFAULT_MAX_KEYS", "Claim", "MemorySeenStore", "SeenStore", "dedupe_key"]

DEFAULT_MAX_KEYS: Final = 100_000


class Claim(enum.Enum):
    """What a seen-store answers when a delivery claims an event's key."""

    NEW = "new"  # this delivery handles the event
    HANDLING = "handling"  # another delivery is handling it now
    DONE = "done"  # handled already


@runtime_checkable
class SeenStore(Protocol):
    """Where a receiver records the events it has handled (see the module docstring)."""

    async def claim(self, key: str) -> Claim:
        """Claim `key` for this delivery if nobody has; else say who has it."""
        ...

    async def finish(self, key: str, *, handled: bool) -> None:
        """After a NEW claim: remember the key as done (`handled`) or forget it."""
        ...


class MemorySeenStore:
    """The seen-store of one process: the last `max_keys` keys, least recently used out."""

    __slots__ = ("_done", "max_keys")

    def __init__(self, max_keys: int = DEFAULT_MAX_KEYS) -> None:
        if max_keys < 1:
            raise ValueError(f"max_keys: must be >= 1, got {max_keys}")
        self.max_keys = max_keys
        self._done: OrderedDict[str, bool] = OrderedDict()  # key -> handled (False: handling)

    def __repr__(self) -> str:
        return f"MemorySeenStore(max_keys={self.max_keys}, keys={len(self._done)})"

    def __len__(self) -> int:
        return len(self._done)

    async def claim(self, key: str) -> Claim:
        done = self._done.get(key)
        if done is not None:
            self._done.move_to_end(key)
            return Claim.DONE if done else Claim.HANDLING
        self._done[key] = False
        while len(self._done) > self.max_keys:
            self._done.popitem(last=False)
        return Claim.NEW

    async def finish(self, key: str, *, handled: bool) -> None:
        if handled:
            self._done[key] = True
            self._done.move_to_end(key)
        else:
            self._done.pop(key, None)


def dedupe_key(event: WebhookEvent, body: bytes) -> str | None:
    """The key that identifies `event` across deliveries; None for a request that waits for
    an answer (ROUTE, voice queue), which is answered every time it is asked."""
    intended = payload_type(event.raw) if isinstance(event, UnknownEvent) else type(event)
    if intended in (RouteRequest, VoiceQueueRequest):
        return None
    if isinstance(event, CallEvent) and isinstance(event.call.id, int):
        to = event.call.to if isinstance(event.call.to, list) else []
        return f"{event.event}:{event.call.id}:{','.join(to)}"
    name = event_name(event) or type(event).__name__
    return f"{name}:{hashlib.sha256(body).hexdigest()}"
