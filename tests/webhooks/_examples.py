"""The JSON examples of the reference's "Webhooks" section, extracted from the text.

Private to these tests until the shared extractor (tests/reference/examples.py) lands. The
reference writes JSON with `//` comments, a trailing comma here and there and, once, a
missing comma ("gclid": "gclid..." // ... followed by "cdid"); all three are repaired.
Each example is labelled with its section heading and the prose line before it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REFERENCE = Path(__file__).parent.parent / "reference" / "unitalk-api.txt"
_HEADING_MARK = "Сopied"  # the reference's "Copied" button text, with a Cyrillic С
_VALUE_END = re.compile(r'("|\d|true|false|null|[}\]])$')


@dataclass(frozen=True)
class Example:
    section: str  # the heading above ("Balance Movement", "Event handling", ...)
    intro: str  # the prose line just before the JSON
    text: str  # the JSON as repaired
    value: Any


def webhook_examples() -> list[Example]:
    """Every JSON example between the "Webhooks" heading and the next top-level section."""
    lines = REFERENCE.read_text(encoding="utf-8").splitlines()
    start = _heading_index(lines, "Webhooks")
    end = _heading_index(lines, "Messages", after=start)
    examples: list[Example] = []
    section = "Webhooks"
    i = start
    while i < end:
        line = lines[i]
        if i + 1 < len(lines) and lines[i + 1].strip() == _HEADING_MARK:
            section = line.strip()
        if line.lstrip().startswith("{"):
            block, i = _block(lines, i)
            text = _repair(block)
            examples.append(
                Example(section, lines[_intro(lines, i - len(block))], text, json.loads(text))
            )
            continue
        i += 1
    return examples


def _heading_index(lines: list[str], title: str, after: int = 0) -> int:
    for i in range(after, len(lines) - 1):
        if lines[i].strip() == title and lines[i + 1].strip() == _HEADING_MARK:
            return i
    raise LookupError(f"heading {title!r} not found in the reference")


def _intro(lines: list[str], index: int) -> int:
    index -= 1
    while not lines[index].strip():
        index -= 1
    return index


def _block(lines: list[str], i: int) -> tuple[list[str], int]:
    """The lines of one JSON value starting at line i (braces balanced outside strings)."""
    depth = 0
    block: list[str] = []
    while True:
        code = _strip_comment(lines[i])
        block.append(code)
        depth += _depth_change(code)
        i += 1
        if depth == 0:
            return block, i


def _strip_comment(line: str) -> str:
    in_string = escaped = False
    for j, char in enumerate(line):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif line.startswith("//", j):
            return line[:j].rstrip()
    return line.rstrip()


def _depth_change(code: str) -> int:
    depth = 0
    in_string = False
    previous = ""
    for char in code:
        if char == '"' and previous != "\\":
            in_string = not in_string
        elif not in_string:
            depth += {"{": 1, "[": 1, "}": -1, "]": -1}.get(char, 0)
        previous = char
    return depth


def _repair(block: list[str]) -> str:
    lines = [line.strip() for line in block if line.strip()]
    for k in range(len(lines) - 1):
        # A value followed by the next key on the next line: the comma the reference forgot.
        if _VALUE_END.search(lines[k]) and lines[k + 1].startswith('"'):
            lines[k] += ","
    text = "\n".join(lines)
    return re.sub(r",(\s*[}\]])", r"\1", text)  # trailing commas


# --- Which payload each example is, from where the reference puts it (not from its content) ---
def payload_class(example: Example) -> type[Any]:
    """The struct an example must decode to; `dict` for the incoming-webhook answers."""
    from unitalk_async.webhooks import (
        AutodialCallEvent,
        AutodialEvent,
        BalanceMovement,
        CallEvent,
        RouteAnswer,
        RouteRequest,
        VoiceMenuEvent,
        VoiceQueueAnswer,
        VoiceQueueEvent,
        VoiceQueueRequest,
    )

    by_intro: dict[str, type[Any]] = {
        "Example of sent JSON:": BalanceMovement,
        "Standard JSON for call events:": CallEvent,
        "Standard JSON for voice menu events:": VoiceMenuEvent,
        "Standard JSON for autodialers calls completion events:": AutodialCallEvent,
        "Standard JSON for non-call autodialer events": AutodialEvent,
        "Standard JSON for voice queue events:": VoiceQueueEvent,
    }
    for phrase, cls in by_intro.items():
        if example.intro.endswith(phrase):
            return cls
    sent = "sent to the specified URL:" in example.intro
    if example.section == "Transferring a call to the responsible operator":
        return RouteRequest if sent else RouteAnswer
    if example.section == "Voice queue management":
        return VoiceQueueRequest if sent else VoiceQueueAnswer
    if example.intro.endswith("In case of success:"):
        return dict
    raise AssertionError(f"unlabelled example in {example.section!r}: {example.intro[-60:]!r}")


EXAMPLES = webhook_examples()
#: What Unitalk posts to a receiver.
INBOUND = [
    e for e in EXAMPLES if payload_class(e).__name__.endswith(("Event", "Movement", "Request"))
]
#: What a receiver answers (ROUTE and voice queue).
ANSWERS = [e for e in EXAMPLES if payload_class(e).__name__.endswith("Answer")]
#: What the incoming-webhook links answer.
INCOMING_ANSWERS = [e for e in EXAMPLES if payload_class(e) is dict]
