"""A worker that uploads numbers arriving on an asyncio queue, in chunks, to an autodialer.

    UNITALK_API_KEY=... python examples/upload_worker.py AUTODIALER_ID
    python examples/upload_worker.py            # a local sandbox and a new autodialer

Producers (web handlers, a CRM feed...) `await queue.put(number)`; the worker gathers
what arrives into chunks of up to CHUNK numbers, or whatever came within FLUSH_AFTER
seconds, and adds each chunk with one `add_numbers` call. The client's governor keeps the
whole process within the API's limits however fast numbers come in; invalid numbers come
back in `result.rejected` with the reason instead of failing the chunk.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
from collections.abc import AsyncIterator
from datetime import date, timedelta

from unitalk_async import UnitalkClient, UnitalkError
from unitalk_async.models.autodial import AutodialTask
from unitalk_async.models.enums import AutodialerMode, ClientCalledMode, CrmMode

CHUNK = 10_000  # numbers per request (the API takes up to 100,000)
FLUSH_AFTER = 0.5  # seconds: a partial chunk is sent once the queue has been quiet this long
DONE = None  # put on the queue to stop the worker once it has drained


@contextlib.asynccontextmanager
async def connect() -> AsyncIterator[UnitalkClient]:
    """The real API when UNITALK_API_KEY is set, else a fresh local sandbox."""
    if os.environ.get("UNITALK_API_KEY"):
        async with UnitalkClient() as client:
            yield client
        return
    from unitalk_async.sandbox import serve_sandbox

    async with (
        serve_sandbox() as server,
        UnitalkClient(server.api_key, base_url=server.base_url) as client,
    ):
        yield client


async def next_chunk(queue: asyncio.Queue[str | None]) -> tuple[list[str], bool]:
    """Up to CHUNK numbers: waits for the first, then takes what comes within FLUSH_AFTER.
    The flag is True once DONE was seen."""
    chunk: list[str] = []
    item = await queue.get()
    while item is not DONE:
        chunk.append(item)
        if len(chunk) >= CHUNK:
            return chunk, False
        try:
            item = await asyncio.wait_for(queue.get(), FLUSH_AFTER)
        except TimeoutError:
            return chunk, False
    return chunk, True


async def worker(
    client: UnitalkClient, autodialer_id: int, queue: asyncio.Queue[str | None]
) -> int:
    """Upload chunks until DONE; returns the numbers the autodialer accepted."""
    accepted = 0
    finished = False
    while not finished:
        chunk, finished = await next_chunk(queue)
        if not chunk:
            continue
        try:
            result = await client.autodial.add_numbers(autodialer_id, chunk)
        except UnitalkError as exc:  # e.g. the autodialer was cancelled: log, keep serving
            print(f"chunk of {len(chunk):,} failed: {exc.message}", flush=True)
            continue
        accepted += result.accepted
        print(
            f"chunk of {len(chunk):,}: {result.accepted:,} accepted, "
            f"{len(result.rejected)} rejected"
            + (
                f" (e.g. {result.rejected[0].item!r}: {result.rejected[0].reason})"
                if result.rejected
                else ""
            ),
            flush=True,
        )
    return accepted


async def producer(queue: asyncio.Queue[str | None], count: int) -> None:
    """Stands in for the real source: numbers in bursts, a few of them malformed."""
    for i in range(count):
        await queue.put("12345" if i % 5_000 == 4_999 else f"+380 67 {i:07d}")
        if i % 7_000 == 0:
            await asyncio.sleep(random.uniform(0.0, 0.2))  # a pause between bursts
    await queue.put(DONE)


async def create_autodialer(client: UnitalkClient) -> int:
    data = await client.autodial.get_with_data()
    today = date.today()
    created = await client.autodial.add(
        AutodialTask(
            name="Upload worker example",
            autodialer_mode=AutodialerMode.FIXED,
            start_date=today,
            end_date=today + timedelta(days=365),  # 29 Feb has no same date next year
            time_from=["09:00"] * 7,
            time_to=["18:00"] * 7,
            crm_mode=CrmMode.DONT_SEND,
            client_called_mode=ClientCalledMode.NEVER,
            thread_count=1,
            scenario_id=next(iter(data.scenarios or {}), None),
        )
    )
    return created.id


async def main(autodialer_id: int | None, count: int) -> None:
    async with connect() as client:
        if autodialer_id is None:
            autodialer_id = await create_autodialer(client)
            print(f"created autodialer {autodialer_id}", flush=True)
        queue: asyncio.Queue[str | None] = asyncio.Queue(maxsize=50_000)  # back-pressure
        async with asyncio.TaskGroup() as tasks:
            uploaded = tasks.create_task(worker(client, autodialer_id, queue))
            tasks.create_task(producer(queue, count))
        stats = client.stats
        print(
            f"{uploaded.result():,} numbers uploaded to autodialer {autodialer_id} in "
            f"{stats.requests} requests; governor waits {stats.governor_wait_seconds:.1f} s",
            flush=True,
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("autodialer_id", type=int, nargs="?", help="default: create one")
    parser.add_argument("--count", type=int, default=25_000, help="numbers to produce")
    args = parser.parse_args()
    asyncio.run(main(args.autodialer_id, args.count))
