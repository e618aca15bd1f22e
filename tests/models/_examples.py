"""The reference's JSON examples for the M2 endpoints, found by the prose before them.

A thin layer over the shared extractor (tests/reference/examples.py), which removes `//`
comments, `...` and trailing commas and repairs the three missing commas of this part
(/users/list and /users/getStatus after `"middleName": "Triple"`, /history/get after
`"facebookClientId"`).
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from reference.examples import Example, examples_between, reference_lines

from unitalk_async import _codec

__all__ = ["Example", "example", "m2_examples", "round_trip"]


@cache
def m2_examples() -> tuple[Example, ...]:
    """Every example from "Calls initiation" to the end, webhooks excepted."""
    return (
        *examples_between("Calls initiation", "Webhooks"),
        *examples_between("Removing Scheduled Event Handlers", "Incoming webhooks"),
        *examples_between("Messages", "Dictionaries"),
    )


def example(anchor: str, nth: int = 0) -> str:
    """The cleaned JSON of the `nth` example (0-based) below the first line with `anchor`."""
    lines = reference_lines()
    start = next(i for i, line in enumerate(lines) if anchor in line) + 1  # 1-based
    below = [e for e in m2_examples() if e.line > start]
    if nth >= len(below):
        raise LookupError(f"example {nth} after {anchor!r} not found")
    text: str = below[nth].text
    return text


def round_trip(text: str, type_: Any) -> Any:
    """Decode `text` as `type_`, check it encodes back to the same document, return it."""
    value = _codec.decode(text, type_)
    assert json.loads(_codec.encode(value)) == json.loads(text)
    return value
