"""Files the commands read and write: number CSVs in, records out as JSON Lines or CSV.

Everything streams: a CSV of millions of numbers is read row by row, an export is written
record by record, so memory does not grow with the file.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
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
    """FILE.rejects.csv beside FILE; stdin.rejects.csv here when reading stdin."""
    if str(source) == "-":
        return Path("stdin.rejects.csv")
    return source.with_name(f"{source.stem}.rejects.csv")


# --- numbers in --------------------------------------------------------------------------------
#: "-" as FILE: read standard input.
STDIN = "-"
#: Bytes looked at to tell the encoding.
_SAMPLE = 1 << 16
#: Delimiters a number CSV may use: Excel writes ';' in locales whose decimal mark is ','
#: (uk, ru, de, ...), and '\t' when saving "Text (Tab delimited)".
_DELIMITERS = ",;\t|"


def is_stdin(path: Path) -> bool:
    return str(path) == STDIN


def count_rows(path: Path) -> int | None:
    """Data rows in a CSV with a header, counted fast (newlines, in binary); None for stdin."""
    if is_stdin(path):
        return None
    newlines = 0
    last = b"\n"
    with path.open("rb") as file:
        while block := file.read(1 << 20):
            newlines += block.count(b"\n")
            last = block[-1:]
    lines = newlines + (last != b"\n")
    return max(0, lines - 1)


def sniff_encoding(head: bytes) -> str:
    """UTF-8 (with or without a BOM) if `head` decodes as such, else cp1251 (Windows'
    Cyrillic, what Excel saves "CSV" as in uk/ru locales)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "cp1251"
    return "utf-8"


def sniff_delimiter(header: str) -> str:
    """The delimiter of a CSV, told by its header line: the most frequent of `_DELIMITERS`
    (',' when none occurs). The header only, since csv.Sniffer also weighs the data rows,
    where numbers like '+380 (50) 111-22-33' mislead it."""
    counts = {delimiter: header.count(delimiter) for delimiter in _DELIMITERS}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


class _Prefixed(io.RawIOBase):
    """A binary stream: the bytes already read (`head`), then the rest of `stream`."""

    def __init__(self, head: bytes, stream: IO[bytes]) -> None:
        self._head, self._stream = memoryview(head), stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


@contextmanager
def open_csv_text(path: Path) -> Iterator[IO[str]]:
    """`path` (or stdin for "-") as text in its sniffed encoding, newlines untranslated."""
    with contextlib.ExitStack() as stack:
        binary: IO[bytes] = (
            sys.stdin.buffer if is_stdin(path) else stack.enter_context(path.open("rb"))
        )
        head = binary.read(_SAMPLE)
        raw = io.BufferedReader(_Prefixed(head, binary))
        yield io.TextIOWrapper(raw, encoding=sniff_encoding(head), newline="")


def read_numbers(path: Path) -> Iterator[str | dict[str, Any]]:
    """The numbers of a CSV (header `phone,name,note,link,p1..p10`), one per row, lazily.

    The encoding (UTF-8 with or without BOM, cp1251) and the delimiter (, ; tab |) are
    sniffed. A row with only a phone is a plain string (the fast path); others are
    mappings of `NumberWithData`'s fields. Bad rows are passed on as they are:
    `add_numbers` rejects them with a reason, which ends up in the rejects file.
    """
    name = "stdin" if is_stdin(path) else str(path)
    try:
        with open_csv_text(path) as file:
            first = file.readline()
            if not first.strip():
                return
            delimiter = sniff_delimiter(first)
            header = next(csv.reader([first], delimiter=delimiter))
            columns = [column.strip().lower() for column in header]
            if "phone" not in columns:
                raise CommandError(
                    f"{name}: no 'phone' column in the header (expected "
                    f"{','.join(NUMBER_COLUMNS)}; got {first.strip()[:80]!r})"
                )
            unknown = [column for column in columns if column and column not in NUMBER_COLUMNS]
            if unknown:
                raise CommandError(f"{name}: unknown columns {', '.join(unknown)}")
            phone_at = columns.index("phone")
            only_phone = len(columns) == 1
            for row in csv.reader(file, delimiter=delimiter):
                if only_phone:
                    yield row[0] if row else ""
                    continue
                yield _number(columns, row, phone_at)
    except UnicodeDecodeError as exc:
        raise CommandError(f"{name}: not UTF-8 text ({exc.reason})") from None
    except csv.Error as exc:
        raise CommandError(f"{name}: not a valid CSV ({exc})") from None


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
