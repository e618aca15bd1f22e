"""The `unitalk` command line (`pip install 'unitalk-async[cli]'`): Typer commands over the
public client, Rich tables for people, `--json` for scripts."""

import sys

try:
    import rich  # noqa: F401
    import typer  # noqa: F401
except ImportError as exc:  # an extra, not a core dependency
    _MISSING: str | None = exc.name or "typer"
else:
    _MISSING = None

if _MISSING is None:
    from unitalk_async.cli._app import app, main
else:
    _NEEDS_EXTRA = (
        f"the unitalk command needs the [cli] extra ({_MISSING} is not installed): "
        "pip install 'unitalk-async[cli]'"
    )

    def main() -> None:
        """The console script with only the core installed: one line, no traceback."""
        sys.exit(f"error: {_NEEDS_EXTRA}")

    def __getattr__(name: str) -> object:
        if name == "app":
            raise ImportError(_NEEDS_EXTRA, name=_MISSING)
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["app", "main"]
