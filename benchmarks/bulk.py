"""1,000,000 numbers through `client.autodial.add_numbers` into a sandbox.

The numbers come from a generator, as rows of a CSV would, formatted the way people type
them ("+380 50 123 4567"), so the client has to normalise every one. The sandbox runs in
its own process (limits on, the real ones), so the figures are the client's alone:

- client CPU seconds spent in `add_numbers`: normalising, chunking, encoding, sending,
  and generating the input too (an upper bound; the generator's own time is measured
  apart and shown). Target: < 2 s.
- peak RSS of the client process (psutil, sampled every 5 ms, and the kernel's high-water
  mark). Target: < 300 MB.
- requests used. Target: the minimum, 10 (100,000 numbers each).
"""

from __future__ import annotations

import asyncio
import resource
import threading
import time
from collections.abc import Iterator, Sequence
from datetime import date

import psutil  # type: ignore[import-untyped]
from _report import Figure, parse_args, print_figures, print_table, write_summary
from _sandbox_process import sandbox_process


def typed_numbers(count: int) -> Iterator[str]:
    for i in range(count):
        n = 500_000_000 + i
        yield f"+380 {n // 10_000_000} {n // 10_000 % 1000:03d} {n % 10_000:04d}"


class PeakRss:
    """Samples the process's RSS in a thread until stopped; `peak` in bytes."""

    def __init__(self, interval: float = 0.005) -> None:
        self.process = psutil.Process()
        self.peak = self.process.memory_info().rss
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(interval,), daemon=True)

    def _run(self, interval: float) -> None:
        while not self._stop.wait(interval):
            self.peak = max(self.peak, self.process.memory_info().rss)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.process.memory_info().rss)


async def upload(base_url: str, api_key: str, count: int) -> tuple[int, int, float, float]:
    """(numbers added, requests, CPU seconds, wall seconds) for one add_numbers call."""
    from unitalk_async import UnitalkClient
    from unitalk_async.models.autodial import AutodialTask
    from unitalk_async.models.enums import AutodialerMode, ClientCalledMode, CrmMode

    async with UnitalkClient(api_key, base_url=base_url) as client:
        data = await client.autodial.get_with_data()
        created = await client.autodial.add(
            AutodialTask(
                name="bulk benchmark",
                autodialer_mode=AutodialerMode.FIXED,
                start_date=date(2026, 1, 1),
                end_date=date(2030, 1, 1),
                time_from=["00:00"] * 7,
                time_to=["23:59"] * 7,
                crm_mode=CrmMode.DONT_SEND,
                client_called_mode=ClientCalledMode.NEVER,
                thread_count=1,
                scenario_id=next(iter(data.scenarios or {}), None),
            )
        )
        cpu, wall = time.process_time(), time.perf_counter()
        result = await client.autodial.add_numbers(created.id, typed_numbers(count))
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        return result.accepted, result.requests, cpu, wall


def generator_cpu(count: int) -> float:
    began = time.process_time()
    for _ in typed_numbers(count):
        pass
    return time.process_time() - began


def main(argv: Sequence[str] | None = None) -> list[Figure]:
    args = parse_args(__doc__.splitlines()[0], argv)
    count = 100_000 if args.quick else 1_000_000
    minimum = -(-count // 100_000)
    with sandbox_process(limits=True) as server:
        before = psutil.Process().memory_info().rss
        with PeakRss() as rss:
            added, requests, cpu, wall = asyncio.run(upload(server.base_url, server.api_key, count))
    source = generator_cpu(count)
    client_cpu = max(0.0, cpu - source)
    high_water = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
    peak = max(rss.peak, high_water)
    print_table(
        f"Bulk: {count:,} numbers through add_numbers into a sandbox process (real limits)",
        ["measure", "value", "target"],
        [
            ("numbers added", f"{added:,}", f"{count:,}"),
            ("requests", requests, f"{minimum} (the minimum)"),
            ("client CPU in add_numbers (input generator included)", f"{cpu:.2f} s", "< 2 s"),
            ("  of which generating the input (measured apart)", f"{source:.2f} s", "-"),
            ("  the rest: normalise, chunk, encode, send", f"{client_cpu:.2f} s", "-"),
            ("wall time (the sandbox's work included)", f"{wall:.2f} s", "-"),
            ("client RSS before", f"{before / 2**20:.0f} MB", "-"),
            ("client peak RSS", f"{peak / 2**20:.0f} MB", "< 300 MB"),
        ],
    )
    figures = [
        Figure(
            "bulk",
            "client CPU seconds in add_numbers (upper bound)",
            cpu,
            "< 2",
            cpu < 2,
            "s",
        ),
        Figure("bulk", "client peak RSS", peak / 2**20, "< 300", peak < 300 * 2**20, "MB"),
        Figure("bulk", "requests used", requests, f"{minimum}", requests == minimum),
        Figure("bulk", "numbers added", added, f"{count:,}", added == count),
    ]
    print_figures(figures, "Bulk: headline figures")
    write_summary(args.summary_json, figures)
    return figures


if __name__ == "__main__":
    main()
