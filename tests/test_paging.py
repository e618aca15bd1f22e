"""Auto-paging: offset and keyset pagers over fake endpoints."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from unitalk_async._paging import Page, keyset_pager, offset_pager

pytestmark = pytest.mark.anyio


class OffsetEndpoint:
    def __init__(self, rows: list[int], *, with_total: bool = True) -> None:
        self.rows = rows
        self.with_total = with_total
        self.calls: list[tuple[int, int]] = []

    async def __call__(self, offset: int, limit: int) -> Page[int]:
        self.calls.append((offset, limit))
        return self.rows[offset : offset + limit], len(self.rows) if self.with_total else None


async def test_offset_pager_walks_every_page_and_stops_on_the_total() -> None:
    endpoint = OffsetEndpoint(list(range(10)))
    assert [row async for row in offset_pager(endpoint, page_size=5)] == list(range(10))
    assert endpoint.calls == [(0, 5), (5, 5)]  # the total says there is no third page


async def test_offset_pager_without_total_stops_on_a_short_or_empty_page() -> None:
    endpoint = OffsetEndpoint(list(range(10)), with_total=False)
    assert await offset_pager(endpoint, page_size=5) == list(range(10))
    assert endpoint.calls == [(0, 5), (5, 5), (10, 5)]
    endpoint = OffsetEndpoint(list(range(7)), with_total=False)
    assert await offset_pager(endpoint, page_size=5) == list(range(7))
    assert endpoint.calls == [(0, 5), (5, 5)]


async def test_pages_progress_and_a_fresh_walk_per_iteration() -> None:
    progress: list[tuple[int, int | None]] = []
    endpoint = OffsetEndpoint(list(range(5)))
    pager = offset_pager(endpoint, page_size=2, progress=lambda d, t: progress.append((d, t)))
    assert [list(page) async for page in pager.pages()] == [[0, 1], [2, 3], [4]]
    assert progress == [(2, 5), (4, 5), (5, 5)]
    assert await pager.to_list() == [0, 1, 2, 3, 4]  # walks again from the start


class GrowingHistory:
    """Calls in descending id order; `insert_between_pages` new calls arrive after each page."""

    def __init__(self, count: int, insert_between_pages: int) -> None:
        self.ids = list(range(count, 0, -1))
        self.next_id = count + 1
        self.insert = insert_between_pages
        self.calls: list[int | None] = []

    async def __call__(self, max_id: int | None, limit: int) -> Page[int]:
        self.calls.append(max_id)
        visible = [i for i in self.ids if max_id is None or i <= max_id]
        page: Sequence[int] = visible[:limit]
        total = len(visible)
        for _ in range(self.insert):  # new calls land at the head while we read
            self.ids.insert(0, self.next_id)
            self.next_id += 1
        return page, total


async def test_keyset_pager_yields_every_record_present_at_the_start_exactly_once() -> None:
    history = GrowingHistory(25, insert_between_pages=7)
    got = await keyset_pager(history, key=lambda i: i, page_size=10)
    assert got == list(range(25, 0, -1))
    assert history.calls == [None, 15, 5]


async def test_offset_paging_over_the_same_growth_would_repeat_records() -> None:
    # Why keyset: with offsets, inserts at the head push rows already seen into later pages.
    history = GrowingHistory(25, insert_between_pages=7)

    async def by_offset(offset: int, limit: int) -> Page[int]:
        page = history.ids[offset : offset + limit]
        for _ in range(history.insert):
            history.ids.insert(0, history.next_id)
            history.next_id += 1
        return page, None

    got = await offset_pager(by_offset, page_size=10)
    assert len(got) != len(set(got))


async def test_keyset_pager_guards_against_a_service_ignoring_max_id() -> None:
    async def ignores_max_id(max_id: int | None, limit: int) -> Page[int]:
        return [5, 4, 3], 5

    assert await keyset_pager(ignores_max_id, key=lambda i: i, page_size=3) == [5, 4, 3]


async def test_keyset_pager_reports_the_first_total_and_starts_at_max_id() -> None:
    progress: list[tuple[int, int | None]] = []
    history = GrowingHistory(6, insert_between_pages=1)
    got = await keyset_pager(
        history,
        key=lambda i: i,
        page_size=2,
        max_id=4,
        progress=lambda d, t: progress.append((d, t)),
    )
    assert got == [4, 3, 2, 1]
    assert progress == [(2, 4), (4, 4), (4, 4)]


def test_page_size_must_be_positive() -> None:
    with pytest.raises(ValueError, match="page_size"):
        offset_pager(OffsetEndpoint([]), page_size=0)
    with pytest.raises(ValueError, match="page_size"):
        keyset_pager(GrowingHistory(1, 0), key=lambda i: i, page_size=0)
