"""The reference's JSON examples for the M2 endpoints, picked by the prose before them.

Private to these tests until the shared extractor (tests/reference/examples.py) lands.
`//` comments and `...` lines are removed, trailing commas dropped, and two missing commas
(/users/list and /users/getStatus after `"middleName": "Triple"`, /history/get after
`"facebookClientId"`) are repaired: a value ending a line followed by a line opening with a
key gets its comma.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

REFERENCE = Path(__file__).parent.parent / "reference" / "unitalk-api.txt"
_TEXT = REFERENCE.read_text(encoding="utf-8")
_LINES = _TEXT.splitlines()
_VALUE_END = re.compile(r'("|\d|true|false|null|[}\]])$')
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")


def example(anchor: str, nth: int = 0) -> str:
    """The JSON text of the `nth` example (0-based) after the first line containing `anchor`."""
    start = next(i for i, line in enumerate(_LINES) if anchor in line)
    seen = -1
    i = start
    while i < len(_LINES):
        line = _LINES[i]
        stripped = line.lstrip()
        opener = _opener(stripped) if i > start else _inline_opener(line)
        if opener is not None:
            seen += 1
            if seen == nth:
                return _repair(_block(i, opener))
            _, i = _block_end(i, opener)
            continue
        i += 1
    raise LookupError(f"example {nth} after {anchor!r} not found")


def example_value(anchor: str, nth: int = 0) -> Any:
    return json.loads(example(anchor, nth))


def _opener(stripped: str) -> int | None:
    return 0 if stripped[:1] in ("{", "[") else None


def _inline_opener(line: str) -> int | None:
    # The anchor line itself may end with an inline answer: `... {"status": "Success"}`.
    index = line.find('{"status"')
    return index if index >= 0 else None


def _block(i: int, column: int) -> list[str]:
    block, _ = _block_end(i, column)
    return block


def _block_end(i: int, column: int) -> tuple[list[str], int]:
    depth = 0
    block: list[str] = []
    first = True
    while True:
        code = _strip_comment(_LINES[i][column:] if first else _LINES[i])
        first = False
        block.append(code)
        depth += _depth_change(code)
        i += 1
        if depth <= 0:
            return block, i


def _scan(line: str) -> tuple[int, int | None]:
    """(bracket depth change, index of a `//` comment) for one line, outside strings."""
    depth = 0
    in_string = False
    escaped = False
    for index, char in enumerate(line):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
            continue
        if char == '"':
            in_string = True
        elif char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
        elif line.startswith("//", index):
            return depth, index
    return depth, None


def _strip_comment(line: str) -> str:
    _, comment = _scan(line)
    return (line if comment is None else line[:comment]).rstrip()


def _depth_change(code: str) -> int:
    return _scan(code)[0]


def _repair(block: list[str]) -> str:
    lines = [line for line in block if line.strip() and line.strip() not in ("...", "...,")]
    for index in range(len(lines) - 1):
        current = lines[index].rstrip()
        if _VALUE_END.search(current) and lines[index + 1].lstrip().startswith('"'):
            lines[index] = current + ","
    return _TRAILING_COMMA.sub(r"\1", "\n".join(lines))


def round_trip(text: str, type_: Any) -> Any:
    """Decode `text` as `type_`, check it encodes back to the same document, return it."""
    from unitalk_async import _codec

    value = _codec.decode(text, type_)
    assert json.loads(_codec.encode(value)) == json.loads(text)
    return value
