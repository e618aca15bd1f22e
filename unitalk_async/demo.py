"""`python -m unitalk_async.demo`: the library at work against an embedded sandbox, no key.

It creates an autodialer, uploads 1,000,000 generated numbers, lets the sandbox dial some
of them, pages through the answered ones, exports the call history, and shows what the
governor did and what the server saw. The sandbox enforces the API's real limits and the
client runs with the same, so every wait and window below is the real thing.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from unitalk_async import Limits, UnitalkClient
from unitalk_async import to_json as encode
from unitalk_async.models.autodial import AutodialTask
from unitalk_async.models.enums import AutodialerMode, CallState, ClientCalledMode, CrmMode
from unitalk_async.sandbox import SandboxConfig, SandboxServer, run_sandbox
from unitalk_async.sandbox.sample import one_year_after

NUMBERS = 1_000_000
BAD_EVERY = 100_000  # one deliberately malformed row in every 100,000: the client rejects it
CALLS = 20_000  # calls the sandbox makes before we page and export
PAGE = 5_000  # GET_NUMBERS' largest page

# Piped (`| tee demo.log`), lines are not wrapped at a guessed width: a long line stays one
# line, so grep finds it whole; tables get room to be as wide as they need.
_TERMINAL = sys.stdout.isatty()
console = Console(highlight=False, soft_wrap=not _TERMINAL, width=None if _TERMINAL else 200)

#: The demo's last words: where a newcomer goes from here.
TRY_NEXT = (
    "What to try next:",
    "  unitalk sandbox                 # a sandbox that stays up; paste the export line it prints",
    "  unitalk autodial list           # in that other shell: the sample autodialer",
    "  unitalk numbers upload ID numbers.csv && unitalk numbers export ID -o numbers.csv",
    '  README.md, "Try it against the sandbox": the same, step by step',
)


def generated_numbers(count: int) -> Iterator[str]:
    """`count` rows as a CSV reader would yield them, generated lazily (memory stays flat)."""
    for i in range(count):
        if i % BAD_EVERY == BAD_EVERY - 1:
            yield f"n/a #{i // BAD_EVERY}"  # a typo in the source: rejected before sending
        else:
            yield f"+380 50 {i // 10_000:03d} {i % 10_000:04d}"  # 12 digits once normalised


def progress_bar() -> Progress:
    return Progress(
        TextColumn("  {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TextColumn("[cyan]{task.fields[rate]}"),
        TimeElapsedColumn(),
        console=console,
    )


def feeder(
    progress: Progress, task: Any, began: float, unit: str
) -> Callable[[int, int | None], None]:
    """A `progress(done, total)` callback for the library's bulk and paging methods."""

    def update(done: int, total: int | None) -> None:
        elapsed = max(time.perf_counter() - began, 1e-9)
        progress.update(task, completed=done, total=total, rate=f"{done / elapsed:,.0f} {unit}/s")

    return update


def demo_task(today: date, scenario: int | None) -> AutodialTask:
    """The demo's autodialer: around the clock, for a year from `today` (29 Feb included)."""
    return AutodialTask(
        name="Demo: a million numbers",
        autodialer_mode=AutodialerMode.FIXED,
        start_date=today,
        end_date=one_year_after(today),
        time_from=["00:00"] * 7,
        time_to=["23:59"] * 7,
        crm_mode=CrmMode.DONT_SEND,
        client_called_mode=ClientCalledMode.NEVER,
        thread_count=10,
        scenario_id=scenario,
    )


async def create_autodialer(client: UnitalkClient) -> int:
    data = await client.autodial.get_with_data()
    scenario = next(iter(data.scenarios or {}), None)
    created = await client.autodial.add(demo_task(date.today(), scenario))
    return created.id


async def upload(client: UnitalkClient, autodialer_id: int) -> None:
    began = time.perf_counter()
    with progress_bar() as progress:
        task = progress.add_task("uploading", total=NUMBERS, rate="")
        result = await client.autodial.add_numbers(
            autodialer_id,
            generated_numbers(NUMBERS),
            progress=feeder(progress, task, began, "numbers"),
        )
    seconds = time.perf_counter() - began
    console.print(
        f"  {result.accepted:,} numbers uploaded in {result.requests} requests "
        f"({seconds:.1f} s, {result.accepted / seconds:,.0f} numbers/s); "
        f"{len(result.rejected)} rejected before sending, e.g. "
        f"{result.rejected[0].item!r}: {result.rejected[0].reason}"
        if result.rejected
        else f"  {result.accepted:,} numbers uploaded in {result.requests} requests"
    )


async def page_answered(client: UnitalkClient, autodialer_id: int) -> None:
    began = time.perf_counter()
    pages = numbers = 0
    with progress_bar() as progress:
        task = progress.add_task("paging ANSWER", total=None, rate="")
        update = feeder(progress, task, began, "numbers")
        pager = client.autodial.iter_numbers(autodialer_id, [CallState.ANSWER], page_size=PAGE)
        async for page in pager.pages():
            pages += 1
            numbers += len(page)
            update(numbers, None)
        progress.update(task, total=numbers)
    console.print(
        f"  {numbers:,} answered numbers in {pages} pages of up to {PAGE:,}. Paging all "
        f"{NUMBERS:,} would take {NUMBERS // PAGE} requests, about "
        f"{NUMBERS // PAGE / Limits().theoretical_rate:.0f} s at the API's sustained "
        f"{Limits().theoretical_rate:g} requests/s, so the demo pages a filtered subset."
    )


