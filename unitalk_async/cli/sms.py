"""`unitalk sms send|send-bulk`: SMS (or Viber) messages, one or a CSV of them."""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer

from unitalk_async import UnitalkClient
from unitalk_async.cli._files import open_csv_text, rejects_path, sniff_delimiter
from unitalk_async.cli._output import err_console, fail, print_json, print_pairs
from unitalk_async.cli._session import (
    EXIT_REJECTED,
    CommandError,
    JsonOption,
    guarded,
    run,
    settings_of,
)
from unitalk_async.models.messages import BulkSendResult

app = typer.Typer(help="Send SMS or Viber messages.")

ViberOption = Annotated[bool, typer.Option("--viber", help="Send by Viber instead of SMS.")]


@app.command("send")
def send(
    ctx: typer.Context,
    to: Annotated[str, typer.Argument(help="The recipient's number.", metavar="TO")],
    text: Annotated[str, typer.Argument(help="The message.", metavar="TEXT")],
    viber: ViberOption = False,
    alfa_name: Annotated[
        str | None, typer.Option("--alfa-name", help="The sender's alpha name.")
    ] = None,
    json: JsonOption = False,
) -> None:
    """Send one message; prints its id (for `get_status`)."""
    settings = settings_of(ctx, json)

    async def job(client: UnitalkClient) -> int:
        return await client.messages.send(
            "VIBER" if viber else "SMS", to, text, alfa_name=alfa_name
        )

    message_id = run(settings, f"sending a message to {to}", job)
    if settings.json:
        print_json({"id": message_id, "to": to})
    else:
        typer.echo(f"Message {message_id} sent to {to}.")


def _pairs(path: Path, text: str | None) -> Iterator[tuple[str, str]]:
    """(number, text) rows of a CSV with a `phone` column and, without --text, `text`;
    delimiter and encoding sniffed as for number uploads."""
    try:
        with open_csv_text(path) as file:
            first = file.readline()
            reader = csv.DictReader(
                itertools.chain([first], file), delimiter=sniff_delimiter(first)
            )
            fields = [name.strip().lower() for name in reader.fieldnames or ()]
            if "phone" not in fields:
                raise CommandError(f"{path}: no 'phone' column in the header")
            if text is None and "text" not in fields:
                raise CommandError(f"{path}: no 'text' column; add one or pass --text")
            reader.fieldnames = fields
            for row in reader:
                yield (
                    (row.get("phone") or "").strip(),
                    text if text is not None else (row.get("text") or ""),
                )
    except UnicodeDecodeError as exc:
        raise CommandError(f"{path}: not UTF-8 text ({exc.reason})") from None
    except csv.Error as exc:
        raise CommandError(f"{path}: not a valid CSV ({exc})") from None


@app.command("send-bulk")
def send_bulk(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(help="CSV with columns phone and (unless --text) text.", metavar="FILE"),
    ],
    text: Annotated[
        str | None, typer.Option("--text", help="One text for every number of FILE.")
    ] = None,
    viber: ViberOption = False,
    json: JsonOption = False,
) -> None:
    """Send a message to every number of FILE, 100 per request.

    Numbers that were not sent go to FILE.rejects.csv with the reason (exit code 3).
    """
    settings = settings_of(ctx, json)
    if not file.is_file():
        fail(f"sending messages failed: {file}: no such file (check the path)")

    async def job(client: UnitalkClient) -> BulkSendResult:
        return await client.messages.send_bulk(
            "VIBER" if viber else "SMS", messages=_pairs(file, text)
        )

    result = run(settings, f"sending the messages of {file}", job)
    if settings.json:
        print_json(
            {
                "sent": result.applied,
                "rejected": len(result.rejected),
                "requests": result.requests,
                "messages": {number: r.id for number, r in result.messages.items() if r.ok},
            }
        )
    else:
        print_pairs(
            "Messages",
            [
                ("sent", result.applied),
                ("rejected", len(result.rejected)),
                ("requests", result.requests),
            ],
        )
    if result.rejected:
        target = rejects_path(file)
        with (
            guarded("writing the rejected rows"),
            target.open("w", newline="", encoding="utf-8") as out,
        ):
            writer = csv.writer(out)
            writer.writerow(["phone", "text", "reason", "rejected_by"])
            for rejected in result.rejected:
                item = rejected.item
                phone, message = (item[0], item[1]) if isinstance(item, tuple) else (item, "")
                by = "service" if rejected.by_service else "client"
                writer.writerow([phone, message, rejected.reason, by])
        err_console().print(f"{len(result.rejected):,} rejected rows written to {target}")
        raise typer.Exit(EXIT_REJECTED)
