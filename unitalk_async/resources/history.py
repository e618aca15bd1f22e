"""`client.history`: the project's call history (/history/get), one page or all of it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime

from unitalk_async._bulk import Progress, report_progress
from unitalk_async._reference import HISTORY_MAX_LIMIT
from unitalk_async.models.calls import wire_datetime
from unitalk_async.models.history import HistoryCall, HistoryFilter, HistoryPage, HistoryRequest
from unitalk_async.resources._base import Resource
from unitalk_async.resources.calls import given

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
        page: HistoryPage = await self._client._request(
            "/history/get", json=request, response=HistoryPage, idempotent=True
        )
        return page

    async def iter(
        self,
        date_from: datetime | date | str,
        date_to: datetime | date | str,
        *,
        filter: HistoryFilter | None = None,
        limit: int = HISTORY_MAX_LIMIT,
        progress: Progress | None = None,
    ) -> AsyncIterator[HistoryCall]:
        """Every call between `date_from` and `date_to`, page after page (`limit` per page).

        Offset paging over a list that grows at its head: calls made while paging push
        older ones down, so a page may start with calls already yielded. Those are skipped
        (the previous page's ids are remembered), so nothing is yielded twice as long as
        fewer than `limit` calls arrive between two pages. Use a `date_to` in the past for
        an exact snapshot. `progress(done, total)` is called after each page.
        """
        offset = 0
        done = 0
        previous_ids: set[int] = set()
        while True:
            page = await self.get(date_from, date_to, limit=limit, offset=offset, filter=filter)
            ids: set[int] = set()
            for call in page.calls:
                ids.add(call.id)
                if call.id not in previous_ids:
                    done += 1
                    yield call
            await report_progress(progress, done, page.count)
            offset += len(page.calls)
            if len(page.calls) < limit or offset >= page.count:
                return
            previous_ids = ids
