"""`unitalk history export`: the project's call history to JSON Lines or CSV."""

from __future__ import annotations

from collections.abc import AsyncIterable
from typing import Annotated

import typer

from unitalk_async import Progress, UnitalkClient
from unitalk_async.cli._export import FormatOption, OutputOption, export
from unitalk_async.cli._session import JsonOption, parse_when, settings_of
from unitalk_async.models.history import HistoryCall

app = typer.Typer(help="The project's call history.")


@app.command("export")
def export_history(
    ctx: typer.Context,
    date_from: Annotated[
        str, typer.Option("--from", help="From 'yyyy-MM-dd[ HH:mm:ss]' (project time).")
    ],
    date_to: Annotated[str, typer.Option("--to", help="To 'yyyy-MM-dd[ HH:mm:ss]'.")],
    output: OutputOption = None,
    fmt: FormatOption = None,
    json: JsonOption = False,
) -> None:
    """Export every call between --from and --to, 1,000 per request, newest first."""

    def records(client: UnitalkClient, progress: Progress) -> AsyncIterable[HistoryCall]:
        return client.history.iter(start, end, progress=progress)

    settings = settings_of(ctx, json)
    start = parse_when(date_from, "--from")
    end = parse_when(date_to, "--to", end_of_day=True)
    export(
        settings,
        f"exporting the call history from {date_from} to {date_to}",
        output,
        fmt,
        HistoryCall,
        records,
        "calls",
    )
