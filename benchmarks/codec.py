"""Typed decoding against plain `json.loads`, on the two pages that dominate ETL jobs.

The pages are real sandbox answers, captured over loopback: a 5,000-row GET_NUMBERS page
(numbers that have been dialled, so rows carry states, dates and counters, a third of them
name, note and params) and a 1,000-row /history/get page. Each is decoded many times by
(a) the library's cached msgspec decoder into its typed models (what the client does) and
(b) `json.loads` into dicts and lists (what an untyped client does, before any validation).

Ratio: json.loads time / typed time (best of several rounds); >= 1.0 means typed decoding
is at least as fast. Target: >= 1.0 for both pages.
"""

from __future__ import annotations

import asyncio
import functools
import json
import time
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import httpx
from _report import Figure, parse_args, print_figures, print_table, write_summary

NUMBERS_PAGE = 5_000
HISTORY_PAGE = 1_000


def capture_pages() -> tuple[bytes, bytes]:
    """The raw bytes of one GET_NUMBERS page and one /history/get page from a sandbox."""
    from unitalk_async import Limits, UnitalkClient
    from unitalk_async.models.autodial import AutodialTask
    from unitalk_async.models.enums import AutodialerMode, ClientCalledMode, CrmMode
    from unitalk_async.sandbox import SandboxConfig, run_sandbox

    config = SandboxConfig(enforce_limits=False, history_size=HISTORY_PAGE)
    with run_sandbox(config) as server:

        async def prepare() -> int:
            async with UnitalkClient(
                server.api_key, base_url=server.base_url, limits=Limits.disabled()
            ) as client:
                created = await client.autodial.add(
                    AutodialTask(
                        name="codec",
                        autodialer_mode=AutodialerMode.FIXED,
                        start_date=date(2026, 1, 1),
                        end_date=date(2030, 1, 1),
                        time_from=["00:00"] * 7,
                        time_to=["23:59"] * 7,
                        crm_mode=CrmMode.DONT_SEND,
                        client_called_mode=ClientCalledMode.NEVER,
                        thread_count=1,
                        scenario_id=70,
                    )
                )
                await client.autodial.add_numbers(
                    created.id,
                    (
                        {
                            "phone": str(380_500_000_000 + i),
                            "name": f"Client {i}",
                            "note": "VIP",
                            "params": {1: f"order-{i}", 2: "gold"},
                        }
                        if i % 3 == 0
                        else str(380_500_000_000 + i)
                        for i in range(NUMBERS_PAGE)
                    ),
                )
                return created.id

        autodialer_id = asyncio.run(prepare())
        server.sandbox.simulate_calls(autodialer_id, NUMBERS_PAGE)
        headers = {"Authorization": server.api_key}
        numbers = httpx.post(
            f"{server.base_url}/autodial/action",
            json={"action": "GET_NUMBERS", "id": autodialer_id, "limit": NUMBERS_PAGE},
            headers=headers,
            timeout=60,
        )
        history = httpx.post(
            f"{server.base_url}/history/get",
            json={
                "dateFrom": "2000-01-01 00:00:00",
                "dateTo": "2099-12-31 23:59:59",
                "limit": HISTORY_PAGE,
            },
            headers=headers,
            timeout=60,
        )
    numbers.raise_for_status()
    history.raise_for_status()
    return numbers.content, history.content


def best_of(fn: Callable[[], Any], rounds: int, repeat: int) -> float:
    """The best mean seconds per call over `rounds` rounds of `repeat` calls."""
    best = float("inf")
    for _ in range(rounds):
        began = time.perf_counter()
        for _ in range(repeat):
            fn()
        best = min(best, (time.perf_counter() - began) / repeat)
    return best


def main(argv: Sequence[str] | None = None) -> list[Figure]:
    args = parse_args(__doc__.splitlines()[0], argv)
    from unitalk_async._codec import decoder
    from unitalk_async.models.autodial import AutodialerNumber
    from unitalk_async.models.history import HistoryPage

    numbers_raw, history_raw = capture_pages()
    numbers_decoder = decoder(list[AutodialerNumber])
    history_decoder = decoder(HistoryPage)
    assert len(numbers_decoder.decode(numbers_raw)) == NUMBERS_PAGE
    assert len(history_decoder.decode(history_raw).calls) == HISTORY_PAGE

    rounds, repeat = (3, 5) if args.quick else (7, 30)
    rows = []
    figures = []
    for page, raw, typed in (
        (f"GET_NUMBERS, {NUMBERS_PAGE:,} rows", numbers_raw, numbers_decoder.decode),
        (f"/history/get, {HISTORY_PAGE:,} rows", history_raw, history_decoder.decode),
    ):
        typed_s = best_of(functools.partial(typed, raw), rounds, repeat)
        plain_s = best_of(functools.partial(json.loads, raw), rounds, repeat)
        ratio = plain_s / typed_s
        rows.append((page, f"{len(raw) / 1e6:.2f} MB", typed_s * 1e3, plain_s * 1e3, ratio))
        figures.append(
            Figure("codec", f"json.loads / typed: {page}", ratio, ">= 1.0", ratio >= 1.0)
        )
    print_table(
        "Codec: typed msgspec decoding (the client's models) vs json.loads into dicts",
        ["page", "size", "typed ms", "json.loads ms", "ratio"],
        rows,
    )
    print_figures(figures, "Codec: headline figures")
    write_summary(args.summary_json, figures)
    return figures


if __name__ == "__main__":
    main()
