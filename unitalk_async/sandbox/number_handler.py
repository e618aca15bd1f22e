"""The project's single autodialer number handler (reference: "Handler is busy, try again later").

"One project can simultaneously delete or add numbers in only one autodialer": a number
operation holds the handler for its simulated duration, and one that overlaps it is refused
at once rather than queued.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import anyio

from unitalk_async.sandbox._answers import SandboxError
from unitalk_async.sandbox.config import SandboxConfig


class NumberHandler:
    """A non-blocking try-lock plus the simulated duration of each operation."""

    def __init__(self, config: SandboxConfig) -> None:
        self._config = config
        self._held = False
        self.refusals = 0  # operations answered "Handler is busy"

    @property
    def held(self) -> bool:
        return self._held

    def try_acquire(self) -> bool:
        if self._held:
            self.refusals += 1
            return False
        self._held = True
        return True

    def release(self) -> None:
        self._held = False

    def hold_seconds(self, numbers: int) -> float:
        """How long an operation on `numbers` numbers keeps the handler."""
        per_100k = self._config.number_op_seconds_per_100k * numbers / 100_000
        return self._config.number_op_seconds + per_100k


MSG_HANDLER_BUSY = "Handler is busy, try again later"


@contextlib.asynccontextmanager
async def number_operation(handler: NumberHandler, numbers: int) -> AsyncIterator[None]:
    """Hold the handler around one number operation, or refuse it as busy at once.

    The operation's effect happens inside the block; the handler stays held for the
    simulated duration after it, which is when an overlapping operation is refused.
    """
    if not handler.try_acquire():
        raise SandboxError(MSG_HANDLER_BUSY)
    try:
        yield
        seconds = handler.hold_seconds(numbers)
        if seconds > 0:
            await anyio.sleep(seconds)
    finally:
        handler.release()
