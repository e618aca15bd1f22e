"""Checks of the caller's arguments, made before anything is sent.

Each raises `ValidationError` naming the argument (or the request field, in Python spelling)
and the rule it breaks, so bad input fails at the call instead of on the wire or, worse, as
a request the service reads differently (`"id": true`, a number spelled out of a date).

`check_request` is the generic one: every request struct makes one trip through the codec
(msgspec checks types and `Meta` rules only when decoding) and its enum fields must hold
values the library knows. Open enums are right for reading answers (the service adds
values) and wrong for the caller's input, where an unknown value is nearly always a typo.
The escape hatch for a value newer than the library is to pass an enum member built from
it, `CallState("NEW_STATE")`: decoded answers hold such members too, so a setting read from
the service can always be sent back.
"""

from __future__ import annotations

import functools
import re
from collections.abc import AsyncIterable, Iterable
from datetime import date, datetime
from enum import Enum
from typing import Any, Final, TypeVar

import msgspec
from msgspec import inspect as mi

from unitalk_async import _codec
from unitalk_async._codec import WireDateTime
from unitalk_async._exceptions import ValidationError

__all__ = [
    "check_request",
    "collection",
    "date_time",
    "known_member",
    "known_members",
    "positive_id",
]

E = TypeVar("E", bound=Enum)
C = TypeVar("C")
S = TypeVar("S", bound=msgspec.Struct)

_PATH: Final = re.compile(r"^(?P<rule>.*?) - at `\$\.?(?P<path>[^`]*)`$")
_CAMEL_HUMP: Final = re.compile(r"(?<=[a-z0-9])([A-Z]+)")
_BARE_TEXT: Final = (str, bytes, bytearray, memoryview)


def python_name(path: str) -> str:
    """A msgspec error path (`callHistoryRequest.dateFrom`) in Python spelling."""
    return _CAMEL_HUMP.sub(lambda m: "_" + m.group(1).lower(), path)


def _kind(value: object) -> str:
    return "None" if value is None else type(value).__name__


def positive_id(value: object, field: str) -> int:
    """An entity id: a positive int (a bool, float, numeric string or None is refused)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(field, f"expected a positive int id, got {_kind(value)}", value=value)
    if value < 1:
        raise ValidationError(field, f"expected a positive int id, got {value}", value=value)
    return value


def collection(value: C, field: str) -> C:
    """An iterable (or async iterable) of items; a bare string or bytes is refused, since
    iterating it would send one item per character."""
    if isinstance(value, _BARE_TEXT):
        raise ValidationError(
            field,
            f"expected a collection of items, got a bare {type(value).__name__}; "
            f"wrap a single item in a list: [{value!r}]",
            value=value,
        )
    if not isinstance(value, Iterable | AsyncIterable):
        raise ValidationError(
            field, f"expected a collection of items, got {_kind(value)}", value=value
        )
    return value


def date_time(value: object, field: str) -> WireDateTime:
    """A date-time argument as the wire's "yyyy-MM-dd HH:mm:ss": a naive `datetime`, a
    `date` (midnight) or that string. Timestamps and None are refused: the service reads
    wall-clock time in the project's zone, which a timestamp does not carry."""
    if isinstance(value, str | datetime | date):
        try:
            return _codec.to_wire_datetime(value, field=field)
        except ValueError as exc:
            raise ValidationError(field, str(exc).removeprefix(f"{field}: "), value=value) from None
    raise ValidationError(
        field,
        f"expected a naive datetime, a date or a 'yyyy-MM-dd HH:mm:ss' string, got {_kind(value)}",
        value=value,
    )


def known_member(enum: type[E], value: object, field: str) -> E:
    """`value` as a member of `enum`. A plain string must be a value the library knows;
    a member (even one built from a newer value, `CallState("NEW")`) is taken as it is."""
    if isinstance(value, enum):
        return value
    if isinstance(value, str):
        member = enum._value2member_map_.get(value)
        if member is not None:
            return member  # type: ignore[return-value]
        listed = ", ".join(enum.__members__)
        raise ValidationError(
            field,
            f"unknown value {value!r}; expected one of {listed} (for a value newer than "
            f"this library pass {enum.__name__}({value!r}))",
            value=value,
        )
    raise ValidationError(
        field, f"expected a {enum.__name__} or its value as a string, got {_kind(value)}"
    )