async def export_calls(client: UnitalkClient, autodialer_id: int, target: Path) -> None:
    began = time.perf_counter()
    written = size = 0
    first = b""
    with progress_bar() as progress, target.open("wb") as file:
        task = progress.add_task("exporting calls", total=None, rate="")
        pager = client.autodial.iter_calls_history(
            autodialer_id, progress=feeder(progress, task, began, "calls")
        )
        async for call in pager:
            line = encode(call)
            first = first or line
            size += file.write(line + b"\n")
            written += 1
    console.print(
        f"  {written:,} calls written to {target.name} ({size / 1e6:.1f} MB, a temporary "
        "file), keyset-paged newest first: calls made during the export are neither "
        "skipped nor repeated. The newest:"
    )
    console.print(f"  {first[:200].decode(errors='replace')}...", markup=False)


def statistics(client: UnitalkClient, server: SandboxServer) -> None:
    stats = client.stats
    governor = stats.governor
    table = Table(title="What the client did (client.stats)", title_justify="left")
    for column in ("path", "requests", "errors", "retries", "mean ms", "cost units (est.)"):
        table.add_column(column, justify="left" if column == "path" else "right")
    for path, p in stats.paths.items():
        table.add_row(
            path,
            f"{p.requests}",
            f"{p.errors}",
            f"{p.retries}",
            f"{p.mean_elapsed_ms:.0f}",
            f"{p.cost_units}",
        )
    table.add_row(
        "total",
        f"{stats.requests}",
        f"{stats.errors}",
        f"{stats.retries}",
        "",
        f"{stats.cost_units}",
        style="bold",
    )
    console.print(table)

    waits = ", ".join(f"{reason} {seconds:.1f} s" for reason, seconds in governor.waits.items())
    console.print(
        f"Governor ({governor.backend}): {governor.admitted} requests admitted; waited "
        f"{stats.governor_wait_seconds:.1f} s in all ({waits or 'never'}); "
        f"blocks seen {governor.blocks_seen}; window margin {governor.margin * 1000:.0f} ms "
        f"(latency spread learned: {governor.latency_spread * 1000:.0f} ms)."
    )

    seen = server.sandbox.arrivals_summary()
    limits = server.sandbox.config.limits
    server_table = Table(
        title="What the server saw (sandbox arrival log, counted on arrival)", title_justify="left"
    )
    server_table.add_column("measure")
    server_table.add_column("seen", justify="right")
    server_table.add_column("limit", justify="right")
    server_table.add_row("requests", f"{seen['total']}", "")
    server_table.add_row("worst 1-s window", f"{seen['worst1s']}", f"{limits.per_second}")
    server_table.add_row("worst 10-s window", f"{seen['worst10s']}", f"{limits.per_10_seconds}")
    server_table.add_row("most in flight", f"{seen['maxInFlight']}", f"{limits.max_in_flight}")
    server_table.add_row("refused (429/403)", f"{seen['rejected']}", "0")
    server_table.add_row("blocks", f"{len(seen['blocks'])}", "0")
    server_table.add_row("cost units billed", f"{server.sandbox.billing_summary()['units']}", "")
    console.print(server_table)
    console.print(
        f"Cost units: the client estimated {stats.cost_units} (from round-trip times and "
        f"the reference's tiers); the sandbox billed {server.sandbox.billing_summary()['units']} "
        "(from its processing times). The service's bill is the one that counts."
    )


#: The network the sandbox emulates (sandbox/network.py): a far-away service, as
#: api.unitalk.cloud is from most places: 120 ms of TCP and TLS handshakes per new
#: connection, one-way trips of 0-60 ms each way. The limits must hold where it counts them.
HANDSHAKES = 0.12
TRIPS = (0.0, 0.06)


async def demo(server: SandboxServer, workdir: Path) -> None:
    async with UnitalkClient(
        server.api_key,
        base_url=server.base_url,
        limits=Limits(),
        http_transport=server.http_transport(),  # trusts the sandbox's own certificate
    ) as client:
        console.print("[bold]1.[/] Create an autodialer")
        autodialer_id = await create_autodialer(client)
        console.print(f"  autodialer {autodialer_id} created")

        console.print(f"[bold]2.[/] Upload {NUMBERS:,} generated numbers (streamed, chunked)")
        await upload(client, autodialer_id)

        console.print(f"[bold]3.[/] The sandbox dials {CALLS:,} of them")
        made = server.sandbox.simulate_calls(autodialer_id, CALLS)
        console.print(f"  {made:,} calls made")

        console.print("[bold]4.[/] Page through the numbers that answered")
        await page_answered(client, autodialer_id)

        console.print("[bold]5.[/] Export the autodialer's call history to JSON Lines")
        await export_calls(client, autodialer_id, workdir / "calls.jsonl")

        console.print("[bold]6.[/] Statistics")
        statistics(client, server)


def main() -> int:
    began = time.perf_counter()
    console.print(
        "[bold]unitalk-async demo[/]: an embedded sandbox enforcing the API's real limits "
        "(15 requests/1 s, 30/10 s, 20 in flight); the client governs itself to match."
    )
    with (
        tempfile.TemporaryDirectory(prefix="unitalk-demo-") as workdir,
        run_sandbox(SandboxConfig(seed=1, connection_setup=HANDSHAKES, latency=TRIPS)) as server,
    ):
        console.print(
            f"Sandbox at {server.base_url}, behind an emulated WAN: "
            f"{HANDSHAKES * 1000:.0f} ms of handshakes per connection, "
            f"{TRIPS[0] * 1000:.0f}-{TRIPS[1] * 1000:.0f} ms one-way trips; "
            "no API key of yours is needed.\n"
        )
        asyncio.run(demo(server, Path(workdir)))
    console.print(f"\nDone in {time.perf_counter() - began:.1f} s.\n")
    for line in TRY_NEXT:
        console.print(line, markup=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
