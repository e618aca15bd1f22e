"""`client.lists`: the blocked-number lists (BLOCKED_PHONES, BLOCKED_FOR_AUTODIAL_PHONES)."""

from __future__ import annotations

from typing import Any

from unitalk_async import _operations as ops
from unitalk_async._bulk import BulkResult, ChunkResult, Items, Progress, run_bulk
from unitalk_async._operations import Operation
from unitalk_async._phones import normalize_phones
from unitalk_async._reference import MAX_LIST_ITEMS_PER_REQUEST
from unitalk_async.models._envelope import Envelope
from unitalk_async.models.enums import ListName, ListNameLike, ListOperation
from unitalk_async.models.lists import ListRequest
from unitalk_async.resources._base import Resource

__all__ = ["ListsResource"]


class ListsResource(Resource):
    """Lists: /lists (GET, ADD, REMOVE)."""

    __slots__ = ()

    async def get(self, name: ListNameLike) -> list[str]:
        """The numbers currently in list `name`."""
        request = ListRequest(list=ListName(name), operation=ListOperation.GET)
        request.validate()
        answer = await self._client._call(ops.LISTS_GET, request)
        return answer.data if isinstance(answer.data, list) else []

    async def add(
        self, name: ListNameLike, items: Items[Any], *, progress: Progress | None = None
    ) -> BulkResult[Any]:
        """Add numbers to list `name`, 100 per request; invalid numbers come back as rejects.

        `items` may be any iterable or async iterable, read lazily. Chunks are safe to
        resend, so the client retries them after ambiguous failures; an error that still
        stops the call carries the result so far (`_bulk.partial_result(error)`).
        """
        return await self._edit(ListName(name), ops.LISTS_ADD, items, progress)

    async def remove(
        self, name: ListNameLike, items: Items[Any], *, progress: Progress | None = None
    ) -> BulkResult[Any]:
        """Remove numbers from list `name`, 100 per request; invalid ones come back as rejects."""
        return await self._edit(ListName(name), ops.LISTS_REMOVE, items, progress)

    async def _edit(
        self,
        name: ListName,
        op: Operation[Envelope[Any]],
        items: Items[Any],
        progress: Progress | None,
    ) -> BulkResult[Any]:
        ListRequest(list=name, operation=ListOperation.GET).validate()  # the list name

        async def send(index: int, chunk: list[str]) -> ChunkResult:
            request = ListRequest(list=name, operation=ListOperation(str(op.action)), items=chunk)
            request.validate()
            answer = await self._client._call(op, request)
            message = answer.message if isinstance(answer.message, str) else None
            # The answer does not say which numbers were listed (or unlisted) before.
            return ChunkResult(index, size=len(chunk), applied=None, message=message)

        return await run_bulk(
            items,
            chunk_size=MAX_LIST_ITEMS_PER_REQUEST,
            prepare=normalize_phones,
            send=send,
            progress=progress,
        )