def known_members(enum: type[E], values: Iterable[object], field: str) -> list[E]:
    """`known_member` of each value, the field naming its index (`call_states[2]`)."""
    collection(values, field)
    return [known_member(enum, value, f"{field}[{i}]") for i, value in enumerate(values)]


def check_request(request: S) -> S:
    """Raise `ValidationError` when `request` holds a value of the wrong type, breaks a
    `Meta` rule of its type, or holds an enum value the library does not know as a string.

    msgspec checks types and `Meta` only when decoding, so the request makes one trip
    through the codec; the error names the field in Python spelling (`items[0].title`).
    Returns the request as decoded (enum fields given as strings are members there).
    """
    try:
        decoded: S = _codec.decode(_codec.encode(request), type(request))
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        text = str(exc)
        match = _PATH.match(text)
        if match is None:
            raise ValidationError(type(request).__name__, text) from None
        raise ValidationError(python_name(match["path"]) or "body", match["rule"]) from None
    except (TypeError, NotImplementedError) as exc:  # a value msgspec cannot encode at all
        raise ValidationError(type(request).__name__, str(exc)) from None
    _check_enums(request, _type_info(type(request)), "")
    return decoded


@functools.lru_cache(maxsize=256)
def _type_info(cls: type) -> mi.Type:
    return mi.type_info(cls)


def _children(info: mi.Type) -> list[mi.Type]:
    if isinstance(info, mi.Metadata):
        return [info.type]
    if isinstance(info, mi.StructType):
        return [f.type for f in info.fields]
    if isinstance(info, mi.ListType | mi.SetType | mi.FrozenSetType | mi.VarTupleType):
        return [info.item_type]
    if isinstance(info, mi.DictType):
        return [info.key_type, info.value_type]
    if isinstance(info, mi.UnionType):
        return list(info.types)
    return []


_HOLDS_ENUM: dict[int, tuple[mi.Type, bool]] = {}


def _may_hold_enum(info: mi.Type) -> bool:
    """Whether a value of this type can hold an enum anywhere (cached: the walk below skips
    the rest, so 100,000 numbers of an ADD_NUMBERS chunk cost nothing)."""
    cached = _HOLDS_ENUM.get(id(info))
    if cached is not None and cached[0] is info:
        return cached[1]
    _HOLDS_ENUM[id(info)] = (info, False)  # a struct that contains itself: not through here
    result = isinstance(info, mi.EnumType) or any(map(_may_hold_enum, _children(info)))
    _HOLDS_ENUM[id(info)] = (info, result)
    return result


def _check_enums(value: Any, info: mi.Type, field: str) -> None:
    """Walk `value` along its declared type; plain strings where an enum belongs must be
    values the enum lists."""
    if value is None or value is msgspec.UNSET or not _may_hold_enum(info):
        return
    if isinstance(info, mi.Metadata):
        info = info.type
    if isinstance(info, mi.EnumType):
        if isinstance(value, str) and not isinstance(value, info.cls):
            known_member(info.cls, value, field or "value")
    elif isinstance(info, mi.StructType):
        if isinstance(value, info.cls):
            for f in info.fields:
                name = f"{field}.{f.name}" if field else f.name
                _check_enums(getattr(value, f.name), f.type, name)
    elif isinstance(info, mi.ListType | mi.SetType | mi.FrozenSetType | mi.VarTupleType):
        if isinstance(value, list | set | frozenset | tuple):
            for index, item in enumerate(value):
                _check_enums(item, info.item_type, f"{field}[{index}]")
    elif isinstance(info, mi.DictType):
        if isinstance(value, dict):
            for key, item in value.items():
                _check_enums(key, info.key_type, f"{field}[{key!r}]")
                _check_enums(item, info.value_type, f"{field}[{key!r}]")
    elif isinstance(info, mi.UnionType):
        for member in info.types:
            _check_enums(value, member, field)
