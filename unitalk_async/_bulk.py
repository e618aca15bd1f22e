"""Bulk operations: lazy chunking of (async) iterables, progress, and aggregated results.

An endpoint that takes more items than one request may carry (ADD_NUMBERS, REMOVE_NUMBERS,
/lists, /message/sendBulk, ...) feeds its input through `run_bulk`:

    result = await run_bulk(
        numbers,                      # any Iterable or AsyncIterable, read lazily
        chunk_size=100,               # the reference's cap per request
        prepare=normalize_phones,     # batch -> (valid items, rejected items); optional
        send=send_chunk,              # async (index, chunk) -> ChunkResult
        progress=progress,            # progress(done, total_or_None), sync or async
    )

Input is consumed one batch at a time and valid items are regrouped into full chunks, so
memory stays bounded by about two chunks and rejects never cost an extra request. Every
chunk's outcome lands in a `BulkResult`. If `send` raises, the error propagates unchanged
with the result so far attached (the failed chunk last, status FAILED): `partial_result(exc)`
returns it.

Results say what the service said, no more: `applied` is None ("unknown") where the answer
does not tell how many items it changed (ADD_NUMBERS answers "Numbers added" whether it
added one number of the chunk or all), and `requests` counts HTTP attempts, retries
included, as `client.stats` does.
"""

from __future__ import annotations

import contextlib
import inspect
import itertools
from collections.abc import (
    AsyncIterable,
    AsyncIterator,
    Awaitable,
    Callable,
    Iterable,
    Sequence,
    Sized,
)
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Generic, TypeAlias, TypeVar

from unitalk_async._exceptions import APIError
from unitalk_async._stats import count_attempts
from unitalk_async.governor._priority import Flow, work

__all__ = [
    "BulkResult",
    "ChunkResult",
    "ChunkStatus",
    "Items",
    "Progress",
    "Rejected",
    "iter_batches",
    "known_length",
    "partial_result",
    "report_progress",
    "run_bulk",
]

if TYPE_CHECKING:
    # A default (PEP 696) keeps a bare `Rejected` meaning `Rejected[Any]` to type checkers;
    # at run time the plain TypeVar does the same.
    from typing_extensions import TypeVar as DefaultedTypeVar

    T = DefaultedTypeVar("T", default=Any)
else:
    T = TypeVar("T")
U = TypeVar("U")

#: What bulk methods accept: anything iterable, sync or async (a generator over a CSV...).
Items: TypeAlias = Iterable[T] | AsyncIterable[T]
#: `progress(done, total)`: items processed so far, and the total when it is known.
#: May be a plain function or a coroutine function.
Progress: TypeAlias = Callable[[int, int | None], Any]

_RESULT_ATTR = "bulk_result"


@dataclass(frozen=True, slots=True)
class Rejected(Generic[T]):
    """An input item that was not (or could not be) applied, and why.

    `Rejected[str]` for a phone number passed as text; a bulk call's `BulkResult[T]` holds
    `Rejected[T]` for the `T` items it takes.
    """

    item: T  #: as the caller passed it
    reason: str
    by_service: bool = False  #: False: refused by the client before sending


class ChunkStatus(StrEnum):
    """What happened to one chunk."""

    DONE = "done"
    #: the service rejected some items ("Wrong numbers"); the chunk was resent without them
    DONE_WITHOUT_REJECTED = "done_without_rejected"
    #: the service applied nothing because every item was already there ("Numbers not added")
    ALREADY_PRESENT = "already_present"
    #: the first attempt's answer was lost and the resend was answered "already done"
    #: ("Numbers not added", "Numbers not found"): the chunk's end state is the one asked
    #: for, but whether the lost attempt or an earlier one made it is unknown (`applied` None)
    CONFIRMED_BY_RESEND = "confirmed_by_resend"
    #: nothing was applied (e.g. every item of the chunk was rejected by the service)
    NOTHING_APPLIED = "nothing_applied"
    FAILED = "failed"


@dataclass(slots=True)
class ChunkResult:
    """The outcome of one chunk (one call, or two when rejects had to be dropped)."""

    index: int
    size: int  #: items in the chunk as first sent
    #: items the service says it changed (added, removed, sent...); None when its answer
    #: does not tell (a success without a count)
    applied: int | None
    status: ChunkStatus = ChunkStatus.DONE
    rejected: list[Rejected[Any]] = field(default_factory=list)  #: by the service
    requests: int = 0  #: HTTP attempts for this chunk, retries included (set by run_bulk)
    message: str | None = None  #: the service's message, if any
    data: Any = None  #: endpoint-specific payload (per-message ids...)
    error: BaseException | None = None  #: set when status is FAILED

    @property
    def accepted(self) -> int:
        """Items the service took without refusing them (0 for a FAILED chunk): e.g. the
        numbers an ADD_NUMBERS chunk leaves in the autodialer, added now or before."""
        if self.status is ChunkStatus.FAILED:
            return 0
        return self.size - sum(1 for item in self.rejected if item.by_service)


