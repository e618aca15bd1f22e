"""Phone numbers in the sandbox: the client's rule (`unitalk_async._phones`), read as the
service answers with it, plus the digits-only reading of search filters."""

from __future__ import annotations

import re
from typing import Any

from unitalk_async._phones import normalize_phone
from unitalk_async._reference import MAX_PHONE_DIGITS, MIN_PHONE_DIGITS

__all__ = ["digits_only", "normalize_phone", "normalize_phones"]

_NON_DIGITS = re.compile(r"\D+")


def digits_only(raw: str) -> str:
    """Every non-digit removed (filters such as `phone` match on what is left)."""
    return _NON_DIGITS.sub("", raw)


def normalize_phones(raws: list[Any]) -> list[str | None]:
    """`normalize_phone` over a list, with a fast path for strings that are digits already."""
    if raws and all(type(raw) is str for raw in raws):
        joined = "".join(raws)
        if joined.isdigit() and joined.isascii():  # the bulk upload's usual case
            lengths = set(map(len, raws))
            if min(lengths) >= MIN_PHONE_DIGITS and max(lengths) <= MAX_PHONE_DIGITS:
                return list(raws)
    return [normalize_phone(raw) for raw in raws]
