"""Keeping a process's Redis leases alive while its requests run.

One background task per governor renews every lease the process holds, in one script
call per period (a third of the lease), so a long request keeps its in-flight slot and its
locks, while a worker that dies (SIGKILL, a lost host) stops renewing and its leases expire.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

logger = logging.getLogger("unitalk_async")

Renew = Callable[[Sequence[str], Sequence[str | int | float]], Awaitable[Any]]


class LeaseKeeper:
    """Renews the leases registered with `hold` until they are `drop`ped."""

    def __init__(self, renew: Renew, *, period: float) -> None:
        self._renew = renew
        self.period = period
        #: token -> the sorted sets in which it holds a lease
        self._held: dict[str, tuple[str, ...]] = {}
        #: token -> its lease length (microseconds)
        self._lease_us: dict[str, int] = {}
        self._task: asyncio.Task[None] | None = None
        self.renewals = 0
        self.lost = 0

    def hold(self, token: str, keys: Sequence[str], lease_us: int) -> None:
        self._held[token] = (*self._held.get(token, ()), *keys)
        self._lease_us[token] = lease_us
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(
                self._run(), name="unitalk-redis-lease-keeper"
            )

    def drop(self, token: str) -> None:
        self._held.pop(token, None)
        self._lease_us.pop(token, None)

    def held(self, token: str) -> tuple[str, ...]:
        return self._held.get(token, ())

    async def aclose(self) -> None:
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                # Ours was cancelled; if the caller is being cancelled too, let it through.
                current = asyncio.current_task()
                if current is not None and current.cancelling():
                    raise

    async def _run(self) -> None:
        while self._held:
            await asyncio.sleep(self.period)
            pairs = [(key, token) for token, keys in self._held.items() for key in keys]
            if not pairs:
                continue
            args: list[str | int | float] = []
            for _, token in pairs:
                args += [token, self._lease_us.get(token, 0)]
            try:
                lost = await self._renew([key for key, _ in pairs], args)
            except Exception as exc:  # Redis away: try again next period; leases may lapse
                logger.warning("could not renew the governor's Redis leases: %s", exc)
                continue
            self.renewals += 1
            for index in lost:
                key, token = pairs[int(index) - 1]
                self.lost += 1
                logger.warning(
                    "a governor lease expired before it was renewed (%s); the slot may be "
                    "taken by another worker (event loop blocked longer than the lease?)",
                    key,
                )
                remaining = tuple(k for k in self._held.get(token, ()) if k != key)
                if remaining:
                    self._held[token] = remaining
                else:
                    self.drop(token)
