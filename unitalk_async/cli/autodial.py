"""`unitalk autodial list|show|pause|unpause|cancel|calls`: the project's autodialers."""

from __future__ import annotations

from collections.abc import AsyncIterable
from typing import Annotated, Any

import msgspec
import typer

from unitalk_async import Progress, UnitalkClient
from unitalk_async.cli import autodial_edit
from unitalk_async.cli._export import FormatOption, OutputOption, export
from unitalk_async.cli._output import print_json, print_pairs, print_table
from unitalk_async.cli._session import (
    TO_HELP,
    CommandError,
    JsonOption,
    parse_to,
    parse_when,
    run,
    settings_of,
)
from unitalk_async.models.autodial import Autodialer, AutodialerCall, AutodialerSummary

app = typer.Typer(
    help="Autodialers: list, show, create, update, pause, unpause, cancel, remove, export calls."
)

IdArgument = Annotated[int, typer.Argument(help="The autodialer's id.", metavar="AUTODIALER_ID")]


def _text(value: Any) -> str:
    if value is None or value is msgspec.UNSET:
        return ""
    return str(value)


def _count(value: Any) -> int | str:
    """A count as an int, for the table's thousands separators; else as text."""
    return value if isinstance(value, int) else _text(value)


@app.command("list")
def list_autodialers(ctx: typer.Context, json: JsonOption = False) -> None:
    """Every autodialer of the project: id, name, type, mode, status."""
    settings = settings_of(ctx, json)

    async def job(client: UnitalkClient) -> list[AutodialerSummary]:
        return await client.autodial.get_list()

    summaries = run(settings, "listing autodialers", job)
    if settings.json:
        print_json(summaries)
        return
    print_table(
        "Autodialers",
        ["id", "name", "type", "mode", "status"],
        [
            (
                s.id,
                _text(s.name),
                _text(s.autodialer_type),
                _text(s.autodialer_mode),
                _text(s.status),
            )
            for s in summaries
        ],
    )


@app.command("show")
def show(ctx: typer.Context, autodialer_id: IdArgument, json: JsonOption = False) -> None:
    """One autodialer's settings and statistics."""
    settings = settings_of(ctx, json)

    async def job(client: UnitalkClient) -> Autodialer:
        data = await client.autodial.get_with_data()
        task = data.task(autodialer_id)
        if task is None:
            raise CommandError(f"no autodialer {autodialer_id} (see `unitalk autodial list`)")
        return task

    task = run(settings, f"showing autodialer {autodialer_id}", job)
    if settings.json:
        print_json(task)
        return
    stats = task.statistics if isinstance(task.statistics, msgspec.Struct) else None
    status = task.task_status_info
    pairs: list[tuple[str, object]] = [
        ("id", task.id),
        ("name", _text(task.name)),
        ("type", _text(task.autodialer_type)),
        ("mode", _text(task.autodialer_mode)),
        ("status", _text(getattr(status, "status", None))),
        ("dates", f"{_text(task.start_date)} .. {_text(task.end_date)}"),
    ]
    if stats is not None:
        pairs += [
            ("numbers", _count(stats.total_count)),
            ("done", _count(stats.done_count)),
            ("to repeat", _count(stats.repeat_count)),
            ("calls made", _count(stats.calls_done_count)),
        ]
        states = stats.states_count if isinstance(stats.states_count, dict) else {}
        pairs += [(f"  {state}", count) for state, count in sorted(states.items())]
    print_pairs(f"Autodialer {task.id}", pairs)


#: How an action reads in "<doing> autodialer 5 failed: ...".
ACTING = {
    "pause": "pausing",
    "unpause": "resuming",
    "cancel": "cancelling",
    "remove": "removing",
}


def _change(ctx: typer.Context, autodialer_id: int, verb: str, done: str, json: bool) -> None:
    settings = settings_of(ctx, json)

    async def job(client: UnitalkClient) -> None:
        action = getattr(client.autodial, verb)
        await action(autodialer_id)

    run(settings, f"{ACTING[verb]} autodialer {autodialer_id}", job)
    if settings.json:
        print_json({"id": autodialer_id, "action": verb.upper(), "status": "Success"})
    else:
        typer.echo(f"Autodialer {autodialer_id} {done}.")


@app.command("pause")
def pause(ctx: typer.Context, autodialer_id: IdArgument, json: JsonOption = False) -> None:
    """Pause a running autodialer."""
    _change(ctx, autodialer_id, "pause", "paused", json)


@app.command("unpause")
def unpause(ctx: typer.Context, autodialer_id: IdArgument, json: JsonOption = False) -> None:
    """Resume a paused autodialer."""
    _change(ctx, autodialer_id, "unpause", "resumed", json)


@app.command("cancel")
def cancel(ctx: typer.Context, autodialer_id: IdArgument, json: JsonOption = False) -> None:
    """Cancel an autodialer: no further calls are made."""
    _change(ctx, autodialer_id, "cancel", "cancelled", json)


@app.command("remove")
def remove(ctx: typer.Context, autodialer_id: IdArgument, json: JsonOption = False) -> None:
    """Delete an autodialer and its numbers (its calls stay in the call history)."""
    _change(ctx, autodialer_id, "remove", "removed", json)


app.command("create")(autodial_edit.create)
app.command("update")(autodial_edit.update)


@app.command("calls")
def calls(
    ctx: typer.Context,
    autodialer_id: IdArgument,
    output: OutputOption = None,
    fmt: FormatOption = None,
    date_from: Annotated[
        str | None, typer.Option("--from", help="From 'yyyy-MM-dd[ HH:mm:ss]' (project time).")
    ] = None,
    date_to: Annotated[str | None, typer.Option("--to", help=TO_HELP)] = None,
    json: JsonOption = False,
) -> None:
    """Export every call of an autodialer, newest first, 1,000 per request.

    Calls made while the export runs are not included, and none is written twice.
    """

    def records(client: UnitalkClient, progress: Progress) -> AsyncIterable[AutodialerCall]:
        return client.autodial.iter_calls_history(
            autodialer_id, date_from=start, date_to=end, progress=progress
        )

    settings = settings_of(ctx, json)
    start = None if date_from is None else parse_when(date_from, "--from")
    end = None if date_to is None else parse_to(date_to, api_excludes=True)
    export(
        settings,
        f"exporting the calls of autodialer {autodialer_id}",
        output,
        fmt,
        AutodialerCall,
        records,
        "calls",
    )
