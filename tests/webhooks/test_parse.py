"""`parse` and the payload structs, on every example of the reference's "Webhooks" section."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import msgspec
import pytest

from unitalk_async import _codec
from unitalk_async.models.enums import BalanceOperationType, CallSource, WebhookCallState
from unitalk_async.webhooks import (
    AutodialCallEvent,
    AutodialEvent,
    BalanceMovement,
    CallEvent,
    RouteAnswer,
    RouteRequest,
    UnknownEvent,
    VoiceMenuEvent,
    VoiceQueueAnswer,
    VoiceQueueEvent,
    VoiceQueueRequest,
    WebhookPayloadError,
    event_name,
    parse,
)

from ._examples import ANSWERS, EXAMPLES, INBOUND, Example, payload_class


def _name(example: Example) -> str:
    return payload_class(example).__name__


def test_the_reference_has_the_examples_we_expect() -> None:
    kinds = sorted(payload_class(e).__name__ for e in EXAMPLES)
    assert kinds == sorted(
        [
            "BalanceMovement",
            "CallEvent",
            "VoiceMenuEvent",
            "AutodialCallEvent",
            "AutodialEvent",
            "VoiceQueueEvent",
            "RouteRequest",
            "RouteAnswer",
            "VoiceQueueRequest",
            "VoiceQueueAnswer",
            "dict",
            "dict",
        ]
    )


def test_only_the_voice_queue_event_example_needed_a_repair() -> None:
    repaired = [payload_class(e).__name__ for e in EXAMPLES if e.repairs]
    assert repaired == ["VoiceQueueEvent"]  # the comma missing after "gclid"


@pytest.mark.parametrize("example", INBOUND, ids=_name)
def test_every_inbound_example_parses_to_its_struct_and_round_trips(example: Example) -> None:
    event = parse(example.text)
    assert type(event) is payload_class(example)
    assert json.loads(_codec.encode(event)) == example.value


@pytest.mark.parametrize("example", ANSWERS, ids=_name)
def test_every_answer_example_decodes_and_round_trips(example: Example) -> None:
    answer: object = _codec.decode(example.text, payload_class(example))
    assert json.loads(_codec.encode(answer)) == example.value


def test_call_event_fields_are_typed() -> None:
    (example,) = [e for e in INBOUND if payload_class(e) is CallEvent]
    event = parse(example.text)
    assert isinstance(event, CallEvent)
    assert event.event == "CALL_END"
    assert event_name(event) == "CALL_END"
    call = event.call
    assert call.from_ == "380505557182"
    assert call.to == ["2000"]
    assert call.seconds_talk == 9
    assert call.state is WebhookCallState.ANSWER
    assert call.source is CallSource.REGULAR
    assert str(call.date) == "2018-07-09 16:58:52"
    assert isinstance(call.date, datetime)
    assert call.date.year == 2018


def test_balance_movement_fields_are_typed() -> None:
    (example,) = [e for e in INBOUND if payload_class(e) is BalanceMovement]
    event = parse(example.text.encode())
    assert isinstance(event, BalanceMovement)
    assert event.type is BalanceOperationType.MAIN_REFILL
    assert event.main_balance_v2 == 15_500_000_000
    assert event_name(event) is None


def test_absent_and_null_stay_apart() -> None:
    event = parse(
        b'{"event": "CALL_NEW", "call": {"id": 1, "state": null, "from": "380501234567"}}'
    )
    assert isinstance(event, CallEvent)
    assert event.call.state is None
    assert event.call.to is msgspec.UNSET
    assert json.loads(_codec.encode(event)) == {
        "event": "CALL_NEW",
        "call": {"id": 1, "from": "380501234567", "state": None},
    }


def test_values_the_reference_does_not_list_still_decode() -> None:
    event = parse(b'{"event": "CALL_END", "call": {"source": "NEW_SOURCE", "extra": 1}}')
    assert isinstance(event, CallEvent)
    assert event.call.source == "NEW_SOURCE"
    assert isinstance(event.call.source, CallSource)
    assert not event.call.source.is_known
    balance = parse(b'{"type": "REFUND", "mainBalance": 1, "sum": 2}')
    assert isinstance(balance, BalanceMovement)
    assert balance.type == "REFUND"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b'{"from": "380501234567", "outerNumber": "380440000001"}', VoiceQueueRequest),
        (b'{"from": "380501234567", "projectName": "p", "ip": "1.2.3.4"}', VoiceQueueEvent),
        (b'{"ivrName": "menu", "from": "1", "outerNumber": "2"}', VoiceMenuEvent),
        (b'{"from": "1", "callState": "ANSWER"}', AutodialCallEvent),
        (b'{"dialName": "d"}', AutodialCallEvent),
        (b'{"type": "SMS", "mainBalanceV2": 5}', BalanceMovement),
        (b"{}", AutodialEvent),
        (b'{"event": "ROUTE", "call": {"from": "1", "outerNumber": "2"}}', RouteRequest),
    ],
)
def test_shape_rules(body: bytes, expected: type[Any]) -> None:
    assert type(parse(body)) is expected


def test_unknown_events_decode_to_unknown_event() -> None:
    event = parse(b'{"event": "CALL_HOLD", "call": {"id": 1}}')
    assert event == UnknownEvent(raw={"event": "CALL_HOLD", "call": {"id": 1}}, event="CALL_HOLD")
    assert event_name(event) == "CALL_HOLD"
    assert parse(b'{"something": "else"}') == UnknownEvent(raw={"something": "else"})
    assert parse(b"[1, 2]") == UnknownEvent(raw=[1, 2])
    assert parse(b'{"event": 7}') == UnknownEvent(raw={"event": 7})


def test_a_known_event_with_wrong_types_is_unknown_with_the_reason() -> None:
    event = parse(b'{"event": "CALL_END", "call": {"id": "not a number"}}')
    assert isinstance(event, UnknownEvent)
    assert event.event == "CALL_END"
    assert event.error is not None
    assert "$.call.id" in event.error
    bad_date = parse(b'{"type": "SMS", "mainBalance": 1, "date": "12.11.2022"}')
    assert isinstance(bad_date, UnknownEvent)
    assert bad_date.error is not None


@pytest.mark.parametrize("body", [b"", b"{", b"not json", b'{"a": 1,}', "{'a': 1}"])
def test_malformed_json_raises_a_typed_error(body: bytes | str) -> None:
    with pytest.raises(WebhookPayloadError, match="not JSON"):
        parse(body)


def test_route_answer_default_is_no_operator() -> None:
    assert json.loads(_codec.encode(RouteAnswer())) == {"operatorNumber": None, "ivrId": None}
    answer = RouteAnswer(operator_number="2048", caller_name="Alex", ivr_id=487)
    assert json.loads(_codec.encode(answer)) == {
        "operatorNumber": "2048",
        "callerName": "Alex",
        "ivrId": 487,
    }


def test_voice_queue_answer_range() -> None:
    assert _codec.encode(VoiceQueueAnswer()) == b'{"setPriority":5}'
    assert VoiceQueueAnswer(priority=10).priority == 10
    for bad in (0, 11, True, 5.0):
        with pytest.raises(ValueError, match="priority"):
            VoiceQueueAnswer(priority=bad)  # type: ignore[arg-type]
    with pytest.raises(msgspec.ValidationError):
        _codec.decode(b'{"setPriority": 11}', VoiceQueueAnswer)
