"""`client.event_handlers`: remove scheduled event handlers by phone number."""

from __future__ import annotations

from typing import Any

from unitalk_async import _operations as ops
from unitalk_async._bulk import (
    BulkResult,
    ChunkResult,
    ChunkStatus,
    Items,
    Progress,
    Rejected,
    run_bulk,
)
from unitalk_async._exceptions import InvalidItemsError
from unitalk_async._phones import normalize_phones
from unitalk_async._reference import MAX_SCHEDULED_HANDLER_PHONES
from unitalk_async.models.event_handlers import RemoveScheduledRequest
from unitalk_async.resources._base import Resource

__all__ = ["EventHandlersResource", "removed_handlers"]


def removed_handlers(result: BulkResult[Any]) -> int:
    """How many handlers a `remove_scheduled_by_phones` result removed in all."""
    return sum(chunk.data for chunk in result.chunks if isinstance(chunk.data, int))


class EventHandlersResource(Resource):
    """Scheduled event handlers: /eventHandlers/removeScheduledByPhones."""

    __slots__ = ()

    async def remove_scheduled_by_phones(
        self, phones: Items[Any], *, progress: Progress | None = None
    ) -> BulkResult[Any]:
        """Remove the scheduled event handlers of `phones`, 100 numbers per request.

        Invalid numbers come back in `result.rejected`; numbers the service still refuses
        ("Invalid phones") are rejected too and the rest of their chunk is resent. Each
        chunk's `data` is the number of handlers it removed (`removed_handlers(result)` sums
        them). The service runs one removal per project at a time, so these requests go
        through the client's "scheduled-handlers" mutex.
        """

        async def remove(chunk: list[str]) -> int:
            request = RemoveScheduledRequest(phones=chunk)
            request.validate()
            answer = await self._client._call(ops.EVENT_HANDLERS_REMOVE_SCHEDULED, request)
            return answer.data if isinstance(answer.data, int) else 0

        async def send(index: int, chunk: list[str]) -> ChunkResult:
            try:
                # The service counts handlers, not phones: which phones had any is unknown.
                return ChunkResult(index, size=len(chunk), applied=None, data=await remove(chunk))
            except InvalidItemsError as error:
                refused = {str(item) for item in error.items}
                rejected = [
                    Rejected(phone, "refused by the service: Invalid phones", by_service=True)
                    for phone in chunk
                    if phone in refused
                ]
                rest = [phone for phone in chunk if phone not in refused]
                if not rejected:  # the service named nothing we sent: do not loop
                    raise
                removed = await remove(rest) if rest else 0
                return ChunkResult(
                    index,
                    size=len(chunk),
                    applied=None if rest else 0,
                    status=ChunkStatus.DONE_WITHOUT_REJECTED
                    if rest
                    else ChunkStatus.NOTHING_APPLIED,
                    rejected=rejected,
                    message=error.message,
                    data=removed,
                )

        return await run_bulk(
            phones,
            chunk_size=MAX_SCHEDULED_HANDLER_PHONES,
            prepare=normalize_phones,
            send=send,
            progress=progress,
        )
