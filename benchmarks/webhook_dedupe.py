"""Exactly-once webhook handling under load, and what it costs.

50 concurrent senders (each its own keep-alive connection) post 20,000 deliveries (500
with --quick) to a `WebhookReceiver` served by uvicorn on loopback: distinct events (two
thirds call events with a call id, one third autodialer events deduplicated by body), 10 %
of them delivered twice, the two copies by different senders at about the same moment.
The handlers count each event by the number the benchmark gave it (never by the receiver's
keys), so "once" is judged independently.

Arms, interleaved in one run: (a) no seen-store (the baseline, every delivery handled), (b)
the in-process `MemorySeenStore` (the default), (c) `RedisSeenStore` shared by two
receivers on two ports, when a redis-server answers at UNITALK_TEST_REDIS_URL.
Figures: events handled twice or lost (target 0 for b and c), and each arm's throughput as
a ratio to the baseline's.
"""

from __future__ import annotations

import asyncio
import os
import random
import secrets
import socket
import time
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any
from urllib.parse import urlsplit

import httpx
import uvicorn
from _report import Figure, parse_args, print_figures, print_table, write_summary

from unitalk_async.webhooks import (
    AutodialCallEvent,
    CallEvent,
    RedisSeenStore,
    SeenStore,
    WebhookReceiver,
)

SECRET = "bench-secret"
SENDERS = 50
CALL_EVENTS = (b"CALL_NEW", b"CALL_REDIRECT", b"CALL_ANSWER", b"CALL_END")


def body(n: int) -> bytes:
    if n % 3 == 2:
        return b'{"dialName": "okna", "callState": "ANSWER", "calledCount": %d}' % n
    return b'{"event": "%s", "call": {"id": %d, "to": ["2048"]}}' % (CALL_EVENTS[n % 4], n)


def deliveries(distinct: int, seed: int) -> list[int]:
    twice = set(random.Random(seed).sample(range(distinct), distinct // 9))  # 10 % of posts
    order: list[int] = []
    for n in range(distinct):
        order += [n, n] if n in twice else [n]
    return order


def counted(receiver: WebhookReceiver, runs: Counter[int]) -> WebhookReceiver:
    @receiver.on(CallEvent)
    async def call(event: CallEvent) -> None:
        assert isinstance(event.call.id, int)
        runs[event.call.id] += 1

    @receiver.on(AutodialCallEvent)
    async def autodial(event: AutodialCallEvent) -> None:
        assert isinstance(event.called_count, int)
        runs[event.called_count] += 1

    return receiver


@asynccontextmanager
async def serving(app: Any) -> AsyncIterator[str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(app, lifespan="off", log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:  # noqa: ASYNC110 - uvicorn offers no event to wait on
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/"
    finally:
        server.should_exit = True
        await task
        sock.close()


async def post_all(urls: list[str], order: list[int]) -> tuple[float, Counter[int]]:
    statuses: Counter[int] = Counter()

    async def sender(k: int) -> None:
        async with httpx.AsyncClient(params={"token": SECRET}, timeout=60) as http:
            for position in range(k, len(order), SENDERS):
                answer = await http.post(urls[k % len(urls)], content=body(order[position]))
                statuses[answer.status_code] += 1

    began = time.perf_counter()
    await asyncio.gather(*(sender(k) for k in range(SENDERS)))
    return time.perf_counter() - began, statuses


async def run_arm(stores: Sequence[SeenStore | None], order: list[int]) -> dict[str, Any]:
    runs: Counter[int] = Counter()
    async with AsyncExitStack() as stack:
        urls = [
            await stack.enter_async_context(
                serving(counted(WebhookReceiver(secret=SECRET, seen=store), runs).app)
            )
            for store in stores
        ]
        seconds, statuses = await post_all(urls, order)
    distinct = set(order)
    return {
        "posts/s": len(order) / seconds,
        "non-200": sum(v for k, v in statuses.items() if k != 200),
        "run twice or more": sum(1 for n in distinct if runs[n] > 1),
        "lost": sum(1 for n in distinct if runs[n] == 0),
    }


def redis_url() -> str | None:
    url = os.environ.get("UNITALK_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), 2).close()
    except OSError:
        return None
    return url


async def measure(distinct: int, rounds: int) -> dict[str, list[dict[str, Any]]]:
    from unitalk_async.webhooks import MemorySeenStore

    url = redis_url()
    results: dict[str, list[dict[str, Any]]] = {"none": [], "memory": [], "redis": []}
    for round_ in range(rounds):
        order = deliveries(distinct, seed=round_)
        results["none"].append(await run_arm([None], order))
        results["memory"].append(await run_arm([MemorySeenStore()], order))
        if url is not None:
            namespace = f"bench-{secrets.token_hex(4)}"
            stores = [RedisSeenStore.from_url(url, namespace=namespace) for _ in range(2)]
            try:
                results["redis"].append(await run_arm(stores, order))
            finally:
                for store in stores:
                    keys = [k async for k in store.redis.scan_iter(match=f"{store.prefix}*")]
                    if keys:
                        await store.redis.delete(*keys)
                    await store.aclose()
    return results


def main(argv: Sequence[str] | None = None) -> list[Figure]:
    args = parse_args(__doc__.splitlines()[0], argv)
    distinct, rounds = (450, 1) if args.quick else (18000, 1)
    results = asyncio.run(measure(distinct, rounds))
    posts = len(deliveries(distinct, 0))
    rows = []
    figures = []
    baseline = sum(r["posts/s"] for r in results["none"]) / len(results["none"])
    for arm, label in (
        ("none", "no seen-store (baseline)"),
        ("memory", "MemorySeenStore"),
        ("redis", "RedisSeenStore, 2 receivers"),
    ):
        if not results[arm]:
            rows.append((label, "-", "-", "-", "-", "no redis-server"))
            continue
        rate = sum(r["posts/s"] for r in results[arm]) / len(results[arm])
        twice = max(r["run twice or more"] for r in results[arm])
        lost = max(r["lost"] for r in results[arm])
        non_200 = max(r["non-200"] for r in results[arm])
        rows.append((label, rate, rate / baseline, twice, lost, non_200))
        if arm != "none":
            figures.append(
                Figure(
                    "webhook_dedupe",
                    f"{label}: events run twice + lost",
                    float(twice + lost),
                    "0",
                    twice + lost == 0,
                )
            )
            figures.append(
                Figure("webhook_dedupe", f"{label}: throughput / baseline", rate / baseline, "-")
            )
    print_table(
        f"{posts:,} posts ({distinct:,} distinct events), {SENDERS} senders, {rounds} round(s)",
        ["arm", "posts/s", "ratio", "run twice", "lost", "non-200"],
        rows,
    )
    print_figures(figures)
    write_summary(args.summary_json, figures)
    return figures


if __name__ == "__main__":
    main()
