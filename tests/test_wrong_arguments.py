"""No public method sends a request built from an argument of the wrong type.

Every public method of every endpoint group (plus `client.dictionary`, `client.post` and the
incoming-webhook links) is called with valid arguments except one, which hypothesis draws
from values of the wrong type for that parameter; the call must raise `ValidationError`
naming the parameter, and the HTTP transport underneath must have seen no request at all.
What counts as "wrong" is written out here per kind of parameter, apart from the client's
own checks, so the test does not share their assumptions.
"""

from __future__ import annotations

import collections.abc as cabc
import inspect
import types
import typing
from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from typing import Any

import anyio
import httpx
import msgspec
import pytest
from _recording import TASK, recording_client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from unitalk_async import UnitalkClient, UnitalkError, ValidationError
from unitalk_async._client import _RESOURCE_NAMES
from unitalk_async.models import (
    AutodialTask,
    C2cStep,
    SmsDistribution,
    TextToSpeech,
    TtsItem,
)
from unitalk_async.webhooks import IncomingWebhooks

PHONE = "380971234567"


# --- the methods ------------------------------------------------------------------------
Method = Callable[[UnitalkClient], Callable[..., Any]]


def _methods() -> dict[str, Method]:
    found: dict[str, Method] = {}
    for group in sorted(_RESOURCE_NAMES):
        cls = type(getattr(recording_client([]), group))
        for name, member in vars(cls).items():
            if not name.startswith("_") and inspect.isfunction(member):
                found[f"{group}.{name}"] = lambda c, g=group, n=name: getattr(getattr(c, g), n)
    found["dictionary"] = lambda c: c.dictionary
    found["post"] = lambda c: c.post
    for name in ("add", "remove"):
        found[f"incoming.{name}"] = lambda c, n=name: getattr(
            IncomingWebhooks(c, token="t0ken-of-the-link", autodialer_id=7), n
        )
    return found


METHODS = _methods()


def _parameters(method: Callable[..., Any]) -> dict[str, tuple[inspect.Parameter, Any]]:
    original = inspect.unwrap(method)
    hints = typing.get_type_hints(original)
    return {
        name: (parameter, hints.get(name, Any))
        for name, parameter in inspect.signature(original).parameters.items()
        if name != "self"
    }


def _method_of(name: str) -> Callable[..., Any]:
    return METHODS[name](recording_client([]))


# --- what a parameter is, and its valid and wrong values ----------------------------------
def _members(annotation: Any) -> list[Any]:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return [m for m in typing.get_args(annotation) if m is not type(None)]
    return [annotation]


def _optional(annotation: Any) -> bool:
    return typing.get_origin(annotation) in (typing.Union, types.UnionType) and type(
        None
    ) in typing.get_args(annotation)


def _kind(name: str, annotation: Any) -> str:
    members = _members(annotation)
    origins = {typing.get_origin(m) or m for m in members}
    if any(isinstance(m, type) and issubclass(m, Enum) for m in members):
        return "enum"
    if datetime in members:
        return "datetime"
    if date in members:
        return "date"
    if typing.IO in origins:
        return "file"
    if str in members and len(members) == 1:
        return "str"
    if str in members and origins & {cabc.Iterable}:
        return "text or collection"
    if str in members:
        return "scalar"
    if origins & {cabc.Iterable, cabc.AsyncIterable, cabc.Sequence, cabc.Mapping}:
        return "collection"
    if members == [bool]:
        return "bool"
    if members == [int]:
        special = name == "id" or (name.endswith("_id") and not name.startswith("max_"))
        return "id" if special else "int"
    if members == [float]:
        return "float"
    if all(isinstance(m, type) and issubclass(m, msgspec.Struct) for m in members):
        return "struct"
    if origins & {cabc.Callable}:
        return "callable"
    return "any"


STRUCTS: dict[type, Callable[[], Any]] = {
    AutodialTask: lambda: AutodialTask(**TASK, scenario_id=70),
    SmsDistribution: lambda: SmsDistribution(name="d", numbers=[PHONE], text="Hi"),
    TtsItem: lambda: TtsItem(
        name="hello", type="API", tts=TextToSpeech(text="Hello", settings_id=1)
    ),
    C2cStep: lambda: C2cStep(type="GSM", to=PHONE, awaiting_time=20),
}


def _valid(name: str, annotation: Any) -> Any:
    kind = _kind(name, annotation)
    members = _members(annotation)
    if kind == "enum":
        enum = next(m for m in members if isinstance(m, type) and issubclass(m, Enum))
        return next(iter(enum))
    if kind == "datetime":
        return datetime(2026, 12, 1)
    if kind == "date":
        return date(2026, 12, 1)
    if kind == "file":
        return b"RIFF....WAVE"
    if kind == "collection":
        member = next(m for m in members if typing.get_origin(m) is not cabc.AsyncIterable)
        item = typing.get_args(member)[0] if typing.get_args(member) else Any
        if typing.get_origin(member) is cabc.Mapping:
            return {PHONE: "Hi"}
        return [_valid(name.removesuffix("s"), item) if item is not Any else PHONE]
    if kind == "struct":
        return STRUCTS[next(m for m in members if m in STRUCTS)]()
    return {
        "str": PHONE,
        "text or collection": [PHONE],
        "scalar": "x",
        "bool": True,
        "id": 1,
        "int": 1,
        "float": 1.0,
        "callable": lambda *_: None,
    }.get(kind, PHONE)


