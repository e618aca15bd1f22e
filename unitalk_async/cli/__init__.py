"""The `unitalk` command line (`pip install 'unitalk-async[cli]'`): Typer commands over the
public client, Rich tables for people, `--json` for scripts."""

try:
    import rich  # noqa: F401
    import typer  # noqa: F401
except ImportError as exc:  # an extra, not a core dependency
    raise ImportError(
        f"{__name__} needs the [cli] extra: pip install 'unitalk-async[cli]' ({exc})"
    ) from exc

from unitalk_async.cli._app import app, main

__all__ = ["app", "main"]
