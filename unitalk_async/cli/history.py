"""`unitalk history export`: the project's call history to JSON Lines or CSV."""

from __future__ import annotations

from collections.abc import AsyncIterable
from typing import Annotated

import typer

from unitalk_async import Progress, UnitalkClient
from unitalk_async.cli._export import FormatOption, OutputOption, export
from unitalk_async.cli._session import TO_HELP, JsonOption, parse_to, parse_when, settings_of
from unitalk_async.models.history import HistoryCall

app = typer.Typer(help="The project's call history.")


@app.command("export")
def export_history(
    ctx: typer.Context,
    date_from: Annotated[
        str, typer.Option("--from", help="From 'yyyy-MM-dd[ HH:mm:ss]' (project time).")
    ],
    date_to: Annotated[str, typer.Option("--to", help=TO_HELP)],
    output: OutputOption = None,
    fmt: FormatOption = None,
    json: JsonOption = False,
) -> None:
    """Export every call from --from to --to (inclusive), 1,000 per request, newest first.

    \b
    Example:
      unitalk history export --from 2026-01-01 --to 2026-01-31 -o january.csv
    """

    def records(client: UnitalkClient, progress: Progress) -> AsyncIterable[HistoryCall]:
        return client.history.iter(start, end, progress=progress)

    settings = settings_of(ctx, json)
    start = parse_when(date_from, "--from")
    end = parse_to(date_to, api_excludes=False)  # /history/get's dateTo includes itself
    export(
        settings,
        f"exporting the call history from {date_from} to {date_to}",
        output,
        fmt,
        HistoryCall,
        records,
        "calls",
    )
