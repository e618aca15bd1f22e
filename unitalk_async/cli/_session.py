"""What every command shares: the settings, the client (or an embedded sandbox), failures.

A command is an `async def` run by `run(settings, job)`: `job` receives a connected
`UnitalkClient`. Expected failures (`UnitalkError`, file errors) become one line on stderr
and a non-zero exit code, never a traceback; nothing ever prints the API key.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer

from unitalk_async import (
    AuthenticationError,
    BillingError,
    ConfigurationError,
    Limits,
    NotFoundError,
    OutcomeUnknownError,
    PermanentlyBlockedError,
    RateLimitError,
    TransportError,
    UnitalkClient,
    UnitalkError,
    ValidationError,
)
from unitalk_async.cli._output import err_console

if TYPE_CHECKING:
    from unitalk_async.sandbox import SandboxServer

T = TypeVar("T")

#: Exit codes: 0 done; 1 failed; 2 usage error (Typer's); 3 done, but items were rejected.
EXIT_FAILED = 1
EXIT_REJECTED = 3

#: The sample autodialer `--sandbox` sets up, so every command has something to work on.
SAMPLE_NUMBERS = 200
SAMPLE_CALLS = 120


@dataclass
class Settings:
    """The global options, shared by every command through Typer's context."""

    sandbox: bool = False
    base_url: str | None = None
    json: bool = False
    max_retries: int | None = None
    timeout: float | None = None
    server: SandboxServer | None = field(default=None, repr=False)


#: `--json` on every command too (it is also a global option, before the command).
JsonOption = Annotated[bool, typer.Option("--json", help="Print results as JSON, for scripts.")]


def settings_of(ctx: typer.Context, json: bool = False) -> Settings:
    """The global settings, with a command's own `--json` applied."""
    settings: Settings = ctx.obj
    settings.json = settings.json or json
    return settings


def parse_when(value: str, option: str, *, end_of_day: bool = False) -> datetime:
    """'yyyy-MM-dd' or 'yyyy-MM-dd HH:mm[:ss]' as a naive datetime (a bare date is the
    start of the day, or its last second with `end_of_day`); a bad one ends the command."""
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        fail(f"{option}: expected 'yyyy-MM-dd[ HH:mm:ss]', got {value!r}", 2)
    if parsed.tzinfo is not None:
        fail(f"{option}: give the project's local time, without a time zone", 2)
    if end_of_day and len(value.strip()) == 10:
        parsed = parsed.replace(hour=23, minute=59, second=59)
    return parsed


class CommandError(Exception):
    """Raised by a command for an expected failure that is not a `UnitalkError`."""


def fail(message: str, code: int = EXIT_FAILED) -> NoReturn:
    """Print one line to stderr and exit with `code`."""
    err_console().print(f"[bold red]error:[/] {message}", soft_wrap=True, markup=True)
    raise typer.Exit(code)


# What the user can do, by error class; the first match wins (subclasses before bases).
_HINTS: tuple[tuple[type[UnitalkError], str], ...] = (
    (AuthenticationError, "check UNITALK_API_KEY (the key on the 'API' page of your account)"),
    (PermanentlyBlockedError, "contact Unitalk support: this key is blocked"),
    (RateLimitError, "the key is rate-limited; wait a minute and try again"),
    (OutcomeUnknownError, "check whether it took effect before trying again"),
    (TransportError, "check your network and UNITALK_BASE_URL, then try again"),
    (BillingError, "check the project's balance and tariff"),
    (NotFoundError, "check the id (`unitalk autodial list` lists autodialers)"),
    (ValidationError, "fix the value and try again"),
    (ConfigurationError, "see `unitalk --help`"),
)


def hint(exc: UnitalkError) -> str:
    """What the user can do about `exc`."""
    for cls, text in _HINTS:
        if isinstance(exc, cls):
            return text
    return "see `unitalk --help` or the API reference"


