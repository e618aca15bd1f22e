"""Three workloads on one key: interactive calls while two bulk flows saturate it.

Two paging walks (one request at a time each, the next as soon as the previous answered,
0.1 s service time) keep the key busy; interactive calls arrive as a Poisson stream at
0.2/s. Contenders, on trio's `MockClock` (virtual time), same seed:

(a) `LocalGovernor` with priority classes: the walks as `bulk` (two flows), the calls as
    `interactive`;
(b) the same governor with every request in one FIFO (one class, one flow): what the
    governor did before classes.

Then, unless `--quick`, a shorter real-time run of (a) against a sandbox process enforcing
the real limits: two `client.history.iter` walks and `users.list` calls from a
`with_options(priority="interactive")` view; the server logs every arrival.

Figures: interactive admission wait p99 (target <= 1 s), bulk throughput over the capacity
the interactive calls leave (3/s minus their rate; target >= 0.9), each bulk flow's share of
the bulk starts over half (target within 10 %), window violations at the server (target 0).
"""

from __future__ import annotations

import asyncio
import math
import random
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import anyio
import trio
import trio.testing
from _report import Figure, parse_args, print_figures, print_table, write_summary

from unitalk_async import Limits, LocalGovernor
from unitalk_async.governor import Flow, Priority, requesting
from unitalk_async.sandbox.limits import worst_window

RATE = 0.2  # interactive calls per second
SERVICE_TIME = 0.1
SEED = 18


@dataclass
class Schedule:
    name: str
    seconds: float
    starts: list[float] = field(default_factory=list)
    bulk: dict[str, int] = field(default_factory=dict)
    interactive_waits: list[float] = field(default_factory=list)
    violations: int = 0
    rejected: int = 0

    @property
    def p99(self) -> float:
        ordered = sorted(self.interactive_waits)
        if not ordered:
            return math.nan
        return ordered[min(len(ordered) - 1, math.ceil(0.99 * len(ordered)) - 1)]

    @property
    def bulk_ratio(self) -> float:
        rate = len(self.interactive_waits) / self.seconds
        return sum(self.bulk.values()) / ((Limits().theoretical_rate - rate) * self.seconds)

    @property
    def worst_share(self) -> float:
        """The bulk flow furthest from half of the bulk starts, as a fraction of half."""
        half = sum(self.bulk.values()) / 2
        return max(abs(count / half - 1.0) for count in self.bulk.values()) if half else 1.0


async def drive(
    walk: Callable[[str], Awaitable[None]], call: Callable[[], Awaitable[None]], seconds: float
) -> None:
    """Two bulk walks ("a", "b") and Poisson interactive calls, for `seconds`."""
    rng = random.Random(SEED)
    with anyio.move_on_after(seconds):
        async with anyio.create_task_group() as tg:
            tg.start_soon(walk, "a")
            tg.start_soon(walk, "b")
            while True:
                await anyio.sleep(rng.expovariate(RATE))
                tg.start_soon(call)


def simulate(name: str, seconds: float, *, classes: bool) -> Schedule:
    schedule = Schedule(name, seconds)
    fifo = Flow()

    async def one(cls: Priority, flow: Flow) -> float:
        asked = anyio.current_time()
        with requesting(cls if classes else "default", flow if classes else fifo):
            async with governor.slot():
                now = anyio.current_time()
                schedule.starts.append(now)
                await anyio.sleep(SERVICE_TIME)
        return now - asked

    async def walk(label: str) -> None:
        flow = Flow("bulk")
        while True:
            await one("bulk", flow)
            schedule.bulk[label] = schedule.bulk.get(label, 0) + 1

    async def call() -> None:
        schedule.interactive_waits.append(await one("interactive", Flow()))

    governor = LocalGovernor(Limits())
    trio.run(drive, walk, call, seconds, clock=trio.testing.MockClock(autojump_threshold=0))
    starts = sorted(schedule.starts)
    schedule.violations = sum(
        worst_window(starts, w.seconds) > w.limit for w in governor.limits.windows
    )
    return schedule


