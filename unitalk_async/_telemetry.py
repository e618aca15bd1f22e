"""The seam a client reports through to an observability backend (`unitalk_async.otel`).

The core never imports a backend: a client made without `telemetry=` reports nothing, and
`unitalk_async.otel` (the `[otel]` extra) is imported only by whoever passes one.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from unitalk_async._client import UnitalkClient
    from unitalk_async.governor._priority import Request


class Telemetry(Protocol):
    """What a client tells an observability backend."""

    def attach(self, client: UnitalkClient) -> None:
        """The client is made: start reporting its statistics (and its governor's)."""

    def call(self, operation: str, request: Request) -> AbstractContextManager[object]:
        """Around one call (all its attempts); `request.waited` holds the governor's wait
        when the block exits."""
