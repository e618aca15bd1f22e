"""What the client costs per request, against the least a hand-written call can do.

(a) `await client.users.list()`: governor (limits off), retries, error mapping,
    statistics, hooks and typed decoding of the users;
(b) `await http.post(url, headers=auth)` then `json.loads(answer.content)`: a raw
    `httpx.AsyncClient` round trip, no checks, dicts out.

Both talk to the same sandbox, in its own process with its limits off, over one keep-alive
connection each. The two are interleaved (a, b, a, b, ...) so drifts in machine load hit
both alike; the figure is the ratio of their medians. Target: (a) / (b) <= 1.15.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from collections.abc import Sequence

import httpx
from _report import Figure, parse_args, print_figures, print_table, write_summary
from _sandbox_process import sandbox_process


async def measure(base_url: str, api_key: str, rounds: int) -> tuple[list[float], list[float]]:
    from unitalk_async import Limits, UnitalkClient

    client_times: list[float] = []
    raw_times: list[float] = []
    url = f"{base_url}/users/list"
    headers = {"Authorization": api_key}
    async with (
        UnitalkClient(api_key, base_url=base_url, limits=Limits.disabled()) as client,
        httpx.AsyncClient() as http,
    ):
        for _ in range(20):  # warm up: connections, decoders, caches
            await client.users.list()
            json.loads((await http.post(url, headers=headers)).content)
        for _ in range(rounds):
            began = time.perf_counter()
            users = await client.users.list()
            client_times.append(time.perf_counter() - began)

            began = time.perf_counter()
            answer = await http.post(url, headers=headers)
            raw = json.loads(answer.content)
            raw_times.append(time.perf_counter() - began)
            assert len(users) == len(raw)
    return client_times, raw_times


def main(argv: Sequence[str] | None = None) -> list[Figure]:
    args = parse_args(__doc__.splitlines()[0], argv)
    rounds = 100 if args.quick else 1000
    with sandbox_process(limits=False) as server:
        client_times, raw_times = asyncio.run(measure(server.base_url, server.api_key, rounds))
    client_median = statistics.median(client_times)
    raw_median = statistics.median(raw_times)
    ratio = client_median / raw_median
    print_table(
        f"Client overhead: /users/list round trips to a sandbox process, {rounds} interleaved "
        "pairs",
        ["contender", "median ms", "p90 ms", "ratio"],
        [
            (
                "(a) client.users.list()",
                client_median * 1e3,
                statistics.quantiles(client_times, n=10)[-1] * 1e3,
                ratio,
            ),
            (
                "(b) httpx post + json.loads",
                raw_median * 1e3,
                statistics.quantiles(raw_times, n=10)[-1] * 1e3,
                1.0,
            ),
        ],
    )
    figures = [
        Figure(
            "overhead", "client / raw httpx round trip (medians)", ratio, "<= 1.15", ratio <= 1.15
        ),
        Figure(
            "overhead",
            "client overhead per request",
            (client_median - raw_median) * 1e6,
            "informational",
            unit="µs",
        ),
    ]
    print_figures(figures, "Client overhead: headline figures")
    write_summary(args.summary_json, figures)
    return figures


if __name__ == "__main__":
    main()
