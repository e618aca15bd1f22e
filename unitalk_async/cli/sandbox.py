"""`unitalk sandbox`: serve a local sandbox in the foreground (like `python -m
unitalk_async.sandbox`)."""

from __future__ import annotations

from typing import Annotated

import typer


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port (0: a free one).")] = 8765,
    seed: Annotated[int, typer.Option(help="Seed of the generated project.")] = 0,
    history_size: Annotated[int, typer.Option(help="Generated call-history records.")] = 1000,
    no_limits: Annotated[
        bool, typer.Option("--no-limits", help="Do not enforce the API's limits.")
    ] = False,
    admin: Annotated[bool, typer.Option("--admin", help="Mount /__admin (no key needed).")] = False,
    empty: Annotated[
        bool, typer.Option("--empty", help="Start without the sample autodialer.")
    ] = False,
) -> None:
    """Serve a Unitalk-compatible API on HOST:PORT until Ctrl-C, with a sample autodialer.

    It prints an `export UNITALK_BASE_URL=... UNITALK_API_KEY=...` line: paste it into
    another shell, and every `unitalk` command there (and UnitalkClient()) uses the sandbox.
    """
    from unitalk_async.sandbox.__main__ import main

    argv = ["--host", host, "--port", str(port), "--seed", str(seed)]
    argv += ["--history-size", str(history_size)]
    argv += ["--no-limits"] if no_limits else []
    argv += ["--admin"] if admin else []
    argv += ["--empty"] if empty else []
    main(argv)
