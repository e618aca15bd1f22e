"""The bulk machinery: lazy chunking of sync and async input, rejects, progress, results."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import anyio
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unitalk_async._bulk import (
    BulkResult,
    ChunkResult,
    ChunkStatus,
    Rejected,
    iter_batches,
    known_length,
    partial_result,
    report_progress,
    run_bulk,
)
from unitalk_async._phones import normalize_phones

pytestmark = pytest.mark.anyio


class Recorder:
    """A `send` that records chunks and answers DONE."""

    def __init__(self) -> None:
        self.chunks: list[list[str]] = []

    async def __call__(self, index: int, chunk: list[str]) -> ChunkResult:
        self.chunks.append(list(chunk))
        return ChunkResult(index, size=len(chunk), applied=len(chunk))


async def _aiter(items: list[str]) -> AsyncIterator[str]:
    for item in items:
        yield item


async def test_batches_of_a_generator_a_list_and_an_async_iterable_are_the_same() -> None:
    items = [str(i) for i in range(7)]
    expected = [items[0:3], items[3:6], items[6:7]]
    assert [b async for b in iter_batches(iter(items), 3)] == expected
    assert [b async for b in iter_batches(items, 3)] == expected
    assert [b async for b in iter_batches(_aiter(items), 3)] == expected


async def test_input_is_read_lazily_one_batch_ahead_at_most() -> None:
    pulled: list[int] = []

    def source() -> Iterator[str]:
        for i in range(10):
            pulled.append(i)
            yield f"38097000000{i}"

    seen_when_sent: list[int] = []

    async def send(index: int, chunk: list[str]) -> ChunkResult:
        seen_when_sent.append(len(pulled))
        return ChunkResult(index, size=len(chunk), applied=len(chunk))

    await run_bulk(source(), chunk_size=4, send=send)
    # when chunk k is sent, only the batch that fills it has been read
    assert seen_when_sent == [4, 8, 10]


async def test_rejects_never_cost_an_extra_request() -> None:
    # 10 valid numbers with 2 invalid ones mixed in, chunks of 5: 2 full requests, not 3
    items = (
        [f"3809700000{i:02}" for i in range(6)]
        + ["12", "x"]
        + [f"3809700000{i:02}" for i in range(6, 10)]
    )
    send = Recorder()
    result = await run_bulk(items, chunk_size=5, prepare=normalize_phones, send=send)
    assert [len(c) for c in send.chunks] == [5, 5]
    assert result.applied == 10
    assert [r.item for r in result.rejected] == ["12", "x"]
    assert result.seen == 12
    assert result.total == 12
    assert result.ok


async def test_progress_counts_input_items_and_knows_the_total_of_sized_input() -> None:
    calls: list[tuple[int, int | None]] = []
    items = [f"38097000000{i}" for i in range(5)] + ["bad"]
    await run_bulk(
        items,
        chunk_size=2,
        prepare=normalize_phones,
        send=Recorder(),
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls[-1] == (6, 6)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


async def test_progress_may_be_async_and_the_total_of_a_generator_is_unknown() -> None:
    calls: list[tuple[int, int | None]] = []

    async def progress(done: int, total: int | None) -> None:
        calls.append((done, total))

    await run_bulk((str(i) for i in range(3)), chunk_size=2, send=Recorder(), progress=progress)
    assert calls == [(2, None), (3, None)]


async def test_input_with_only_rejects_sends_nothing_and_still_reports_progress() -> None:
    calls: list[tuple[int, int | None]] = []
    send = Recorder()
    result = await run_bulk(
        ["1", "2"],
        chunk_size=10,
        prepare=normalize_phones,
        send=send,
        progress=lambda d, t: calls.append((d, t)),
    )
    assert send.chunks == []
    assert result.requests == 0
    assert len(result.rejected) == 2
    assert calls == [(2, 2)]


async def test_an_error_propagates_unchanged_with_the_result_so_far() -> None:
    class Boom(Exception):
        pass

    async def send(index: int, chunk: list[str]) -> ChunkResult:
        if index == 1:
            raise Boom
        return ChunkResult(index, size=len(chunk), applied=len(chunk))

    with pytest.raises(Boom) as caught:
        await run_bulk([str(i) for i in range(5)], chunk_size=2, send=send)
    so_far = partial_result(caught.value)
    assert so_far is not None
    assert so_far.chunks[0].applied == 2
    # Not an answer of the service: what the failed chunk did is unknown, so is the total.
    assert so_far.chunks[1].applied is None and so_far.applied is None
    assert [c.status for c in so_far.chunks] == [ChunkStatus.DONE, ChunkStatus.FAILED]
    assert so_far.chunks[1].error is caught.value
    assert not so_far.ok
    assert partial_result(ValueError()) is None


async def test_before_chunk_can_stop_before_a_chunk_is_sent() -> None:
    send = Recorder()

    def before(index: int, chunk: list[str], so_far: BulkResult[str]) -> None:
        if so_far.accepted + len(chunk) > 3:
            raise OverflowError(index)

    with pytest.raises(OverflowError):
        await run_bulk([str(i) for i in range(6)], chunk_size=2, send=send, before_chunk=before)
    assert len(send.chunks) == 1


async def test_result_aggregates_chunk_outcomes() -> None:
    result: BulkResult[str] = BulkResult(total=3)
    result.add_chunk(ChunkResult(0, size=2, applied=2))
    result.add_chunk(
        ChunkResult(
            1,
            size=1,
            applied=0,
            status=ChunkStatus.FAILED,
            rejected=[Rejected("1", "Wrong numbers", by_service=True)],
            requests=2,
        )
    )
    assert result.applied == 2
    assert result.accepted == 2  # the failed chunk's item was not taken
    assert result.requests == 2
    assert not result.ok
    result.add_chunk(ChunkResult(2, size=5, applied=None))  # "Numbers added": how many?
    assert (result.applied, result.accepted) == (None, 7)
    assert [c.index for c in result.chunks_with(ChunkStatus.FAILED)] == [1]
    assert result.rejected[0].by_service


async def test_bad_sizes_are_refused() -> None:
    with pytest.raises(ValueError, match="chunk_size"):
        await run_bulk([], chunk_size=0, send=Recorder())
    empty: list[str] = []
    with pytest.raises(ValueError, match="batch size"):
        _ = [b async for b in iter_batches(empty, 0)]


def test_known_length() -> None:
    assert known_length([1, 2]) == 2
    assert known_length(iter([1])) is None
    assert known_length(_aiter([])) is None


async def test_report_progress_without_a_callback_does_nothing() -> None:
    await report_progress(None, 1, None)


@given(
    items=st.lists(st.one_of(st.from_regex(r"\A[0-9]{7,15}\Z"), st.text(max_size=6))),
    chunk_size=st.integers(1, 7),
)
@settings(max_examples=60, deadline=None)
def test_every_valid_item_is_sent_once_in_order_in_full_chunks(
    items: list[str], chunk_size: int
) -> None:
    async def main() -> tuple[Recorder, BulkResult[str]]:
        send = Recorder()
        result = await run_bulk(
            iter(items), chunk_size=chunk_size, prepare=normalize_phones, send=send
        )
        return send, result

    send, result = anyio.run(main)
    valid, rejects = normalize_phones(items)
    assert [number for chunk in send.chunks for number in chunk] == valid
    assert all(len(chunk) == chunk_size for chunk in send.chunks[:-1])
    assert result.applied == len(valid)
    assert [r.item for r in result.rejected] == [r.item for r in rejects]
