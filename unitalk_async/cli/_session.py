"""What every command shares: the settings, the client (or an embedded sandbox), failures.

A command is an `async def` run by `run(settings, job)`: `job` receives a connected
`UnitalkClient`. Expected failures (`UnitalkError`, file errors) become one line on stderr
and a non-zero exit code, never a traceback; nothing ever prints the API key.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from unitalk_async import (
    AuthenticationError,
    BillingError,
    ConfigurationError,
    NotFoundError,
    OutcomeUnknownError,
    PermanentlyBlockedError,
    RateLimitError,
    TransportError,
    UnitalkClient,
    UnitalkError,
    ValidationError,
)
from unitalk_async.cli._connect import ConnectionRefused, check_settings, make_client
from unitalk_async.cli._output import err_console, fail

if TYPE_CHECKING:
    from unitalk_async.sandbox import SandboxServer

T = TypeVar("T")

#: Exit codes: 0 done; 1 failed; 2 usage error (Typer's); 3 done, but items were rejected.
EXIT_FAILED = 1
EXIT_REJECTED = 3


@dataclass
class Settings:
    """The global options, shared by every command through Typer's context."""

    sandbox: bool = False
    base_url: str | None = None
    allow_insecure_http: bool = False
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


def upper_choices(
    valid: Sequence[str], what: str
) -> Callable[[list[str] | None], list[str] | None]:
    """A Typer callback: each value, upper-cased, must be one of `valid`; a usage error
    listing them otherwise (a typo must not quietly select nothing)."""

    def check(values: list[str] | None) -> list[str] | None:
        if values is None:
            return None
        chosen = [value.strip().upper() for value in values]
        for value, given in zip(chosen, values, strict=True):
            if value not in valid:
                raise typer.BadParameter(f"{given!r} is not a {what}; one of {', '.join(valid)}")
        return chosen

    return check


def completer(valid: Sequence[str]) -> Callable[[str], list[str]]:
    """Shell completion (`unitalk --install-completion`) of an option's valid values."""

    def complete(incomplete: str) -> list[str]:
        return [value for value in valid if value.startswith(incomplete.upper())]

    return complete


def upper_choice(valid: Sequence[str], what: str) -> Callable[[str | None], str | None]:
    """`upper_choices` for an option given once."""
    check = upper_choices(valid, what)

    def check_one(value: str | None) -> str | None:
        if value is None:
            return None
        [chosen] = check([value]) or [value]
        return chosen

    return check_one


def parse_when(value: str, option: str) -> datetime:
    """'yyyy-MM-dd' or 'yyyy-MM-dd HH:mm[:ss]' as a naive datetime (a bare date is the
    start of that day); a bad one ends the command with a usage error."""
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        fail(f"{option}: expected 'yyyy-MM-dd[ HH:mm:ss]', got {value!r}", 2)
    if parsed.tzinfo is not None:
        fail(f"{option}: give the project's local time, without a time zone", 2)
    return parsed


#: What `--to` means in every command: up to and including that moment; a bare date
#: includes that whole day, a time includes that second.
TO_HELP = "Up to 'yyyy-MM-dd[ HH:mm:ss]' (project time), inclusive: a bare date includes that day."


def parse_to(value: str, *, api_excludes: bool) -> datetime:
    """`--to` as the bound the API wants. `api_excludes`: the endpoint's bound excludes its
    value (GET_CALLS_HISTORY), so the moment after the last one included is passed."""
    parsed = parse_when(value, "--to")
    whole_day = len(value.strip()) == 10
    if api_excludes:
        return parsed + (timedelta(days=1) if whole_day else timedelta(seconds=1))
    return parsed.replace(hour=23, minute=59, second=59) if whole_day else parsed


class CommandError(Exception):
    """Raised by a command for an expected failure that is not a `UnitalkError`."""


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
    from unitalk_async.sandbox.sample import SAMPLE_CALLS, SAMPLE_NUMBERS, add_sample_autodialer

    with run_sandbox(SandboxConfig()) as server:
        sample = add_sample_autodialer(server.sandbox)
        err_console().print(
            f"[dim]sandbox: {server.base_url}; autodialer {sample} has "
            f"{SAMPLE_NUMBERS} numbers and {SAMPLE_CALLS} calls[/]"
        )
        settings.server = server
        try:
            yield
        finally:
            settings.server = None


class Interrupted(Exception):
    """Raised when SIGINT (Ctrl-C) or SIGTERM stopped a command; the work in hand was
    cancelled, so files being written were cleaned up and partial results reported."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


async def _cancelled_by_signals(job: Awaitable[T]) -> T:
    """Run `job`; SIGINT and SIGTERM alike cancel it (its cleanup runs) and raise
    `Interrupted`. Where the loop cannot take signal handlers, Ctrl-C still interrupts."""
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()
    received: list[int] = []

    def stop(signum: int) -> None:
        received.append(signum)
        if task is not None:
            task.cancel()

    handled = []
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signum, stop, signum)
            handled.append(signum)
    try:
        return await job
    except asyncio.CancelledError:
        if received:
            raise Interrupted(received[0]) from None
        raise
    finally:
        for signum in handled:
            loop.remove_signal_handler(signum)


def run(
    settings: Settings,
    what: str,
    job: Callable[[UnitalkClient], Awaitable[T]],
) -> T:
    """Run `job(client)` on a fresh event loop; expected failures end the process cleanly.

    `what` names the operation in error messages ("uploading numbers to autodialer 5").
    """

    async def main() -> T:
        async with make_client(settings) as client:
            return await job(client)

    try:
        with embedded_sandbox(settings):
            problem = check_settings(settings)
            if problem is not None:
                fail(problem)
            return asyncio.run(_cancelled_by_signals(main()))
    except BrokenPipeError:
        # The reader went away (`... -o - | head`): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(0) from None
    except (UnitalkError, OSError) as exc:
        fail(describe(what, exc))
    except (CommandError, ConnectionRefused) as exc:
        fail(f"{what} failed: {exc}")
    except Interrupted as exc:
        fail(f"{what}: interrupted by {exc}", 128 + exc.signum)
    except KeyboardInterrupt:
        fail(f"{what}: interrupted by SIGINT", 128 + signal.SIGINT)