def describe(what: str, exc: BaseException) -> str:
    """`<what> failed: <the service's message> (<what to do>)` as one line."""
    if isinstance(exc, UnitalkError):
        return f"{what} failed: {exc.message} ({hint(exc)})"
    if isinstance(exc, OSError):
        name = f" {exc.filename}" if exc.filename else ""
        return f"{what} failed: cannot use{name}: {exc.strerror or exc} (check the path)"
    return f"{what} failed: {exc}"


@contextlib.contextmanager
def guarded(what: str) -> Iterator[None]:
    """Expected failures of local work (files) inside the block end the command cleanly."""
    try:
        yield
    except OSError as exc:
        fail(describe(what, exc))
    except CommandError as exc:
        fail(f"{what} failed: {exc}")


@contextlib.contextmanager
def embedded_sandbox(settings: Settings) -> Iterator[None]:
    """With `--sandbox`: serve a fresh sandbox in a thread for the command's duration."""
    if not settings.sandbox:
        yield
        return
    from unitalk_async.sandbox import SandboxConfig, run_sandbox

    with run_sandbox(SandboxConfig()) as server:
        settings.server = server
        try:
            yield
        finally:
            settings.server = None


def make_client(settings: Settings) -> UnitalkClient:
    """The client for this command: the embedded sandbox's, or the real API's from env."""
    options: dict[str, Any] = {}
    if settings.max_retries is not None:
        options["max_retries"] = settings.max_retries
    if settings.timeout is not None:
        options["timeout"] = settings.timeout
    server = settings.server
    if server is not None:
        # The sandbox enforces the API's real limits by default; so does the client.
        return UnitalkClient(server.api_key, base_url=server.base_url, limits=Limits(), **options)
    return UnitalkClient(base_url=settings.base_url, **options)


async def prepare_sandbox(settings: Settings, client: UnitalkClient) -> None:
    """Give a fresh embedded sandbox one autodialer with numbers and calls to work on."""
    server = settings.server
    if server is None:
        return
    from unitalk_async.models.autodial import AutodialTask
    from unitalk_async.models.enums import AutodialerMode, ClientCalledMode, CrmMode

    data = await client.autodial.get_with_data()
    scenario = next(iter(data.scenarios or {}), None)
    task = AutodialTask(
        name="Sandbox autodialer",
        autodialer_mode=AutodialerMode.FIXED,
        start_date=date.today(),
        end_date=date.today().replace(year=date.today().year + 1),
        time_from=["00:00"] * 7,
        time_to=["23:59"] * 7,
        crm_mode=CrmMode.DONT_SEND,
        client_called_mode=ClientCalledMode.NEVER,
        thread_count=1,
        scenario_id=scenario,
        numbers=[str(380_500_000_000 + i) for i in range(SAMPLE_NUMBERS)],
    )
    created = await client.autodial.add(task)
    server.sandbox.simulate_calls(created.id, SAMPLE_CALLS)
    err_console().print(
        f"[dim]sandbox: {server.base_url}; autodialer {created.id} has {SAMPLE_NUMBERS} "
        f"numbers and {SAMPLE_CALLS} calls[/]"
    )


def run(
    settings: Settings,
    what: str,
    job: Callable[[UnitalkClient], Awaitable[T]],
) -> T:
    """Run `job(client)` on a fresh event loop; expected failures end the process cleanly.

    `what` names the operation in error messages ("uploading numbers to autodialer 5").
    """

    async def main() -> T:
        if settings.server is not None:
            async with make_client(settings) as setup:  # its requests stay out of the stats
                await prepare_sandbox(settings, setup)
        async with make_client(settings) as client:
            return await job(client)

    try:
        with embedded_sandbox(settings):
            return asyncio.run(main())
    except BrokenPipeError:
        # The reader went away (`... -o - | head`): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(0) from None
    except (UnitalkError, OSError) as exc:
        fail(describe(what, exc))
    except CommandError as exc:
        fail(f"{what} failed: {exc}")
    except KeyboardInterrupt:
        fail(f"{what}: interrupted", 130)