def run_sandbox(seconds: float) -> Schedule:
    """(a) in real time, through a `UnitalkClient`, against a sandbox with the real limits."""
    from _sandbox_process import sandbox_process

    from unitalk_async import UnitalkClient

    schedule = Schedule("(a) UnitalkClient -> sandbox", seconds)
    ever = (datetime(2000, 1, 1), datetime(2100, 1, 1))
    with sandbox_process(limits=True, history_size=1000) as server:

        async def main() -> None:
            async with UnitalkClient(server.api_key, base_url=server.base_url) as client:
                web = client.with_options(priority="interactive")

                async def walk(label: str) -> None:
                    while True:
                        async for _ in client.history.iter(*ever, limit=10).pages():
                            schedule.bulk[label] = schedule.bulk.get(label, 0) + 1

                async def call() -> None:
                    began = time.perf_counter()
                    await web.users.list()
                    # Loopback round trips are milliseconds: the wait is nearly all of it.
                    schedule.interactive_waits.append(time.perf_counter() - began)

                await drive(walk, call, seconds)

        asyncio.run(main())
        summary = server.admin("arrivals")
    limits = Limits()
    schedule.violations = (int(summary["worst1s"]) > limits.windows[0].limit) + (
        int(summary["worst10s"]) > limits.windows[1].limit
    )
    schedule.rejected = int(summary["rejected"]) + len(summary["blocks"])
    return schedule


def main(argv: Sequence[str] | None = None) -> list[Figure]:
    args = parse_args(__doc__.splitlines()[0], argv)
    seconds = 600.0 if args.quick else 3600.0
    runs = [
        simulate("(a) priority classes", seconds, classes=True),
        simulate("(b) one FIFO (before classes)", seconds, classes=False),
    ]
    if not args.quick:
        runs.append(run_sandbox(120.0))
    print_table(
        f"Two saturating bulk flows + Poisson interactive calls at {RATE:g}/s "
        "(limits 15/1 s, 30/10 s; capacity left for bulk: 3/s minus the interactive rate)",
        [
            "contender",
            "seconds",
            "interactive calls",
            "wait p99 (s)",
            "wait max (s)",
            "bulk / capacity left",
            "worst flow vs half",
            "violations",
        ],
        [
            (
                s.name,
                s.seconds,
                len(s.interactive_waits),
                s.p99,
                max(s.interactive_waits, default=math.nan),
                s.bulk_ratio,
                f"{s.worst_share:.1%}",
                s.violations + s.rejected,
            )
            for s in runs
        ],
    )
    mine, fifo = runs[0], runs[1]
    figures = [
        Figure("priority", "(a) interactive wait p99", mine.p99, "<= 1.0", mine.p99 <= 1.0, "s"),
        Figure("priority", "(b) FIFO interactive wait p99", fifo.p99, "baseline", None, "s"),
        Figure("priority", "(b) FIFO bulk / capacity left", fifo.bulk_ratio, "baseline"),
        Figure(
            "priority",
            "(a) bulk / capacity left",
            mine.bulk_ratio,
            ">= 0.9",
            mine.bulk_ratio >= 0.9,
        ),
        Figure(
            "priority",
            "(a) worst bulk flow vs half",
            mine.worst_share,
            "<= 0.1",
            mine.worst_share <= 0.1,
        ),
        Figure("priority", "(a) window violations", mine.violations, "0", mine.violations == 0),
    ]
    if len(runs) > 2:
        real = runs[2]
        figures.append(
            Figure(
                "priority",
                "sandbox: interactive call p99",
                real.p99,
                "<= 1.0",
                real.p99 <= 1.0,
                "s",
            )
        )
        figures.append(
            Figure(
                "priority",
                "sandbox: violations (+429s, blocks)",
                real.violations + real.rejected,
                "0",
                real.violations + real.rejected == 0,
            )
        )
    print_figures(figures, "Priority classes: headline figures")
    write_summary(args.summary_json, figures)
    return figures


if __name__ == "__main__":
    main()
