"""What sharing the governor through Redis costs, against the in-process governor.

(1) Admission overhead: slots entered and left with limits too wide to ever wait, one
    after another and 50 at a time, through `LocalGovernor` and `RedisGovernor` in the
    same run: time per slot, the time Redis adds, the ratio, Redis round trips per slot.
(2) Per request over loopback: `client.post("/users/list")` to the sandbox (its limits
    off), one after another, through each governor: the latency Redis adds to a request.
(3) Saturated and shared: four governors (as four processes would) on one namespace
    with the API's limits scaled down 20x, a backlog waiting on the windows: round
    trips per admitted request when requests wait (one more call per wait).
(4) Bound by the in-flight cap: three governors, 4 slots between them, requests of
    50 ms: throughput against the ideal (slots x time / work). A release wakes the
    waiter whose turn it is, so slots do not sit idle until a poll.
(5) Network: two governors with the default limits send a backlog (105; `--quick`: 45)
    to the sandbox behind an emulated WAN, against `aiolimiter.AsyncLimiter(30, 10)` over
    the same: the span the server saw against the exact-window schedule's (target >= 0.97)
    and the worst windows at the server.

Needs a redis-server: UNITALK_TEST_REDIS_URL (default redis://127.0.0.1:6379/15); the
benchmark uses a namespace of its own and deletes its keys afterwards.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from _report import Figure, parse_args, print_figures, print_table, write_summary
from redis.asyncio import Redis

from unitalk_async import UnitalkClient
from unitalk_async.governor import Governor, Limits, LocalGovernor, RateWindow
from unitalk_async.governor.redis import RedisGovernor
from unitalk_async.sandbox import SandboxConfig, run_sandbox

REDIS_URL = os.environ.get("UNITALK_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
#: Limits no benchmark load reaches: what is measured is the cost of admission itself.
WIDE = Limits(
    max_in_flight=1000,
    windows=(RateWindow(1_000_000, 1.0),),
    analytics_in_flight=10,
    permanent_block_per_10_seconds=10**9,
)


@dataclass(frozen=True)
class Timing:
    name: str
    count: int
    seconds: float
    round_trips: float  # per admitted slot (0 for the local governor)

    @property
    def per_slot_us(self) -> float:
        return self.seconds / self.count * 1e6


async def time_slots(governor: Governor, count: int, concurrency: int, hold: float) -> float:
    per_task = count // concurrency

    async def task() -> None:
        for _ in range(per_task):
            async with governor.slot():
                if hold:
                    await asyncio.sleep(hold)

    async with governor.slot():  # connect and load the scripts outside the measurement
        pass
    began = time.perf_counter()
    await asyncio.gather(*(task() for _ in range(concurrency)))
    return time.perf_counter() - began


def round_trips(governor: Governor, before: tuple[int, int]) -> float:
    if not isinstance(governor, RedisGovernor):
        return 0.0
    stats = governor.statistics()
    return (stats.round_trips - before[0]) / max(1, stats.admitted - before[1])


def snapshot(governor: Governor) -> tuple[int, int]:
    if isinstance(governor, RedisGovernor):
        stats = governor.statistics()
        return stats.round_trips, stats.admitted
    return 0, 0


async def admission(count: int, concurrency: int, hold: float, namespace: str) -> list[Timing]:
    timings = []
    for name, make in governors(namespace):
        governor = make()
        await time_slots(governor, concurrency, concurrency, 0.0)  # warm up
        before = snapshot(governor)
        seconds = await time_slots(governor, count, concurrency, hold)
        timings.append(Timing(name, count, seconds, round_trips(governor, before)))
        await governor.aclose()
    return timings


def governors(namespace: str) -> list[tuple[str, Callable[[], Governor]]]:
    return [
        ("LocalGovernor", lambda: LocalGovernor(WIDE)),
        (
            "RedisGovernor",
            lambda: RedisGovernor.from_url(REDIS_URL, limits=WIDE, namespace=namespace),
        ),
    ]


async def loopback(count: int, namespace: str) -> list[Timing]:
    timings = []
    with run_sandbox(SandboxConfig(seed=1, enforce_limits=False)) as server:
        for name, make in governors(namespace):
            governor = make()
            async with UnitalkClient(
                server.api_key, base_url=server.base_url, governor=governor
            ) as client:
                for _ in range(20):  # warm up: connections, scripts, the sandbox's caches
                    await client.post("/users/list")
                before = snapshot(governor)
                began = time.perf_counter()
                for _ in range(count):
                    await client.post("/users/list")
                seconds = time.perf_counter() - began
                timings.append(Timing(name, count, seconds, round_trips(governor, before)))
            await governor.aclose()
    return timings


async def saturated(count: int, workers: int, namespace: str) -> tuple[float, float]:
    """Round trips per admitted request, and seconds, for a shared backlog that waits."""
    limits = Limits.scaled(0.05)
    made = [
        RedisGovernor.from_url(REDIS_URL, limits=limits, namespace=namespace + "-saturated")
        for _ in range(workers)
    ]

    async def one(governor: RedisGovernor) -> None:
        async with governor.slot():
            await asyncio.sleep(0.002)

    began = time.perf_counter()
    await asyncio.gather(*(one(g) for g in made for _ in range(count // workers)))
    seconds = time.perf_counter() - began
    trips = sum(g.statistics().round_trips for g in made)
    admitted = sum(g.statistics().admitted for g in made)
    for g in made:
        await g.aclose()
    return trips / admitted, seconds


async def in_flight_bound(count: int, namespace: str) -> tuple[float, float]:
    """Efficiency (ideal seconds / seconds) and round trips per request when the shared
    in-flight cap, not the windows, is what requests wait for."""
    limits = Limits(
        max_in_flight=4,
        windows=WIDE.windows,
        analytics_in_flight=2,
        permanent_block_per_10_seconds=WIDE.permanent_block_per_10_seconds,
    )
    made = [
        RedisGovernor.from_url(REDIS_URL, limits=limits, namespace=namespace + "-in-flight")
        for _ in range(3)
    ]
    hold = 0.05

    async def one(governor: RedisGovernor) -> None:
        async with governor.slot():
            await asyncio.sleep(hold)

    began = time.perf_counter()
    await asyncio.gather(*(one(g) for g in made for _ in range(count // 3)))
    seconds = time.perf_counter() - began
    trips = sum(g.statistics().round_trips for g in made) / (count // 3 * 3)
    for g in made:
        await g.aclose()
    return (count // 3 * 3) * hold / limits.max_in_flight / seconds, trips


#: The emulated network of the "network" row: a 50-ms round trip with 0-100 ms of jitter
#: each way (one-way trips of 25-125 ms), 0.15-s handshakes per new connection.
NETWORK = SandboxConfig(seed=7, enforce_limits=False, connection_setup=0.15, latency=(0.025, 0.125))


@dataclass(frozen=True)
class NetworkRun:
    name: str
    arrivals: list[float]
    worst_1s: int
    worst_10s: int
    most_in_flight: int

    @property
    def ratio(self) -> float:
        """The exact-window schedule's span over the span the server saw."""
        return ideal_span(len(self.arrivals)) / (self.arrivals[-1] - self.arrivals[0])

    @property
    def over(self) -> int:
        return (self.worst_1s > 15) + (self.worst_10s > 30) + (self.most_in_flight > 20)


