"""The `unitalk` command: global options and the command tree."""

from __future__ import annotations

from typing import Annotated

import typer

from unitalk_async import __version__
from unitalk_async._config import ENV_BASE_URL
from unitalk_async.cli import autodial, history, numbers, project, sandbox, sms
from unitalk_async.cli._session import Settings

app = typer.Typer(
    name="unitalk",
    help=(
        "The Unitalk API from the command line. The API key comes from UNITALK_API_KEY "
        "(never from an option, so it stays out of shell history); --sandbox runs against "
        "a local sandbox instead, no key needed."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    add_completion=False,
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
        typer.Option("--base-url", envvar=ENV_BASE_URL, help="The API's base URL."),
    ] = None,
    json: Annotated[
        bool, typer.Option("--json", help="Print results as JSON, for scripts.")
    ] = False,
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
    ctx.obj = Settings(
        sandbox=use_sandbox,
        base_url=base_url,
        json=json,
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
