"""/eventHandlers/removeScheduledByPhones: drop the handlers scheduled for some numbers.

Every valid number starts with 0-3 scheduled handlers, derived from the seed and the number,
so any number a test picks has a known count until it is removed.
"""

from __future__ import annotations

import zlib
from typing import Any

import anyio
import msgspec
from starlette.requests import Request
from starlette.responses import Response

from unitalk_async._reference import MAX_SCHEDULED_HANDLER_PHONES
from unitalk_async.sandbox._answers import SandboxError, success
from unitalk_async.sandbox.endpoints._request import json_body, split_phones, state_of

MAX_HANDLERS_PER_PHONE = 3


class ScheduledHandlers:
    """The scheduled event handlers per number, and the project's single deletion slot."""

    def __init__(self, seed: int, removal_seconds: float) -> None:
        self._seed = seed
        self._removed: set[str] = set()
        self.removing = False
        # How long one deletion holds the slot: a second request meanwhile is answered
        # "Wait until the previous request is processed".
        self.removal_seconds = removal_seconds

    def count(self, phone: str) -> int:
        """Handlers scheduled for a normalised number."""
        if phone in self._removed:
            return 0
        return zlib.crc32(f"{self._seed}:{phone}".encode()) % (MAX_HANDLERS_PER_PHONE + 1)

    def remove(self, phones: list[str]) -> int:
        removed = sum(self.count(phone) for phone in phones)
        self._removed.update(phones)
        return removed


class RemoveScheduledRequest(msgspec.Struct):
    phones: list[Any] | None = None


async def remove_scheduled_by_phones(request: Request) -> Response:
    """Answers the number of handlers removed in `data`."""
    body = await json_body(request, RemoveScheduledRequest)
    if not body.phones:
        raise SandboxError("Phones is not specified")
    if len(body.phones) > MAX_SCHEDULED_HANDLER_PHONES:
        raise SandboxError("Too many phones")
    phones, invalid = split_phones(body.phones)
    if invalid:
        raise SandboxError("Invalid phones", invalid)
    handlers = state_of(request).scheduled_handlers
    if handlers.removing:
        raise SandboxError("Wait until the previous request is processed")
    handlers.removing = True
    try:
        await anyio.sleep(handlers.removal_seconds)
        removed = handlers.remove(phones)
    finally:
        handlers.removing = False
    return success(data=removed)