def ideal_span(count: int) -> float:
    starts: list[float] = []
    for i in range(count):
        t = starts[-1] if starts else 0.0
        if i >= 15:
            t = max(t, starts[i - 15] + 1.0)
        if i >= 30:
            t = max(t, starts[i - 30] + 10.0)
        starts.append(t)
    return starts[-1] - starts[0]


async def over_the_network(count: int, namespace: str) -> list[NetworkRun]:
    """The default limits, two `RedisGovernor`s (as two processes), against the sandbox
    behind an emulated WAN (its limits off: its arrival log judges); then the naive
    baseline, `aiolimiter.AsyncLimiter(30, 10)` and an in-flight semaphore, over the same."""
    from aiolimiter import AsyncLimiter

    runs = []
    with run_sandbox(NETWORK) as server:
        governors = [
            RedisGovernor.from_url(REDIS_URL, namespace=f"{namespace}-net", limits=Limits())
            for _ in range(2)
        ]
        clients = [
            UnitalkClient(
                server.api_key,
                base_url=server.base_url,
                governor=g,
                http_transport=server.http_transport(),
            )
            for g in governors
        ]
        await asyncio.gather(*(c.post("/users/list") for c in clients))
        server.sandbox.reset()
        await asyncio.gather(*(clients[i % 2].post("/users/list") for i in range(count)))
        for c, g in zip(clients, governors, strict=True):
            await c.aclose()
            await g.aclose()
        runs.append(network_run("(a) RedisGovernor x 2", server))

        server.sandbox.reset()
        limiter, in_flight = AsyncLimiter(30, 10), asyncio.Semaphore(20)
        async with server.http_transport() as transport:
            import httpx

            async with httpx.AsyncClient(transport=transport) as raw:

                async def one() -> None:
                    async with in_flight, limiter:
                        await raw.post(
                            f"{server.base_url}/users/list",
                            headers={"Authorization": server.api_key},
                        )

                await asyncio.gather(*(one() for _ in range(count)))
        runs.append(network_run("(b) AsyncLimiter(30, 10)", server))
    return runs


