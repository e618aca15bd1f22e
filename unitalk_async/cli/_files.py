"""Files the commands read and write: number CSVs in, records out as JSON Lines or CSV.

Everything streams: a CSV of millions of numbers is read row by row, an export is written
record by record, so memory does not grow with the file.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

import msgspec

from unitalk_async import Rejected, to_builtins, to_json
from unitalk_async.cli._session import CommandError

#: The number CSV's columns (all but `phone` optional); p1..p10 are the number's params.
PARAM_COLUMNS = tuple(f"p{i}" for i in range(1, 11))
NUMBER_COLUMNS = ("phone", "name", "note", "link", *PARAM_COLUMNS)
REJECT_COLUMNS = (*NUMBER_COLUMNS, "reason", "rejected_by")


class Format(StrEnum):
    JSONL = "jsonl"
    CSV = "csv"


def choose_format(path: Path | None, given: Format | None) -> Format:
    """`--format` if given, else by suffix (.csv is CSV; anything else JSON Lines)."""
    if given is not None:
        return given
    if path is not None and path.suffix.lower() == ".csv":
        return Format.CSV
    return Format.JSONL


def rejects_path(source: Path) -> Path:
    return source.with_name(f"{source.stem}.rejects.csv")


# --- numbers in --------------------------------------------------------------------------------
def count_rows(path: Path) -> int:
    """Data rows in a CSV with a header, counted fast (newlines, in binary)."""
    newlines = 0
    last = b"\n"
    with path.open("rb") as file:
        while block := file.read(1 << 20):
            newlines += block.count(b"\n")
            last = block[-1:]
    lines = newlines + (last != b"\n")
    return max(0, lines - 1)


def read_numbers(path: Path) -> Iterator[str | dict[str, Any]]:
    """The numbers of a CSV (header `phone,name,note,link,p1..p10`), one per row, lazily.

    A row with only a phone is a plain string (the fast path); others are mappings of
    `NumberWithData`'s fields. Bad rows are passed on as they are: `add_numbers` rejects
    them with a reason, which ends up in the rejects file.
    """
    try:
        with path.open(newline="", encoding="utf-8-sig") as file:
            reader = csv.reader(file)
            header = next(reader, None)
            if header is None:
                return
            columns = [name.strip().lower() for name in header]
            if "phone" not in columns:
                raise CommandError(
                    f"{path}: no 'phone' column in the header (expected {','.join(NUMBER_COLUMNS)})"
                )
            unknown = [name for name in columns if name and name not in NUMBER_COLUMNS]
            if unknown:
                raise CommandError(f"{path}: unknown columns {', '.join(unknown)}")
            phone_at = columns.index("phone")
            only_phone = len(columns) == 1
            for row in reader:
                if only_phone:
                    yield row[0] if row else ""
                    continue
                yield _number(columns, row, phone_at)
    except UnicodeDecodeError as exc:
        raise CommandError(f"{path}: not UTF-8 text ({exc.reason})") from None
    except csv.Error as exc:
        raise CommandError(f"{path}: not a valid CSV ({exc})") from None


def _number(columns: Sequence[str], row: Sequence[str], phone_at: int) -> str | dict[str, Any]:
    phone = row[phone_at].strip() if phone_at < len(row) else ""
    number: dict[str, Any] = {"phone": phone}
    params: dict[int, str] = {}
    for name, value in zip(columns, row, strict=False):
        if not value or name == "phone":
            continue
        if name in PARAM_COLUMNS:
            params[int(name[1:])] = value
        else:
            number[name] = value
    if params:
        number["params"] = params
    return phone if len(number) == 1 else number


def reject_row(rejected: Rejected) -> dict[str, str]:
    """A rejects-file row: the number's columns as read, the reason, who refused it."""
    item: Any = rejected.item
    if isinstance(item, msgspec.Struct):
        item = to_builtins(item)
    row = {name: "" for name in REJECT_COLUMNS}
    if isinstance(item, Mapping):
        for name in ("phone", "name", "note", "link"):
            value = item.get(name)
            row[name] = "" if value is None else str(value)
        params = item.get("params")
        if isinstance(params, Mapping):
            for key, value in params.items():
                column = f"p{key}"
                if column in row:
                    row[column] = "" if value is None else str(value)
    else:
        row["phone"] = str(item)
    row["reason"] = rejected.reason
    row["rejected_by"] = "service" if rejected.by_service else "client"
    return row


def write_rejects(path: Path, rejected: Sequence[Rejected]) -> None:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=REJECT_COLUMNS)
        writer.writeheader()
        for item in rejected:
            writer.writerow(reject_row(item))


# --- records out --------------------------------------------------------------------------------
class RecordWriter:
    """Writes structs (or dicts) one by one as JSON Lines or CSV.

    CSV columns are the record type's wire field names; nested values are JSON-encoded.
    """

    def __init__(self, file: IO[str], fmt: Format, columns: Sequence[str]) -> None:
        self._file, self._format = file, fmt
        self._columns = list(columns)
        self._csv: Any = None
        if fmt is Format.CSV:
            self._csv = csv.writer(file)
            self._csv.writerow(self._columns)
        self.count = 0

    def write(self, record: Any) -> None:
        if self._csv is None:
            self._file.write(to_json(record).decode())
            self._file.write("\n")
        else:
            row = to_builtins(record)
            self._csv.writerow([_cell(row.get(name)) for name in self._columns])
        self.count += 1


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return msgspec.json.encode(value).decode()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def wire_columns(record_type: type[msgspec.Struct]) -> list[str]:
    """A struct type's field names as on the wire (camelCase)."""
    return list(record_type.__struct_encode_fields__)


@contextmanager
def record_writer(
    path: Path | None, fmt: Format, record_type: type[msgspec.Struct]
) -> Iterator[RecordWriter]:
    """A `RecordWriter` on `path` (written to a temporary name, renamed when complete) or
    stdout when `path` is None or "-"."""
    columns = wire_columns(record_type)
    if path is None or str(path) == "-":
        yield RecordWriter(sys.stdout, fmt, columns)
        sys.stdout.flush()
        return
    partial = path.with_name(f".{path.name}.partial")
    try:
        opened = partial.open("w", newline="", encoding="utf-8")
    except OSError as exc:  # name the file the user asked for, not the temporary one
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    with opened as file:
        writer = RecordWriter(file, fmt, columns)
        try:
            yield writer
        except BaseException:
            file.close()
            partial.unlink(missing_ok=True)
            raise
    partial.replace(path)
