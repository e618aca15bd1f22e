"""/lists: the project's blocked numbers and the numbers autodialers may not take."""

from __future__ import annotations

from typing import Any, Literal

import msgspec
from starlette.requests import Request
from starlette.responses import Response

from unitalk_async._reference import MAX_LIST_ITEMS_PER_REQUEST
from unitalk_async.sandbox._answers import SandboxError, success
from unitalk_async.sandbox.endpoints._request import (
    json_body,
    split_phones,
    state_of,
    validation_error,
)

ListName = Literal["BLOCKED_PHONES", "BLOCKED_FOR_AUTODIAL_PHONES"]


class BlockLists:
    """Both lists, in insertion order. The autodialer reads `blocked_for_autodial`."""

    def __init__(self) -> None:
        self.items: dict[ListName, dict[str, None]] = {
            "BLOCKED_PHONES": {},
            "BLOCKED_FOR_AUTODIAL_PHONES": {},
        }

    @property
    def blocked(self) -> dict[str, None]:
        return self.items["BLOCKED_PHONES"]

    @property
    def blocked_for_autodial(self) -> dict[str, None]:
        return self.items["BLOCKED_FOR_AUTODIAL_PHONES"]


class ListRequest(msgspec.Struct):
    list_name: ListName | None = msgspec.field(default=None, name="list")
    operation: Literal["GET", "ADD", "REMOVE"] | None = None
    items: list[Any] | None = None


async def lists_action(request: Request) -> Response:
    """/lists: GET answers the items in `data`; ADD and REMOVE take up to 100 numbers."""
    body = await json_body(request, ListRequest)
    if body.list_name is None:
        raise validation_error("list is required")
    if body.operation is None:
        raise validation_error("operation is required")
    items = state_of(request).lists.items[body.list_name]
    if body.operation == "GET":
        return success(data=list(items))
    # README "API notes": the reference lists no errors; these two texts are ours.
    if not body.items:
        raise SandboxError("items is empty")
    if len(body.items) > MAX_LIST_ITEMS_PER_REQUEST:
        raise SandboxError("Too many items")
    phones, invalid = split_phones(body.items)
    if invalid:
        # Our decision, as for ADD / ADD_NUMBERS: nothing changes, the rejects are in data.
        raise SandboxError("Wrong numbers", invalid)
    for phone in phones:
        if body.operation == "ADD":
            items[phone] = None
        else:
            items.pop(phone, None)
    return success()