def network_run(name: str, server: Any) -> NetworkRun:
    arrivals = server.sandbox.arrivals
    return NetworkRun(
        name,
        sorted(a.time for a in arrivals.entries),
        arrivals.worst_window(1.0),
        arrivals.worst_window(10.0),
        arrivals.max_in_flight,
    )


async def cleanup(namespace: str) -> None:
    client = Redis.from_url(REDIS_URL)
    names = [k async for k in client.scan_iter(match=f"*{{{namespace}*")]
    if names:
        await client.delete(*names)
    await client.aclose()


def rows(timings: Sequence[Timing]) -> list[tuple[object, ...]]:
    local = timings[0]
    return [
        (
            t.name,
            t.count,
            t.per_slot_us,
            t.per_slot_us - local.per_slot_us,
            t.per_slot_us / local.per_slot_us,
            t.round_trips,
        )
        for t in timings
    ]


def run(main: Callable[[], Awaitable[list[Figure]]]) -> list[Figure]:
    return asyncio.run(main())


def main(argv: Sequence[str] | None = None) -> list[Figure]:
    args = parse_args(__doc__.splitlines()[0], argv)
    count = 300 if args.quick else 3000
    namespace = f"bench-{secrets.token_hex(4)}"
    headers = ["governor", "slots", "us per slot", "added us", "ratio", "round trips"]

    async def measure() -> list[Figure]:
        try:
            sequential = await admission(count, 1, 0.0, namespace)
            concurrent = await admission(count, 50, 0.001, namespace)
            over_http = await loopback(count // 10 if args.quick else count // 5, namespace)
            waiting_trips, _ = await saturated(120, 4, namespace)
            efficiency, bound_trips = await in_flight_bound(60 if args.quick else 240, namespace)
            network = await over_the_network(45 if args.quick else 105, namespace)
        finally:
            await cleanup(namespace)
            await cleanup(f"{namespace}-net")
        print_table(
            "(1a) Admission, one slot at a time (limits never wait)", headers, rows(sequential)
        )
        print_table("(1b) Admission, 50 tasks, each slot held 1 ms", headers, rows(concurrent))
        print_table(
            "(2) A request over loopback to the sandbox, one at a time",
            ["governor", "requests", "us per request", "added us", "ratio", "round trips"],
            rows(over_http),
        )
        print_table(
            "(3) Shared backlog waiting on the windows (4 governors, limits scaled 0.05)",
            ["", "round trips per admitted request"],
            [("RedisGovernor", waiting_trips)],
        )
        print_table(
            "(4) Bound by the in-flight cap (3 governors, 4 slots, 50-ms requests)",
            ["", "throughput / ideal", "round trips per request"],
            [("RedisGovernor", efficiency, bound_trips)],
        )
        print_table(
            "(5) Network: the default limits over an emulated WAN (50-ms round trip, 0-100 ms "
            "of jitter each way, 0.15-s handshakes), counted at the sandbox on arrival",
            ["contender", "requests", "ratio", "worst 1 s", "worst 10 s", "most in flight"],
            [
                (r.name, len(r.arrivals), r.ratio, r.worst_1s, r.worst_10s, r.most_in_flight)
                for r in network
            ],
        )
        redis_seq, redis_http = sequential[1], over_http[1]
        ours, naive = network
        return [
            Figure(
                "redis_governor",
                "network: (a) ratio to theoretical max",
                ours.ratio,
                ">= 0.97",
                ours.ratio >= 0.97,
            ),
            Figure(
                "redis_governor",
                "network: (a) limits over at the server",
                ours.over,
                "0",
                ours.over == 0,
            ),
            Figure("redis_governor", "network: (b) ratio", naive.ratio, "baseline"),
            Figure("redis_governor", "network: (b) worst 10-s window", naive.worst_10s, "baseline"),
            Figure(
                "redis_governor",
                "round trips per slot (no wait)",
                redis_seq.round_trips,
                "2",
                redis_seq.round_trips <= 2.0,
            ),
            Figure(
                "redis_governor",
                "round trips per request (waiting)",
                waiting_trips,
                "informational",
            ),
            Figure(
                "redis_governor",
                "in-flight bound: throughput / ideal",
                efficiency,
                "informational",
            ),
            Figure(
                "redis_governor",
                "added latency per slot",
                redis_seq.per_slot_us - sequential[0].per_slot_us,
                "informational",
                unit="us",
            ),
            Figure(
                "redis_governor",
                "latency ratio per request over loopback",
                redis_http.per_slot_us / over_http[0].per_slot_us,
                "informational",
            ),
            Figure(
                "redis_governor",
                "added latency per request over loopback",
                redis_http.per_slot_us - over_http[0].per_slot_us,
                "informational",
                unit="us",
            ),
        ]

    figures = run(measure)
    print_figures(figures, "Redis governor: headline figures")
    write_summary(args.summary_json, figures)
    return figures


if __name__ == "__main__":
    main()
