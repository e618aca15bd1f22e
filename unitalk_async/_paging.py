"""Auto-paging: async iterators over every record of a paged endpoint.

`AsyncPager` is what `iter_*` methods return. It is async-iterable (records one by one,
fetching a page when the previous one is used up) and awaitable (every record in a list):

    async for number in client.autodial.iter_numbers(42):
        ...
    calls = await client.autodial.iter_calls_history(42)    # list[AutodialerCall]
    async for page in client.autodial.iter_numbers(42).pages():
        ...

Two ways to walk pages:

- `offset_pager(fetch, page_size=...)`: `fetch(offset, limit)` returns one page and the
  total if the endpoint gives it (GET_NUMBERS, /history/get).
- `keyset_pager(fetch, key=..., page_size=...)`: for lists in descending id order that
  grow at their head while we read (GET_CALLS_HISTORY with `maxId`). Each page asks for
  ids up to one below the last id seen, so records inserted during the walk are never
  reached and none is skipped or repeated.

Each pager calls `progress(done, total_or_None)` after every page.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Sequence
from typing import Any, Generic, TypeVar

from unitalk_async._bulk import Progress, report_progress
from unitalk_async.governor._priority import Flow, Priority, work

__all__ = ["AsyncPager", "Page", "keyset_pager", "offset_pager"]

T = TypeVar("T")

#: The governor's class of a paging walk's requests, unless the caller chose one; each walk
#: is one flow (concurrent walks share the key round robin).
WALK_PRIORITY: Priority = "bulk"

#: One fetched page: its records and the total number of records, when the service says.
Page = tuple[Sequence[T], int | None]


class AsyncPager(Generic[T]):
    """Every record of a paged query: `async for` them, or `await` for them all in a list.

    Each iteration starts a fresh walk from the first page.
    """

    __slots__ = ("_pages",)

    def __init__(self, pages: Callable[[], AsyncIterator[Sequence[T]]]) -> None:
        self._pages = pages

    def pages(self) -> AsyncIterator[Sequence[T]]:
        """The pages themselves, one list per request."""
        return self._pages()

    async def _items(self) -> AsyncIterator[T]:
        async for page in self._pages():
            for item in page:
                yield item

    def __aiter__(self) -> AsyncIterator[T]:
        return self._items()

    async def to_list(self) -> list[T]:
        """Every record, in order (holds them all in memory)."""
        return [item async for item in self._items()]

    def __await__(self) -> Generator[Any, None, list[T]]:
        return self.to_list().__await__()


def offset_pager(
    fetch: Callable[[int, int], Awaitable[Page[T]]],
    *,
    page_size: int,
    offset: int = 0,
    progress: Progress | None = None,
) -> AsyncPager[T]:
    """Pages by `offset`/`limit` until a short page or the total is reached."""
    if page_size < 1:
        raise ValueError(f"page_size must be >= 1, got {page_size}")

    async def pages() -> AsyncIterator[Sequence[T]]:
        position = offset
        done = 0
        flow = Flow(WALK_PRIORITY)
        while True:
            with work(flow):
                items, total = await fetch(position, page_size)
            done += len(items)
            await report_progress(progress, done, total)
            if items:
                yield items
            position += len(items)
            if len(items) < page_size or (total is not None and position >= total):
                return

    return AsyncPager(pages)


def keyset_pager(
    fetch: Callable[[int | None, int], Awaitable[Page[T]]],
    *,
    key: Callable[[T], int],
    page_size: int,
    max_id: int | None = None,
    progress: Progress | None = None,
) -> AsyncPager[T]:
    """Pages a descending-id list by `maxId` (inclusive): next page's max = last id - 1.

    `fetch(max_id, limit)` gets records with id <= max_id (no bound when None), newest
    first. The total of the first page is reported to `progress` as the total.
    """
    if page_size < 1:
        raise ValueError(f"page_size must be >= 1, got {page_size}")

    async def pages() -> AsyncIterator[Sequence[T]]:
        bound = max_id
        done = 0
        first_total: int | None = None
        first = True
        flow = Flow(WALK_PRIORITY)
        while True:
            with work(flow):
                items, total = await fetch(bound, page_size)
            if first:
                first_total, first = total, False
            # Guard against a service that ignores maxId: never yield an id twice.
            if bound is not None:
                items = [item for item in items if key(item) <= bound]
            done += len(items)
            await report_progress(progress, done, first_total)
            if items:
                yield items
            if len(items) < page_size:
                return
            bound = key(items[-1]) - 1
            if bound < 0:
                return

    return AsyncPager(pages)