def _not_a_date(text: str) -> bool:
    for form in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            datetime.strptime(text, form)
        except ValueError:
            continue
        return False
    return True


def _wrong(name: str, annotation: Any, enum_values: frozenset[str]) -> st.SearchStrategy[Any]:
    kind = _kind(name, annotation)
    lists = st.lists(st.integers(), min_size=1, max_size=2)
    strategies: dict[str, list[st.SearchStrategy[Any]]] = {
        "id": [st.booleans(), st.integers(max_value=0), st.floats(), st.text(max_size=4),
               st.binary(max_size=3), lists],
        "int": [st.booleans(), st.floats(), st.text(max_size=4), st.binary(max_size=3), lists],
        "float": [st.booleans(), st.text(max_size=4), st.binary(max_size=3), lists],
        "str": [st.integers(), st.floats(), st.booleans(), st.binary(max_size=3), lists],
        "scalar": [st.booleans(), st.binary(max_size=3), lists],
        "bool": [st.integers(), st.text(max_size=3), st.floats()],
        "enum": [st.text(max_size=8).filter(lambda s: s not in enum_values), st.integers(),
                 st.booleans()],
        "datetime": [st.integers(), st.floats(allow_nan=False), st.booleans(), lists,
                     st.text(max_size=12).filter(_not_a_date)],
        "date": [st.integers(), st.floats(), st.booleans(), lists],
        "file": [st.integers(), st.booleans(), st.floats()],
        "collection": [st.text(max_size=14), st.binary(max_size=14), st.integers(),
                       st.booleans(), st.floats()],
        "text or collection": [st.binary(max_size=14), st.integers(), st.booleans()],
        "struct": [st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
                   st.text(max_size=3), st.integers()],
        "callable": [st.integers(), st.text(max_size=3)],
    }  # fmt: skip
    choices = strategies[kind]
    if not _optional(annotation) and kind != "callable":
        choices = [*choices, st.none()]
    return st.one_of(choices)


#: Valid calls need more than their required parameters, or other values than the first.
BASELINES: dict[str, dict[str, Any]] = {
    "autodial.refresh": {"call_states": ["NOANSWER"]},
    "autodial.add_numbers": {"numbers": [PHONE]},
    "autodial.remove_numbers": {"numbers": [PHONE]},
    "autodial.update": {"task": AutodialTask(**TASK, scenario_id=70, id=1)},
    "calls.hangup": {"id": 1},
    "calls.originate_new": {"ivr_id": 3},
    "widget.send_notification": {"contact_name": "Vasya"},
    "messages.send_bulk": {"recipients": [PHONE], "text": "Hi"},
    "post": {"path": "/users/list"},
}


def _arguments(method_name: str, method: Callable[..., Any]) -> dict[str, Any]:
    """Valid values for the required parameters (optional ones keep their defaults)."""
    required = {
        name: _valid(name, annotation)
        for name, (parameter, annotation) in _parameters(method).items()
        if parameter.default is inspect.Parameter.empty
    }
    return required | BASELINES.get(method_name, {})


CASES = [
    (method_name, name)
    for method_name in METHODS
    for name, (_, annotation) in _parameters(_method_of(method_name)).items()
    if _kind(name, annotation) != "any"
]


async def _call(method: Callable[..., Any], arguments: dict[str, Any]) -> None:
    outcome = method(**arguments)
    if inspect.isawaitable(outcome):
        await outcome
    elif isinstance(outcome, cabc.AsyncIterator):
        async for _ in outcome:
            break


# --- the tests --------------------------------------------------------------------------
def test_every_public_method_is_covered() -> None:
    assert len(METHODS) >= 53
    assert {"autodial.remove", "autodial.add_numbers", "messages.send", "dictionary"} <= set(
        METHODS
    )
    assert len(CASES) >= 100


@pytest.mark.parametrize("method_name", sorted(METHODS))
def test_the_valid_arguments_here_are_valid(method_name: str) -> None:
    # Without this, a ValidationError below could come from another argument than the
    # wrong one.
    sent: list[httpx.Request] = []
    method = METHODS[method_name](recording_client(sent))

    async def main() -> None:
        try:
            await _call(method, _arguments(method_name, method))
        except ValidationError:
            raise
        except UnitalkError:
            pass  # the bare success is not every method's answer: not this test's concern

    anyio.run(main)
    assert sent, "the valid call sent nothing"


@pytest.mark.parametrize(("method_name", "parameter"), CASES)
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_a_wrong_typed_argument_is_refused_before_any_request(
    method_name: str, parameter: str, data: st.DataObject
) -> None:
    sent: list[httpx.Request] = []
    method = METHODS[method_name](recording_client(sent))
    annotation = _parameters(method)[parameter][1]
    enums = [m for m in _members(annotation) if isinstance(m, type) and issubclass(m, Enum)]
    known = frozenset(str(v.value) for e in enums for v in e)
    wrong = data.draw(_wrong(parameter, annotation, known), label=parameter)
    arguments = _arguments(method_name, method) | {parameter: wrong}

    with pytest.raises(ValidationError) as caught:
        anyio.run(_call, method, arguments)
    assert caught.value.field.startswith(parameter), caught.value
    assert sent == []
