"""Find the JSON examples of the reference and turn them into JSON.

The reference's examples are JSON "with comments": `//` comments, `...` standing for more
elements or members, trailing commas, and a few real mistakes (a missing comma, a key with
no value). `examples_between(start, end)` locates every example between two headings and
cleans it; the repairs it had to make are listed on the example so a test can say so.

    for example in examples_between("Autodialer", "Calls initiation"):
        value = example.value          # the cleaned JSON, parsed
        example.heading                # the nearest section heading above it
        example.repairs                # e.g. ("missing comma at line 12",)

Fragments ("An example of specific for AUTODIALER type part of request JSON:" followed by
bare members between `...` lines) are found too, wrapped in `{}`, with `fragment=True`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

REFERENCE = Path(__file__).with_name("unitalk-api.txt")
_HEADING_MARK = "Сopied"  # the reference's headings are followed by this line


@dataclass(frozen=True)
class Example:
    """One JSON example of the reference."""

    line: int  # 1-based line of its first line in the reference
    heading: str  # the nearest heading above it
    intro: str  # the prose line just above it ("Request JSON example:", ...)
    raw: str  # as printed in the reference
    text: str  # cleaned JSON
    repairs: tuple[str, ...]  # what had to be fixed beyond comments, "..." and commas
    fragment: bool  # bare members wrapped in {} by us

    @property
    def value(self) -> Any:
        return json.loads(self.text)

    @property
    def is_request(self) -> bool:
        return "request" in self.intro.lower() or (
            isinstance(self.value, dict) and "action" in self.value
        )


@cache
def reference_lines() -> tuple[str, ...]:
    return tuple(REFERENCE.read_text(encoding="utf-8").splitlines())


def examples_between(start_heading: str, end_heading: str) -> list[Example]:
    """Every example between the heading `start_heading` and the heading `end_heading`."""
    lines = reference_lines()
    start = _heading_index(lines, start_heading)
    end = _heading_index(lines, end_heading, after=start)
    return _examples(lines, start, end)


def _heading_index(lines: tuple[str, ...], title: str, after: int = 0) -> int:
    for i in range(after, len(lines) - 1):
        if lines[i].strip() == title and lines[i + 1].strip() == _HEADING_MARK:
            return i
    raise LookupError(f"heading {title!r} not found in the reference")


def _examples(lines: tuple[str, ...], start: int, end: int) -> list[Example]:
    found: list[Example] = []
    heading = lines[start].strip()
    i = start
    while i < end:
        line = lines[i]
        if i + 1 < len(lines) and lines[i + 1].strip() == _HEADING_MARK:
            heading = line.strip()
        stripped = line.lstrip()
        intro = lines[i - 1].strip() if i > 0 else ""
        if stripped.startswith(("{", "[")):
            stop = _balanced_end(lines, i)
            raw = "\n".join(lines[i : stop + 1])
            found.append(_make(i, heading, intro, raw, fragment=False))
            i = stop + 1
            continue
        if line.rstrip().endswith("part of request JSON:") and not lines[i + 1].startswith("{"):
            stop = i + 1
            while stop < end and _looks_like_member(lines[stop]):
                stop += 1
            raw = "\n".join(lines[i + 1 : stop])
            found.append(_make(i + 1, heading, line.strip(), raw, fragment=True))
            i = stop
            continue
        i += 1
    return found


def _looks_like_member(line: str) -> bool:
    stripped = line.strip()
    return stripped.startswith(('"', "...", "{", "}", "[", "]"))


def _balanced_end(lines: tuple[str, ...], first: int) -> int:
    depth = 0
    for j in range(first, len(lines)):
        code = strip_comments(lines[j])
        in_string = False
        escaped = False
        for char in code:
            if in_string:
                if escaped:
                    escaped = False
                elif char == "\\":
                    escaped = True
                elif char == '"':
                    in_string = False
            elif char == '"':
                in_string = True
            elif char in "{[":
                depth += 1
            elif char in "}]":
                depth -= 1
        if depth <= 0:
            return j
    raise ValueError(f"unbalanced example at line {first + 1}")


def strip_comments(text: str) -> str:
    """Remove `//` comments that are outside strings."""
    out: list[str] = []
    for line in text.split("\n"):
        in_string = False
        escaped = False
        cut = len(line)
        for k, char in enumerate(line):
            if in_string:
                if escaped:
                    escaped = False
                elif char == "\\":
                    escaped = True
                elif char == '"':
                    in_string = False
            elif char == '"':
                in_string = True
            elif line.startswith("//", k):
                cut = k
                break
        out.append(line[:cut].rstrip())
    return "\n".join(out)


_TRAILING_COMMA = re.compile(r",(\s*[\]}])")
_LEADING_COMMA = re.compile(r"([\[{]\s*),")
_DOUBLE_COMMA = re.compile(r",(\s*),")
_MISSING_COMMA = re.compile(r'(["\d\]}]|true|false|null)(\s*\n\s*)(?=["{\[])')
_MISSING_VALUE = re.compile(r":(\s*\n\s*)(?=\")")


def clean(raw: str, *, fragment: bool = False) -> tuple[str, tuple[str, ...]]:
    """The JSON text of an example and the repairs beyond comments, `...` and commas."""
    text = strip_comments(raw)
    text = _remove_ellipses(text)
    if fragment:
        text = "{\n" + text + "\n}"
    repairs: list[str] = []
    for _ in range(3):
        text = _DOUBLE_COMMA.sub(r",\1", text)
        text = _LEADING_COMMA.sub(r"\1", text)
        text = _TRAILING_COMMA.sub(r"\1", text)
    try:
        json.loads(text)
        return text, ()
    except json.JSONDecodeError:
        pass
    if _MISSING_VALUE.search(text):
        keys = [m.start() for m in _MISSING_VALUE.finditer(text)]
        text = _MISSING_VALUE.sub(r": null,\1", text)
        repairs.append(f"key without a value: null inserted ({len(keys)}x)")
    fixed, count = _MISSING_COMMA.subn(r"\1,\2", text)
    if count:
        text = fixed
        repairs.append(f"missing comma between members/elements ({count}x)")
    text = _TRAILING_COMMA.sub(r"\1", text)
    json.loads(text)  # raises if still broken
    return text, tuple(repairs)


def _remove_ellipses(text: str) -> str:
    """Drop every `...` outside strings ("https://..." and "AAA...." stay as they are)."""
    out: list[str] = []
    in_string = False
    escaped = False
    k = 0
    while k < len(text):
        char = text[k]
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif text.startswith("...", k):
            k += 3
            continue
        out.append(char)
        k += 1
    return "\n".join(line for line in "".join(out).split("\n") if line.strip() != ",")


def _make(index: int, heading: str, intro: str, raw: str, *, fragment: bool) -> Example:
    text, repairs = clean(raw, fragment=fragment)
    return Example(index + 1, heading, intro, raw, text, repairs, fragment)
