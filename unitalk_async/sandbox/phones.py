"""Phone numbers as the service reads them: every non-digit stripped, 7 to 15 digits left."""

from __future__ import annotations

import re
from typing import Any

from unitalk_async._reference import MAX_PHONE_DIGITS, MIN_PHONE_DIGITS

_NON_DIGITS = re.compile(r"\D+")


def normalize_phone(raw: Any) -> str | None:
    """The digits of `raw`, or None when it is not a valid number (README "API notes")."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)
    elif not isinstance(raw, str):
        return None
    digits = raw if raw.isdigit() and raw.isascii() else _NON_DIGITS.sub("", raw)
    if MIN_PHONE_DIGITS <= len(digits) <= MAX_PHONE_DIGITS and digits.isascii():
        return digits
    return None


def digits_only(raw: str) -> str:
    """Every non-digit removed (filters such as `phone` match on what is left)."""
    return _NON_DIGITS.sub("", raw)


def normalize_phones(raws: list[Any]) -> list[str | None]:
    """`normalize_phone` over a list, with a fast path for strings that are digits already."""
    low, high, strip = MIN_PHONE_DIGITS, MAX_PHONE_DIGITS, _NON_DIGITS.sub
    if raws and all(type(raw) is str for raw in raws):
        joined = "".join(raws)
        if joined.isdigit() and joined.isascii():  # the bulk upload's usual case
            lengths = set(map(len, raws))
            if low <= min(lengths) and max(lengths) <= high:
                return list(raws)
    out: list[str | None] = []
    append = out.append
    for raw in raws:
        if type(raw) is str and raw.isdigit() and raw.isascii():
            append(raw if low <= len(raw) <= high else None)
        elif isinstance(raw, str):
            digits = strip("", raw)
            append(digits if low <= len(digits) <= high and digits.isascii() else None)
        else:
            append(normalize_phone(raw))
    return out
