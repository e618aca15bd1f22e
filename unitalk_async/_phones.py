"""Phone numbers as the service reads them: every non-digit stripped, 7 to 15 digits left.

The reference says numbers are given "in international format; all third-party characters
will be previously removed". What remains must be 7..15 digits (E.164's maximum; README
"API notes"). The client applies the same rule before sending so that invalid numbers come
back to the caller as rejects with a reason instead of failing a whole 100,000-number request.
"""

from __future__ import annotations

import re
from typing import Any, Final

from unitalk_async._bulk import Rejected
from unitalk_async._reference import MAX_PHONE_DIGITS, MIN_PHONE_DIGITS

__all__ = [
    "normalize_phone",
    "normalize_phones",
    "phone_reject_reason",
]

_NON_DIGITS: Final = re.compile(r"\D+")
_MIN: Final = MIN_PHONE_DIGITS
_MAX: Final = MAX_PHONE_DIGITS


def _digits(raw: str) -> str:
    # Fast path: most inputs (CSV exports) are already bare digits. `isdigit` is also True
    # for non-ASCII digits ("٣"), which the service would not keep: `isascii` guards that.
    if raw.isdigit() and raw.isascii():
        return raw
    return _NON_DIGITS.sub("", raw.encode("ascii", "ignore").decode("ascii"))


def normalize_phone(raw: object) -> str | None:
    """The number the service would store for `raw`, or None if it is not a valid number.

    Non-digits are stripped ("+38 (097) 11-11-111" -> "380971111111"); the rest must be 7 to
    15 digits. Integers are accepted; anything else that is not a string gives None.
    """
    if isinstance(raw, str):
        digits = _digits(raw)
    elif isinstance(raw, int) and not isinstance(raw, bool) and raw >= 0:
        digits = str(raw)
    else:
        return None
    return digits if _MIN <= len(digits) <= _MAX else None


def phone_reject_reason(raw: object) -> str | None:
    """Why `raw` is not a valid number, or None when it is."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        if raw < 0:
            return "negative number"
        digits = str(raw)
    elif isinstance(raw, str):
        digits = _digits(raw)
    else:
        return f"not a string: {type(raw).__name__}"
    if _MIN <= len(digits) <= _MAX:
        return None
    return _length_reason(digits)


class _KeepDigits(dict[int, int | None]):
    """A `str.translate` table keeping ASCII digits and NUL (our separator), dropping the rest.

    Filled on demand, so it covers every code point without a 1.1M-entry table.
    """

    def __missing__(self, code: int) -> int | None:
        kept = code if (48 <= code <= 57 or code == 0) else None
        self[code] = kept
        return kept


_KEEP_DIGITS: Final = _KeepDigits()
_NON_DIGITS_OR_NUL: Final = re.compile(r"[^0-9\x00]+")


def normalize_phones(raws: list[Any]) -> tuple[list[str], list[Rejected]]:
    """Normalise a batch: (valid numbers in input order, rejects with reasons).

    The hot path of bulk uploads. The batch is joined into one string and stripped in a
    single `translate` (regex for non-ASCII input), so there is no per-number Python work
    beyond the length check: about 0.1 s per million numbers.
    """
    try:
        joined = "\x00".join(raws)
    except TypeError:  # not all strings (ints...): the per-item path
        return _normalize_each(raws)
    if joined.count("\x00") != len(raws) - 1:  # a NUL inside an input: the per-item path
        return _normalize_each(raws)
    if joined.isascii():
        cleaned = joined.translate(_KEEP_DIGITS).split("\x00")
    else:
        cleaned = _NON_DIGITS_OR_NUL.sub("", joined).split("\x00")
    if not raws:
        return [], []
    valid = [digits for digits in cleaned if _MIN <= len(digits) <= _MAX]
    if len(valid) == len(cleaned):
        return valid, []
    rejects = [
        Rejected(raw, _length_reason(digits))
        for raw, digits in zip(raws, cleaned, strict=True)
        if not _MIN <= len(digits) <= _MAX
    ]
    return valid, rejects


def _normalize_each(raws: list[Any]) -> tuple[list[str], list[Rejected]]:
    valid: list[str] = []
    rejects: list[Rejected] = []
    for raw in raws:
        number = normalize_phone(raw)
        if number is None:
            rejects.append(Rejected(raw, phone_reject_reason(raw) or "invalid number"))
        else:
            valid.append(number)
    return valid, rejects


def _length_reason(digits: str) -> str:
    if not digits:
        return "no digits"
    if len(digits) < _MIN:
        return f"too short: {len(digits)} digits, at least {_MIN}"
    return f"too long: {len(digits)} digits, at most {_MAX}"
