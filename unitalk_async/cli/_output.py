"""How commands talk to people (Rich tables, progress bars on stderr) and scripts (`--json`)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from unitalk_async import to_builtins, to_json

#: `--fields id,name`: the fields `print_json` keeps of each object (None: all of them).
_json_fields: list[str] | None = None


def out_console() -> Console:
    # Made per call: tests swap sys.stdout, and a pipe gets plain text, no colours.
    return Console(file=sys.stdout, highlight=False, soft_wrap=False)


#: The console of the progress bar on screen, if any: lines printed meanwhile (a retry,
#: say) go through it, so they appear above the bar instead of tearing it.
_live_console: Console | None = None


def err_console() -> Console:
    if _live_console is not None:
        return _live_console
    return Console(file=sys.stderr, highlight=False, soft_wrap=True)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print one line to stderr and exit with `code`."""
    err_console().print(f"[bold red]error:[/] {message}", soft_wrap=True, markup=True)
    raise typer.Exit(code)


def set_json_fields(fields: str | None) -> None:
    """Keep only these comma-separated fields in `print_json`'s objects (None: all)."""
    global _json_fields
    _json_fields = None if fields is None else [f.strip() for f in fields.split(",") if f.strip()]


class UnknownFieldError(Exception):
    """Raised when `--fields` names a field no printed object has."""


def select_fields(value: Any, fields: Sequence[str]) -> Any:
    """`value` (an object or a list of them, in wire form) with only `fields` kept."""
    objects = value if isinstance(value, list) else [value]
    if not all(isinstance(item, dict) for item in objects):
        return value
    present = {key for item in objects for key in item}
    missing = [name for name in fields if name not in present]
    if objects and missing:
        raise UnknownFieldError(
            f"--fields: no field {', '.join(missing)} here (fields: {', '.join(sorted(present))})"
        )
    kept = [{name: item[name] for name in fields if name in item} for item in objects]
    return kept if isinstance(value, list) else kept[0]


def print_json(value: Any) -> None:
    """One JSON document on stdout (structs in their wire form, camelCase)."""
    if _json_fields is not None:
        try:
            value = select_fields(to_builtins(value), _json_fields)
        except UnknownFieldError as exc:
            fail(str(exc), 2)
    sys.stdout.write(to_json(value).decode() + "\n")
    sys.stdout.flush()


def cell(value: object, *, is_id: bool = False) -> str:
    """A table cell: counts with thousands separators (ids without), None empty."""
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool) and not is_id:
        return f"{value:,}"
    return str(value)


def print_table(
    title: str | None, headers: Sequence[str], rows: Sequence[Sequence[object]]
) -> None:
    table = Table(title=title, title_justify="left", show_edge=True)
    for header in headers:
        table.add_column(header, overflow="fold")
    ids = [header in ("id", "line") for header in headers]
    for row in rows:
        table.add_row(*(cell(value, is_id=is_id) for value, is_id in zip(row, ids, strict=False)))
    out_console().print(table)


def print_pairs(title: str, pairs: Sequence[tuple[str, object]]) -> None:
    """A two-column key/value table."""
    rows = [(key, cell(value, is_id=key == "id")) for key, value in pairs]
    print_table(title, ["field", "value"], rows)


class RateColumn(ProgressColumn):
    """Items per second, in the task's own unit."""

    def __init__(self, unit: str) -> None:
        super().__init__()
        self.unit = unit

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed or 0:,.0f} {self.unit}/s", style="cyan")


class FieldColumn(ProgressColumn):
    """A value the command keeps in the task's fields (governor waits, say)."""

    def __init__(self, name: str, fmt: Callable[[Any], str]) -> None:
        super().__init__()
        self.name, self.fmt = name, fmt

    def render(self, task: Task) -> Text:
        value = task.fields.get(self.name)
        return Text("" if value is None else self.fmt(value), style="dim")


class Bar:
    """A progress bar on stderr that a bulk or paging `progress(done, total)` callback feeds."""

    def __init__(self, progress: Progress, task_id: Any, waits: Callable[[], float]) -> None:
        self._progress, self._task, self._waits = progress, task_id, waits

    def __call__(self, done: int, total: int | None) -> None:
        self._progress.update(self._task, completed=done, total=total, waits=self._waits())


@contextmanager
def progress_bar(description: str, unit: str, waits: Callable[[], float]) -> Iterator[Bar]:
    """A bar showing done/total, `unit`/s, elapsed time and the governor's waits so far."""
    progress = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        RateColumn(unit),
        TimeElapsedColumn(),
        FieldColumn("waits", lambda s: f"governor waits {s:.1f}s"),
        console=err_console(),
        transient=False,
        disable=not sys.stderr.isatty(),
    )
    global _live_console
    with progress:
        task_id = progress.add_task(description, total=None, waits=0.0)
        _live_console = progress.console
        try:
            yield Bar(progress, task_id, waits)
        finally:
            _live_console = None