@dataclass(slots=True)
class BulkResult(Generic[T]):
    """The aggregate of a bulk call: counts, every rejected item with its reason, each chunk."""

    total: int | None = None  #: input items, when known up front
    seen: int = 0  #: input items read
    rejected: list[Rejected[T]] = field(default_factory=list)  #: client-side and by the service
    chunks: list[ChunkResult] = field(default_factory=list)

    @property
    def applied(self) -> int | None:
        """Items the service says it changed, over all chunks; None ("unknown") when any
        chunk's answer did not tell (see `accepted` for what it took)."""
        counts = [chunk.applied for chunk in self.chunks]
        return None if None in counts else sum(count or 0 for count in counts)

    @property
    def accepted(self) -> int:
        """Items the service took without refusing them, over all chunks."""
        return sum(chunk.accepted for chunk in self.chunks)

    @property
    def requests(self) -> int:
        """HTTP attempts, retries included (what `client.stats` counts for the same calls)."""
        return sum(chunk.requests for chunk in self.chunks)

    @property
    def ok(self) -> bool:
        """True when no chunk failed (rejected items do not make a result fail)."""
        return all(chunk.status is not ChunkStatus.FAILED for chunk in self.chunks)

    def chunks_with(self, status: ChunkStatus) -> list[ChunkResult]:
        return [chunk for chunk in self.chunks if chunk.status is status]

    def add_chunk(self, chunk: ChunkResult) -> None:
        self.chunks.append(chunk)
        self.rejected.extend(chunk.rejected)


def known_length(items: object) -> int | None:
    """`len(items)` for sized collections; None for iterators, generators and async input."""
    return len(items) if isinstance(items, Sized) else None


async def iter_batches(items: Items[T], size: int) -> AsyncIterator[list[T]]:
    """Yield lists of up to `size` items, reading `items` lazily (sync or async)."""
    if size < 1:
        raise ValueError(f"batch size must be >= 1, got {size}")
    if isinstance(items, AsyncIterable):
        batch: list[T] = []
        async for item in items:
            batch.append(item)
            if len(batch) >= size:
                yield batch
                batch = []
        if batch:
            yield batch
        return
    if isinstance(items, Sequence):
        for start in range(0, len(items), size):
            yield list(items[start : start + size])
        return
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


async def report_progress(progress: Progress | None, done: int, total: int | None) -> None:
    """Call `progress(done, total)`, awaiting it when it is a coroutine function."""
    if progress is None:
        return
    outcome = progress(done, total)
    if inspect.isawaitable(outcome):
        await outcome


def partial_result(exc: BaseException) -> BulkResult[Any] | None:
    """The result so far of the bulk call that raised `exc`, or None if not from one."""
    result = getattr(exc, _RESULT_ATTR, None)
    return result if isinstance(result, BulkResult) else None


def _attach(exc: BaseException, result: BulkResult[Any]) -> None:
    if partial_result(exc) is None:
        with contextlib.suppress(AttributeError):  # exceptions with __slots__
            setattr(exc, _RESULT_ATTR, result)


async def run_bulk(
    items: Items[T],
    *,
    chunk_size: int,
    send: Callable[[int, list[U]], Awaitable[ChunkResult]],
    prepare: Callable[[list[T]], tuple[list[U], list[Rejected[T]]]] | None = None,
    progress: Progress | None = None,
    total: int | None = None,
    before_chunk: Callable[[int, list[U], BulkResult[T]], None] | None = None,
) -> BulkResult[T]:
    """Send `items` in chunks of at most `chunk_size`, lazily, and aggregate the outcome.

    `prepare` maps a batch of input items to (valid items to send, rejected items); items
    it rejects are never sent. `before_chunk(index, chunk, result_so_far)` may raise to stop
    before a chunk is sent (e.g. a cap that the chunk would cross). `progress` is called
    after each chunk with the number of input items processed (sent or rejected).
    `total` defaults to `len(items)` when items is sized.

    If `send` or `before_chunk` raises, the exception propagates with the result so far
    attached (`partial_result(exc)`).
    """
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be >= 1, got {chunk_size}")
    result: BulkResult[T] = BulkResult(total=total if total is not None else known_length(items))
    # One flow per bulk call: concurrent bulk calls share the key round robin.
    flow = Flow("bulk")
    pending: list[U] = []
    # input items behind `pending` and not yet reported as done
    pending_inputs = 0
    done = 0
    reported = -1
    index = 0

    async def flush(chunk: list[U], inputs: int) -> None:
        nonlocal index, done, reported
        if before_chunk is not None:
            before_chunk(index, chunk, result)
        with count_attempts() as counted, work(flow):
            try:
                outcome = await send(index, chunk)
            except Exception as exc:
                # Recorded so the partial result shows which chunk failed. An error answer
                # means nothing was applied, unless this or an earlier attempt's failure
                # (a lost answer, a gateway's page) left it unknown.
                known = isinstance(exc, APIError) and not exc.may_have_landed
                applied = 0 if known else None
                failed = ChunkResult(
                    index, size=len(chunk), applied=applied, status=ChunkStatus.FAILED
                )
                failed.error = exc
                failed.requests = counted.attempts
                result.add_chunk(failed)
                raise
        outcome.requests = counted.attempts
        result.add_chunk(outcome)
        index += 1
        done += inputs
        reported = done
        await report_progress(progress, done, result.total)

    try:
        async for batch in iter_batches(items, chunk_size):
            result.seen += len(batch)
            if prepare is None:
                valid: list[Any] = batch
                rejects: list[Rejected[T]] = []
            else:
                valid, rejects = prepare(batch)
            result.rejected.extend(rejects)
            done += len(rejects)
            if not pending and len(valid) == chunk_size:
                await flush(valid, len(valid))  # the common case: no copy
                continue
            pending.extend(valid)
            pending_inputs += len(valid)
            while len(pending) >= chunk_size:
                chunk, pending = pending[:chunk_size], pending[chunk_size:]
                pending_inputs -= chunk_size
                await flush(chunk, chunk_size)
        if pending:
            chunk, pending = pending, []
            await flush(chunk, pending_inputs)
            pending_inputs = 0
        if done != reported:  # trailing rejects, or nothing sent at all
            await report_progress(progress, done, result.total)
    except BaseException as exc:
        _attach(exc, result)
        raise
    return result
