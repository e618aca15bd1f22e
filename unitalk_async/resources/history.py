"""`client.history`: the project's call history (/history/get), one page or all of it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import date, datetime

from unitalk_async import _operations as ops
from unitalk_async._bulk import Progress
from unitalk_async._paging import AsyncPager, Page, offset_pager
from unitalk_async._reference import HISTORY_MAX_LIMIT
from unitalk_async.models.calls import given, wire_datetime
from unitalk_async.models.history import HistoryCall, HistoryFilter, HistoryPage, HistoryRequest
from unitalk_async.resources._base import Resource

__all__ = ["HistoryResource"]


class HistoryResource(Resource):
    """Call history: /history/get."""

    __slots__ = ()

    async def get(
        self,
        date_from: datetime | date | str,
        date_to: datetime | date | str,
        *,
        limit: int = HISTORY_MAX_LIMIT,
        offset: int = 0,
        filter: HistoryFilter | None = None,
    ) -> HistoryPage:
        """One page of calls between `date_from` and `date_to` (naive, project time),
        newest id first: `limit` 1..1000 records from `offset`; `count` is the total."""
        request = HistoryRequest(
            date_from=wire_datetime(date_from, "date_from"),
            date_to=wire_datetime(date_to, "date_to"),
            limit=limit,
            offset=offset,
            filter=given(filter),
        )
        request.validate()
        return await self._client._call(ops.HISTORY_GET, request)

    def iter(
        self,
        date_from: datetime | date | str,
        date_to: datetime | date | str,
        *,
        filter: HistoryFilter | None = None,
        limit: int = HISTORY_MAX_LIMIT,
        progress: Progress | None = None,
    ) -> AsyncPager[HistoryCall]:
        """Every call between `date_from` and `date_to`: `async for` them, or `await` a list.

        Pages of `limit` (1000, the most the API allows) by offset. The list grows at its
        head while we read: calls made meanwhile push older ones down, so a page may start
        with calls already yielded. Those are skipped (the previous page's ids are kept),
        so nothing is yielded twice while fewer than `limit` calls arrive between two pages.
        A `date_to` in the past gives an exact snapshot. `progress(done, total)` follows
        each page. Arguments are checked now, before any request.
        """
        HistoryRequest(
            date_from=wire_datetime(date_from, "date_from"),
            date_to=wire_datetime(date_to, "date_to"),
            limit=limit,
            filter=given(filter),
        ).validate()

        async def fetch(offset: int, page_size: int) -> Page[HistoryCall]:
            page = await self.get(date_from, date_to, limit=page_size, offset=offset, filter=filter)
            return page.calls, page.count

        pager = offset_pager(fetch, page_size=limit, progress=progress)

        async def pages() -> AsyncIterator[Sequence[HistoryCall]]:
            previous: set[int] = set()
            async for page in pager.pages():
                fresh = [call for call in page if call.id not in previous]
                previous = {call.id for call in page}
                if fresh:
                    yield fresh

        return AsyncPager(pages)
