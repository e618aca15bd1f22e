"""What every benchmark script shares: its command line, its table, its summary file.

Each benchmark prints its own table and, with `--summary-json PATH`, writes its headline
figures as a list of `Figure` dicts, which `run_all.py` gathers into one table.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python benchmarks/x.py` from anywhere
    sys.path.insert(0, str(ROOT))


@dataclass(frozen=True)
class Figure:
    """One headline figure: a value (usually a ratio), its target, and whether it met it."""

    benchmark: str
    metric: str
    value: float
    target: str
    ok: bool | None = None  # None: informational, no target
    unit: str = ""


def parse_args(description: str, argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="a small run (smoke test)")
    parser.add_argument(
        "--summary-json", type=Path, default=None, help="write the headline figures here"
    )
    return parser.parse_args(argv)


def console() -> Console:
    # A fixed width keeps tables readable when stdout is a pipe (run_all, tests).
    width = None if sys.stdout.isatty() else int(os.environ.get("COLUMNS", "130"))
    return Console(width=width, highlight=False)


def print_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    table = Table(title=title, title_justify="left")
    for i, header in enumerate(headers):
        table.add_column(header, justify="left" if i == 0 else "right")
    for row in rows:
        table.add_row(*(_cell(value) for value in row))
    console().print(table)


def print_figures(figures: Sequence[Figure], title: str = "Headline figures") -> None:
    print_table(
        title,
        ["benchmark", "metric", "value", "target", "met"],
        [
            (
                f.benchmark,
                f.metric,
                f"{_cell(f.value)}{(' ' + f.unit) if f.unit else ''}",
                f.target,
                "-" if f.ok is None else ("yes" if f.ok else "NO"),
            )
            for f in figures
        ],
    )


def write_summary(path: Path | None, figures: Sequence[Figure]) -> None:
    if path is not None:
        path.write_text(json.dumps([asdict(f) for f in figures], indent=1))


def read_summary(path: Path) -> list[Figure]:
    return [Figure(**item) for item in json.loads(path.read_text())]


def _cell(value: object) -> str:
    if isinstance(value, float):
        if value == 0:
            return "0"
        if abs(value) >= 100:
            return f"{value:,.0f}"
        if abs(value) >= 10:
            return f"{value:.1f}"
        return f"{value:.3f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)
