"""`checked`: a public method's arguments checked against its own annotations, at the call.

Every endpoint method is wrapped (`Resource.__init_subclass__`), so no argument of the wrong
type reaches a request, whatever method it goes through and whether or not the method
remembers to check: the signature is the rule, stated once. What each annotation demands:

- `int`: an int, never a bool; an `id` or `..._id` parameter a positive one
  (`..._ids`: a collection of them);
- `str`, `bool`, `float`: that type (`float` takes ints; bools count as neither);
- an enum (or its `...Like` alias): a member or a value the enum lists (`known_member`);
- a union with `datetime`: a naive datetime, a date or the wire's string (`date_time`);
  with `date` only: a date or a "yyyy-MM-dd" string;
- `Iterable`, `Sequence`, `Mapping` and friends: such a collection, never a bare `str` or
  `bytes`; the items of a list, tuple or set are checked too, except in bulk input (a
  union with `AsyncIterable`), whose odd items become rejects, as the bulk methods promise;
- a struct or other class: an instance; `Callable`: a callable; `Any`: anything.

`ValidationError` names the parameter (and the item: `user_ids[2]`) and the rule.
"""

from __future__ import annotations

import collections.abc as cabc
import functools
import inspect
import types
import typing
from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from typing import Any, TypeVar, cast

from unitalk_async._arguments import collection, date_time, known_member
from unitalk_async._exceptions import ValidationError

__all__ = ["checked"]

F = TypeVar("F", bound=Callable[..., Any])

_COLLECTIONS = (
    cabc.Iterable,
    cabc.AsyncIterable,
    cabc.Collection,
    cabc.Sequence,
    cabc.MutableSequence,
    cabc.Set,
    cabc.Mapping,
    list,
    tuple,
    set,
    frozenset,
    dict,
)
_MATERIALISED = (list, tuple, set, frozenset)


def checked(function: F) -> F:
    """Wrap `function` (sync or async) so that its arguments are checked first."""
    signature = inspect.signature(function)

    @functools.cache
    def hints() -> dict[str, Any]:
        # Resolved on first use: annotations may name classes defined after the function.
        return typing.get_type_hints(function)

    def check(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        bound = signature.bind(*args, **kwargs)
        annotations = hints()
        for name, value in bound.arguments.items():
            annotation = annotations.get(name)
            if annotation is not None and name != "self":
                check_value(value, annotation, name)

    if inspect.iscoroutinefunction(function):

        @functools.wraps(function)
        async def run_async(*args: Any, **kwargs: Any) -> Any:
            check(args, kwargs)
            return await function(*args, **kwargs)

        return cast(F, run_async)

    @functools.wraps(function)
    def run(*args: Any, **kwargs: Any) -> Any:
        check(args, kwargs)
        return function(*args, **kwargs)

    return cast(F, run)


def check_value(value: Any, annotation: Any, field: str) -> None:
    """Raise `ValidationError` unless `value` is what `annotation` asks of `field`."""
    problem = _problem(value, annotation, field)
    if problem is not None:
        raise ValidationError(field, problem, value=value)


def _kind(value: object) -> str:
    return "None" if value is None else type(value).__name__


def _name(annotation: Any) -> str:
    if annotation is type(None):
        return "None"
    origin = typing.get_origin(annotation)
    return getattr(origin or annotation, "__name__", str(annotation))


def _is_id(field: str) -> bool:
    """An entity's id (`autodialer_id`); `max_id` and the like are bounds, not ids."""
    return field == "id" or (field.endswith("_id") and not field.startswith(("max_", "min_")))


def _problem(value: Any, annotation: Any, field: str) -> str | None:
    """What is wrong with `value` for `annotation` (None: nothing); may raise
    `ValidationError` itself where a specific check has a better message."""
    if annotation is Any or annotation is object:
        return None
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _problem(value, typing.get_args(annotation)[0], field)
    if origin is typing.Union or origin is types.UnionType:
        return _union_problem(value, typing.get_args(annotation), field)
    if origin is typing.Literal:
        allowed = typing.get_args(annotation)
        return None if value in allowed else f"expected one of {allowed!r}, got {value!r}"
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        known_member(annotation, value, field)
        return None
    if annotation is bool:
        return None if isinstance(value, bool) else f"expected a bool, got {_kind(value)}"
    if annotation is int:
        if isinstance(value, bool) or not isinstance(value, int):
            return f"expected an int, got {_kind(value)}"
        if _is_id(field) and value < 1:
            return f"expected a positive int id, got {value}"
        return None
    if annotation is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return None if ok else f"expected a number, got {_kind(value)}"
    if annotation is datetime:
        date_time(value, field)
        return None
    if origin is not None and origin in _COLLECTIONS:
        return _collection_problem(value, annotation, origin, field)
    if origin is cabc.Callable or annotation is cabc.Callable:
        return None if callable(value) else f"expected a callable, got {_kind(value)}"
    if origin is typing.IO or annotation is typing.IO:
        readable = callable(getattr(value, "read", None))
        return None if readable else f"expected a binary file, got {_kind(value)}"
    check_against = origin if isinstance(origin, type) else annotation
    if isinstance(check_against, type) and not isinstance(value, check_against):
        return f"expected {_name(annotation)}, got {_kind(value)}"
    return None


def _union_problem(value: Any, members: tuple[Any, ...], field: str) -> str | None:
    if value is None:
        return None if type(None) in members else "required, got None"
    present = [m for m in members if m is not type(None)]
    if datetime in present:
        date_time(value, field)
        return None
    if date in present and str in present and not isinstance(value, date | str):
        return f"expected a date or a 'yyyy-MM-dd' string, got {_kind(value)}"
    enums = [m for m in present if isinstance(m, type) and issubclass(m, Enum)]
    if enums and (str in present or len(present) == 1):
        known_member(enums[0], value, field)
        return None
    if any(typing.get_origin(m) is cabc.AsyncIterable for m in present):
        # Bulk input: read lazily, its odd items become rejects; only its shape is checked.
        collection(value, field)
        return None
    problems = []
    for member in present:
        shape = typing.get_origin(member) or member
        if isinstance(shape, type) and isinstance(value, shape) and not isinstance(value, str):
            # The right type: this member's verdict stands ("a positive int id, got 0",
            # "call_states[1]: unknown value").
            return _problem(value, member, field)
        try:
            problem = _problem(value, member, field)
        except ValidationError as error:
            problem = error.rule
        if problem is None:
            return None
        problems.append(problem)
    if isinstance(value, str | bytes) and any("bare" in p for p in problems):
        return next(p for p in problems if "bare" in p)
    names = " or ".join(dict.fromkeys(_name(m) for m in present))
    return f"expected {names}, got {_kind(value)}"


def _collection_problem(value: Any, annotation: Any, origin: Any, field: str) -> str | None:
    try:
        collection(value, field)
    except ValidationError as error:
        return error.rule
    if not isinstance(value, origin if isinstance(origin, type) else object):
        return f"expected a {_name(annotation)}, got {_kind(value)}"
    arguments = typing.get_args(annotation)
    if origin is cabc.AsyncIterable or not arguments or not isinstance(value, _MATERIALISED):
        return None
    if origin in (cabc.Mapping, dict):
        return None  # keys and values are the request struct's to check
    item_type = arguments[0]
    item_field = field.removesuffix("s") if field.endswith("_ids") else field
    for index, item in enumerate(value):
        try:
            problem = _problem(item, item_type, item_field)
        except ValidationError as error:
            problem = error.rule
        if problem is not None:
            raise ValidationError(f"{field}[{index}]", problem, value=item)
    return None
