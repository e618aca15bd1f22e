"""Export the project's call history to a JSON Lines or CSV file, page by page.

    python examples/etl_export.py calls.jsonl --from 2026-01-01 --to 2026-01-31
    python examples/etl_export.py calls.csv

With UNITALK_API_KEY set it exports from your project; without, from a local sandbox
(no key needed). Memory stays flat however many calls there are: records are written as
they arrive, 1,000 per request, and the file appears only once complete.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import os
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

from unitalk_async import UnitalkClient, to_builtins, to_json
from unitalk_async.models.history import HistoryCall


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


async def export(target: Path, date_from: datetime, date_to: datetime) -> int:
    columns = list(HistoryCall.__struct_encode_fields__)  # wire names: id, date, from, ...
    partial = target.with_suffix(target.suffix + ".partial")
    written = 0
    async with connect() as client:
        with partial.open("w", newline="", encoding="utf-8") as file:
            writer = csv.DictWriter(file, columns) if target.suffix == ".csv" else None
            if writer is not None:
                writer.writeheader()

            def progress(done: int, total: int | None) -> None:
                print(
                    f"  {done:,} of {total:,} calls" if total else f"  {done:,} calls", flush=True
                )

            async for call in client.history.iter(date_from, date_to, progress=progress):
                if writer is None:
                    file.write(to_json(call).decode() + "\n")  # exactly the wire form
                else:
                    row = to_builtins(call)
                    writer.writerow({k: _cell(v) for k, v in row.items() if k in columns})
                written += 1
        partial.replace(target)
        print(f"{client.stats.requests} requests, {client.stats.cost_units} cost units")
    return written


def _cell(value: object) -> object:
    return to_json(value).decode() if isinstance(value, (list, dict)) else value


def end_of(value: str) -> datetime:
    """`--to 2026-01-31` means the whole of that day; a full date-time is taken as given."""
    moment = datetime.fromisoformat(value)
    return moment.replace(hour=23, minute=59, second=59) if len(value) == 10 else moment


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path, help="a .jsonl or .csv file")
    parser.add_argument("--from", dest="date_from", type=datetime.fromisoformat)
    parser.add_argument("--to", dest="date_to", type=end_of)
    args = parser.parse_args()
    now = datetime.now().replace(microsecond=0)
    date_to = args.date_to or now
    date_from = args.date_from or date_to - timedelta(days=30)
    written = asyncio.run(export(args.output, date_from, date_to))
    print(f"{written:,} calls from {date_from} to {date_to} written to {args.output}")


if __name__ == "__main__":
    main()
