"""JSON on the wire: one msgspec encoder, cached typed decoders, and the reference's date formats.

The service writes date-times as "yyyy-MM-dd HH:mm:ss" and times as "HH:mm" in the project's
wall-clock time. `WireDateTime` and `WireTime` are `datetime`/`time` subclasses that decode
from and encode to exactly those strings, so a decoded document encodes back unchanged.
Dates ("yyyy-MM-dd") are plain `date`: msgspec's ISO form is already the wire form.
`WireText` is text the service also takes and sends as a JSON number (`meta`).
"""

from __future__ import annotations

import builtins
import functools
from collections.abc import Hashable
from datetime import date, datetime, time
from typing import Any, TypeVar, cast, overload

import msgspec

T = TypeVar("T")

DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"
TIME_FORMAT = "%H:%M"


class WireDateTime(datetime):
    """A naive `datetime` that travels as "yyyy-MM-dd HH:mm:ss"."""

    def __str__(self) -> str:
        return self.strftime(DATETIME_FORMAT)


class WireTime(time):
    """A naive `time` that travels as "HH:mm"."""

    def __str__(self) -> str:
        return self.strftime(TIME_FORMAT)


class WireText(str):
    """Text the service may carry as a JSON number: decodes from a string or a number.

    The service is a Java/Jackson stack that coerces a number sent for a text field (public
    integrations send `meta` as one and read it back with `int()`), so both forms arrive;
    we keep one, the text ("42"), README "API notes".
    """


def to_wire_text(value: str | int | float, *, field: str = "value") -> str:
    """A caller's text or number as the text the service stores (42 -> "42")."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"{field}: expected text or a number, got {type(value).__name__}")
    return value if isinstance(value, str) else str(value)


def to_wire_datetime(value: datetime | date | str, *, field: str = "value") -> WireDateTime:
    """Coerce a caller's `datetime`, `date` (midnight) or wire string to `WireDateTime`.

    Aware datetimes are refused: the service reads wall-clock time in the project's zone,
    which the client cannot know.
    """
    if isinstance(value, WireDateTime):
        return value
    if isinstance(value, str):
        try:
            value = datetime.strptime(value, DATETIME_FORMAT)
        except ValueError:
            raise ValueError(f"{field}: expected 'yyyy-MM-dd HH:mm:ss', got {value!r}") from None
    elif not isinstance(value, date):
        raise ValueError(
            f"{field}: expected a naive datetime, a date or a 'yyyy-MM-dd HH:mm:ss' string, "
            f"got {type(value).__name__}"
        )
    elif not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    if value.tzinfo is not None:
        raise ValueError(
            f"{field}: pass a naive datetime in the project's time zone, not an aware one"
        )
    return WireDateTime(value.year, value.month, value.day, value.hour, value.minute, value.second)


def to_wire_time(value: time | str, *, field: str = "value") -> WireTime:
    """Coerce a caller's `time` or "HH:mm" string to `WireTime` (seconds are dropped)."""
    if isinstance(value, WireTime):
        return value
    if isinstance(value, str):
        try:
            value = datetime.strptime(value, TIME_FORMAT).time()
        except ValueError:
            raise ValueError(f"{field}: expected 'HH:mm', got {value!r}") from None
    if not isinstance(value, time | datetime):
        raise ValueError(
            f"{field}: expected a time or an 'HH:mm' string, got {type(value).__name__}"
        )
    if value.tzinfo is not None:
        raise ValueError(f"{field}: pass a naive time, not an aware one")
    return WireTime(value.hour, value.minute)


def _enc_hook(obj: Any) -> Any:
    if isinstance(obj, WireDateTime):
        return obj.strftime(DATETIME_FORMAT)
    if isinstance(obj, WireTime):
        return obj.strftime(TIME_FORMAT)
    if isinstance(obj, WireText):
        return str(obj)
    raise NotImplementedError(f"cannot encode {type(obj).__name__}")


def _dec_hook(type_: type, obj: Any) -> Any:
    # fromisoformat is C-fast; the shape checks keep it as strict as the wire format.
    if type_ is WireDateTime:
        if isinstance(obj, str):
            if len(obj) == 19 and obj[10] == " ":
                return WireDateTime.fromisoformat(obj)
            return WireDateTime.strptime(obj, DATETIME_FORMAT)
        if isinstance(obj, datetime) and obj.tzinfo is None:  # `convert` of Python objects
            return WireDateTime.combine(obj.date(), obj.time())
    if type_ is WireTime:
        if isinstance(obj, str):
            if len(obj) == 5 and obj[2] == ":":
                return WireTime.fromisoformat(obj)
            parsed = datetime.strptime(obj, TIME_FORMAT)
            return WireTime(parsed.hour, parsed.minute)
        if isinstance(obj, time) and obj.tzinfo is None:
            return WireTime(obj.hour, obj.minute)
    if type_ is WireText:
        try:
            return WireText(to_wire_text(obj))
        except ValueError:
            raise TypeError(f"Expected `str | number`, got `{type(obj).__name__}`") from None
    raise NotImplementedError(f"cannot decode {type_!r}")


_ENCODER = msgspec.json.Encoder(enc_hook=_enc_hook)


def encode(obj: Any) -> bytes:
    """Encode a struct (or builtins) to JSON bytes; UNSET fields are left out."""
    return _ENCODER.encode(obj)


@functools.lru_cache(maxsize=512)
def decoder(type_: Any) -> msgspec.json.Decoder[Any]:
    """The decoder for `type_`, built once and reused (msgspec perf tip)."""
    return msgspec.json.Decoder(type_, dec_hook=_dec_hook)


@overload
def decode(data: bytes | str) -> Any: ...
@overload
def decode(data: bytes | str, type: builtins.type[T]) -> T: ...
@overload
def decode(data: bytes | str, type: Any) -> Any: ...
def decode(data: bytes | str, type: Any = Any) -> Any:
    """Decode JSON (an answer, a line of an export) into `type`, a model or any type msgspec
    reads, with the wire's date and time formats.

    ```python
    for line in open("history.jsonl"):
        call = unitalk_async.decode(line, type=HistoryCall)
    ```

    Raises `msgspec.ValidationError` or `msgspec.DecodeError` when the data does not fit.
    """
    return decoder(cast(Hashable, type)).decode(data)


@overload
def convert(obj: Any, type: builtins.type[T]) -> T: ...
@overload
def convert(obj: Any, type: Any) -> Any: ...
def convert(obj: Any, type: Any) -> Any:
    """Convert builtins (a dict from `json.loads`, a row of a data frame) into `type`, as
    `msgspec.convert` does, with the wire's date and time formats (strings, or naive
    `datetime`/`time` objects). Keys are the wire's camelCase names."""
    return msgspec.convert(obj, type, dec_hook=_dec_hook)


def to_builtins(obj: Any) -> Any:
    """Convert a struct to dicts/lists/strings exactly as it would appear on the wire."""
    return msgspec.json.decode(encode(obj))
