"""`unitalk numbers upload|export`: an autodialer's numbers from a CSV, and back out."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable
from pathlib import Path
from typing import Annotated, Any

import typer

from unitalk_async import BulkResult, ChunkStatus, Progress, UnitalkClient, partial_result
from unitalk_async._arguments import known_members
from unitalk_async._reference import MAX_ADD_NUMBERS_PER_REQUEST
from unitalk_async.cli._export import FormatOption, OutputOption, export
from unitalk_async.cli._files import (
    count_rows,
    is_stdin,
    read_numbers,
    rejects_path,
    write_rejects,
)
from unitalk_async.cli._output import err_console, fail, print_json, print_pairs, progress_bar
from unitalk_async.cli._session import (
    EXIT_REJECTED,
    JsonOption,
    completer,
    guarded,
    run,
    settings_of,
    upper_choices,
)
from unitalk_async.models.autodial import AutodialerNumber
from unitalk_async.models.enums import CallState

CALL_STATES = [str(state) for state in CallState]

app = typer.Typer(help="An autodialer's numbers: upload from CSV, export to JSONL/CSV.")


@app.command("upload")
def upload(
    ctx: typer.Context,
    autodialer_id: Annotated[
        int, typer.Argument(help="The autodialer to add numbers to.", metavar="AUTODIALER_ID")
    ],
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV with a header phone,name,note,link,p1..p10 ('-': standard input).",
            metavar="FILE",
        ),
    ],
    high_priority: Annotated[
        bool, typer.Option("--high-priority", help="Dial these numbers first.")
    ] = False,
    refresh_duplicates: Annotated[
        bool,
        typer.Option(
            "--refresh-duplicates", help="Numbers already present are reset and dialled again."
        ),
    ] = False,
    rejects: Annotated[
        Path | None,
        typer.Option("--rejects", help="Where rejected rows go (default: FILE.rejects.csv)."),
    ] = None,
    json: JsonOption = False,
) -> None:
    """Add the numbers of FILE to an autodialer: streamed, 100,000 per request.

    The delimiter (, ; tab) and the encoding (UTF-8, with or without BOM, or cp1251) are
    detected. Rows that cannot be added are written with the reason to the rejects file,
    and the exit code is then 3. Re-running an upload is safe: numbers already present
    are skipped, never added twice.

    \b
    Examples:
      unitalk numbers upload 42 numbers.csv
      cut -d';' -f1 export.csv | unitalk numbers upload 42 -
    """
    settings = settings_of(ctx, json)
    if not is_stdin(file) and not file.is_file():
        fail(f"uploading numbers failed: {file}: no such file (check the path)")
    with guarded("reading the numbers"):
        total = count_rows(file)
    rejects_file = rejects or rejects_path(file)

    def keep_rejects(so_far: BulkResult[Any] | None) -> None:
        """Write the rows rejected so far, and say so, when the upload did not finish."""
        if so_far is not None and so_far.rejected:
            write_rejects(rejects_file, so_far.rejected)
            err_console().print(
                f"{len(so_far.rejected):,} rejected rows so far written to {rejects_file}"
            )

    async def job(client: UnitalkClient) -> BulkResult[Any]:
        with progress_bar(
            "uploading", "numbers", lambda: client.stats.governor_wait_seconds
        ) as bar:
            bar(0, total)
            try:
                result = await client.autodial.add_numbers(
                    autodialer_id,
                    read_numbers(file),
                    high_priority=True if high_priority else None,
                    refresh_duplicates=refresh_duplicates,
                    progress=bar,
                )
            except asyncio.CancelledError as exc:  # Ctrl-C or SIGTERM: say where it stopped
                so_far = partial_result(exc)
                keep_rejects(so_far)
                _interrupted(so_far)
                raise
            except Exception as exc:
                keep_rejects(partial_result(exc))
                raise
            bar(result.seen, total)
        _summary(client, result, rejects_file, settings.json)
        return result

    result = run(settings, f"uploading numbers to autodialer {autodialer_id}", job)
    if result.rejected:
        with guarded("writing the rejected rows"):
            write_rejects(rejects_file, result.rejected)
        err_console().print(f"{len(result.rejected):,} rejected rows written to {rejects_file}")
        raise typer.Exit(EXIT_REJECTED)
    with guarded("removing an old rejects file"):
        rejects_file.unlink(missing_ok=True)  # a stale one from an earlier run would mislead


def _interrupted(so_far: BulkResult[Any] | None) -> None:
    """What an interrupted upload did, and that running it again is safe."""
    read = so_far.seen if so_far is not None else 0
    taken = so_far.accepted if so_far is not None else 0
    err_console().print(
        f"stopped after reading {read:,} rows: the service confirmed it took {taken:,} "
        f"numbers; the request in flight when stopped (up to {MAX_ADD_NUMBERS_PER_REQUEST:,} "
        "numbers) may have been taken too. Running the same upload again is safe: numbers "
        "already present are skipped, not added twice.",
        soft_wrap=True,
    )


def _summary(
    client: UnitalkClient, result: BulkResult[Any], rejects_file: Path, as_json: bool
) -> None:
    confirmed = len(result.chunks_with(ChunkStatus.CONFIRMED_BY_RESEND))
    stats = client.stats
    summary = {
        "read": result.seen,
        "accepted": result.accepted,
        "added": result.applied,  # None: the service's "Numbers added" does not say how many
        "rejected": len(result.rejected),
        "rejectedByService": sum(1 for r in result.rejected if r.by_service),
        "requests": result.requests,
        "chunksConfirmedByResend": confirmed,
        "chunksAlreadyPresent": len(result.chunks_with(ChunkStatus.ALREADY_PRESENT)),
        "governorWaitSeconds": round(stats.governor_wait_seconds, 3),
        "costUnits": stats.cost_units,
        "rejectsFile": str(rejects_file) if result.rejected else None,
    }
    if as_json:
        print_json(summary)
        return
    print_pairs(
        "Upload",
        [
            ("rows read", f"{result.seen:,}"),
            ("numbers accepted", f"{result.accepted:,}"),
            ("numbers added", "unknown" if result.applied is None else f"{result.applied:,}"),
            ("rejected", f"{len(result.rejected):,}"),
            ("requests", result.requests),
            ("governor waits", f"{stats.governor_wait_seconds:.1f} s"),
            ("cost units (estimated)", stats.cost_units),
        ],
    )


@app.command("export")
def export_numbers(
    ctx: typer.Context,
    autodialer_id: Annotated[
        int, typer.Argument(help="The autodialer whose numbers to export.", metavar="AUTODIALER_ID")
    ],
    output: OutputOption = None,
    fmt: FormatOption = None,
    state: Annotated[
        list[str] | None,
        typer.Option(
            "--state",
            help=f"Only numbers in this call state (repeatable): {', '.join(CALL_STATES)}.",
            callback=upper_choices(CALL_STATES, "call state"),
            autocompletion=completer(CALL_STATES),
            metavar="STATE",
        ),
    ] = None,
    json: JsonOption = False,
) -> None:
    """Write every number of an autodialer, 5,000 per request, to JSON Lines or CSV.

    \b
    Examples:
      unitalk numbers export 42 -o numbers.csv
      unitalk numbers export 42 --state ANSWER --state BUSY -o answered.jsonl
    """

    def records(client: UnitalkClient, progress: Progress) -> AsyncIterable[AutodialerNumber]:
        states = known_members(CallState, state, "--state") if state else None
        return client.autodial.iter_numbers(autodialer_id, states, progress=progress)

    export(
        settings_of(ctx, json),
        f"exporting the numbers of autodialer {autodialer_id}",
        output,
        fmt,
        AutodialerNumber,
        records,
        "numbers",
    )
