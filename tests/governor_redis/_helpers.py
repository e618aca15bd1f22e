"""Shared by the Redis governor's tests: reading what the governor wrote, counting overlap."""

from __future__ import annotations

from collections.abc import Awaitable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, cast

from redis.asyncio import Redis

from unitalk_async.governor import Limits
from unitalk_async.governor.redis import DEFAULT_KEY_PREFIX
from unitalk_async.sandbox.limits import worst_window


def key(namespace: str, name: str) -> str:
    return f"{DEFAULT_KEY_PREFIX}{{{namespace}}}:{name}"


async def starts_us(client: Redis, namespace: str) -> list[int]:
    """Every start the governor recorded (server microseconds), oldest first."""
    raw = await cast(Awaitable[list[bytes]], client.lrange(key(namespace, "starts"), 0, -1))
    return sorted(int(x) for x in raw)


def assert_windows_hold(times: list[int], limits: Limits) -> None:
    """No window of the limits, widened by the margin, ever held more than its limit."""
    margin = round(limits.margin * 1_000_000)
    for window in limits.windows:
        span = round(window.seconds * 1_000_000) + margin
        assert worst_window([float(t) for t in times], span) <= window.limit, window.name


@dataclass
class Overlap:
    """How many holders are inside at once, and the most there ever were."""

    now: int = 0
    most: int = 0

    @contextmanager
    def inside(self) -> Iterator[None]:
        self.now += 1
        self.most = max(self.most, self.now)
        try:
            yield
        finally:
            self.now -= 1


async def zcard(client: Redis, name: str) -> int:
    return int(await cast(Awaitable[Any], client.zcard(name)))
