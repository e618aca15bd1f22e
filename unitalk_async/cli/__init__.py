"""The `unitalk` command line (`pip install 'unitalk-async[cli]'`): Typer commands over the
public client, Rich tables for people, `--json` for scripts."""

from unitalk_async.cli._app import app, main

__all__ = ["app", "main"]
