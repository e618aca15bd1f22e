"""The shared body of every export command: page through records, stream them to a file."""

from __future__ import annotations

from collections.abc import AsyncIterable, Callable
from pathlib import Path
from typing import Annotated, Any

import msgspec
import typer

from unitalk_async import Progress, UnitalkClient
from unitalk_async.cli._files import Format, choose_format, record_writer
from unitalk_async.cli._output import err_console, print_json, progress_bar
from unitalk_async.cli._session import Settings, run

OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="File to write, .jsonl or .csv (default: stdout)."),
]
FormatOption = Annotated[
    Format | None,
    typer.Option("--format", "-f", help="jsonl or csv (default: by the file's suffix)."),
]


def export(
    settings: Settings,
    what: str,
    output: Path | None,
    fmt: Format | None,
    record_type: type[msgspec.Struct],
    records: Callable[[UnitalkClient, Progress], AsyncIterable[Any]],
    unit: str,
) -> int:
    """Write every record `records(client, progress)` yields; returns how many."""
    chosen = choose_format(output, fmt)

    async def job(client: UnitalkClient) -> int:
        waits = lambda: client.stats.governor_wait_seconds  # noqa: E731
        with (
            record_writer(output, chosen, record_type) as writer,
            progress_bar("exporting", unit, waits) as bar,
        ):
            async for record in records(client, bar):
                writer.write(record)
        return writer.count

    count = run(settings, what, job)
    if output is not None and str(output) != "-":
        if settings.json:
            print_json({"written": count, "file": str(output), "format": str(chosen)})
        else:
            err_console().print(f"{count:,} {unit} written to {output}")
    return count
