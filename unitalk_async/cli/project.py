"""`unitalk lines` and `unitalk dictionary TYPE`: what the project has."""

from __future__ import annotations

from typing import Annotated

import typer

from unitalk_async import UnitalkClient
from unitalk_async._arguments import known_member
from unitalk_async.cli._output import print_json, print_table
from unitalk_async.cli._session import JsonOption, run, settings_of
from unitalk_async.models.enums import DictionaryType, LineStatus

DICTIONARY_TYPES = ", ".join(str(t) for t in DictionaryType)


def lines(ctx: typer.Context, json: JsonOption = False) -> None:
    """Every internal line and its status (online, busy, offline)."""
    settings = settings_of(ctx, json)

    async def job(client: UnitalkClient) -> dict[str, LineStatus]:
        return await client.phones.inner()

    statuses = run(settings, "reading line statuses", job)
    if settings.json:
        print_json(statuses)
        return
    print_table("Lines", ["line", "status"], sorted(statuses.items()))


def dictionary(
    ctx: typer.Context,
    type: Annotated[str, typer.Argument(help=f"One of {DICTIONARY_TYPES}.", metavar="TYPE")],
    json: JsonOption = False,
) -> None:
    """Ids and names of the project's entities of TYPE (IVR, USER, INNER_PHONE, ...)."""
    settings = settings_of(ctx, json)
    kind = type.upper()

    async def job(client: UnitalkClient) -> dict[str, str | None]:
        return await client.dictionary(known_member(DictionaryType, kind, "TYPE"))

    entries = run(settings, f"reading the {kind} dictionary", job)
    if settings.json:
        print_json(entries)
        return
    print_table(kind, ["id", "name"], list(entries.items()))
