"""The `unitalk` command: global options and the command tree."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from unitalk_async import __version__
from unitalk_async._config import ENV_BASE_URL
from unitalk_async.cli import autodial, history, numbers, project, sandbox, sms
from unitalk_async.cli._output import set_json_fields
from unitalk_async.cli._session import Settings

#: The global options, as data: name -> takes a value. They may follow the command too
#: (`unitalk autodial list --sandbox`); `--json` is also every command's own option.
GLOBAL_OPTIONS: dict[str, bool] = {
    "--sandbox": False,
    "--allow-insecure-http": False,
    "--base-url": True,
    "--max-retries": True,
    "--timeout": True,
    "--fields": True,
    "--version": False,
}


def hoist_global_options(args: Sequence[str]) -> list[str]:
    """`args` with the global options (and their values) moved before the command, so
    they work in either place; nothing after `--` is touched (`unitalk sms send TO --
    --sandbox` sends the text "--sandbox")."""
    front: list[str] = []
    rest: list[str] = []
    items = iter(args)
    for arg in items:
        if arg == "--":
            rest += [arg, *items]
            break
        name = arg.split("=", 1)[0]
        if name not in GLOBAL_OPTIONS:
            rest.append(arg)
            continue
        front.append(arg)
        if GLOBAL_OPTIONS[name] and "=" not in arg:
            value = next(items, None)
            if value is not None:
                front.append(value)
    return front + rest


class _GlobalOptionsAnywhere(TyperGroup):
    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return super().parse_args(ctx, hoist_global_options(args))


app = typer.Typer(
    name="unitalk",
    cls=_GlobalOptionsAnywhere,
    help=(
        "The Unitalk API from the command line. The API key comes from UNITALK_API_KEY "
        "(never from an option, so it stays out of shell history); --sandbox runs against "
        "a local sandbox instead, no key needed. Global options may come before or after "
        "the command.\n\n"
        "\b\n"
        "Examples:\n"
        "  unitalk --sandbox autodial list\n"
        "  unitalk sandbox                       # then paste the export line it prints\n"
        "  unitalk autodial create --name Spring --scenario-id 70\n"
        "  unitalk numbers upload 1 numbers.csv\n"
        "  unitalk numbers export 1 --state ANSWER -o answered.csv\n"
        "  unitalk autodial list --json --fields id,name"
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    add_completion=True,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"unitalk {__version__}")
        raise typer.Exit()


@app.callback()
def options(
    ctx: typer.Context,
    use_sandbox: Annotated[
        bool,
        typer.Option(
            "--sandbox",
            help="Run against a fresh in-process sandbox (with a sample autodialer), no key.",
        ),
    ] = False,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            envvar=ENV_BASE_URL,
            help="The API's base URL, e.g. http://127.0.0.1:8765/api for a local sandbox.",
        ),
    ] = None,
    allow_insecure_http: Annotated[
        bool,
        typer.Option(
            "--allow-insecure-http",
            help="Allow plain http to a host other than this machine (a sandbox in docker).",
        ),
    ] = False,
    json: Annotated[
        bool, typer.Option("--json", help="Print results as JSON, for scripts.")
    ] = False,
    fields: Annotated[
        str | None,
        typer.Option(
            "--fields",
            help="Only these fields of each JSON object, e.g. --fields id,name (implies --json).",
        ),
    ] = None,
    max_retries: Annotated[
        int | None,
        typer.Option("--max-retries", min=0, help="Retries of a failed request (default 8)."),
    ] = None,
    timeout: Annotated[
        float | None,
        typer.Option("--timeout", min=0.1, help="Seconds to wait for an answer (default 120)."),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    set_json_fields(fields)
    ctx.obj = Settings(
        sandbox=use_sandbox,
        base_url=base_url,
        allow_insecure_http=allow_insecure_http,
        json=json or fields is not None,
        max_retries=max_retries,
        timeout=timeout,
    )


app.add_typer(numbers.app, name="numbers")
app.add_typer(autodial.app, name="autodial")
app.add_typer(history.app, name="history")
app.add_typer(sms.app, name="sms")
app.command("lines")(project.lines)
app.command("dictionary")(project.dictionary)
app.command("sandbox")(sandbox.serve)


def main() -> None:
    """The console script's entry point."""
    app()
