"""Fields the real service sends or takes where the reference is silent (README "API notes"):
`line` on users, `meta` as a number, history records without state/cause/duration or with a
`warning`. Each decodes; numbers sent for text come out as text."""

from __future__ import annotations

import json

import msgspec
import pytest

from unitalk_async import ValidationError, _codec
from unitalk_async.models import WireText
from unitalk_async.models.calls import meta_text
from unitalk_async.models.history import HistoryPage
from unitalk_async.models.users import User
from unitalk_async.webhooks import CallEvent, parse


@pytest.mark.parametrize("line", ["1001", 1001])
def test_a_user_carries_its_line_as_text(line: object) -> None:
    body = json.dumps([{"id": 1, "phone": 1001, "line": line, "firstName": "John"}])
    (user,) = _codec.decode(body, list[User])
    assert user.line == "1001" and isinstance(user.line, str)
    assert _codec.to_builtins(user)["line"] == "1001"
    assert _codec.decode('[{"id": 2}]', list[User])[0].line is msgspec.UNSET


def test_history_records_without_state_cause_duration_or_with_a_warning_decode() -> None:
    full = {"id": 3, "state": "ANSWER", "cause": 16, "secondsFullTime": 40, "from": "1001"}
    partial = {"id": 2, "from": "380971234567", "to": ["1001"]}
    warned = {"id": 1, "state": "NOANSWER", "warning": "Call record is incomplete"}
    page = _codec.decode(json.dumps({"count": 3, "calls": [full, partial, warned]}), HistoryPage)
    assert [call.id for call in page.calls] == [3, 2, 1]  # newest first, as sent
    assert page.calls[1].state is page.calls[1].cause is msgspec.UNSET
    assert page.calls[1].seconds_full_time is msgspec.UNSET
    assert page.calls[2].warning == "Call record is incomplete"
    assert _codec.to_builtins(page.calls[1]) == partial  # absent stays absent


@pytest.mark.parametrize(("meta", "text"), [(42, "42"), ("order-42", "order-42"), (1.5, "1.5")])
def test_a_call_event_with_a_numeric_meta_is_a_call_event_with_text(
    meta: object, text: str
) -> None:
    body = {"event": "CALL_END", "call": {"id": 7, "state": "ANSWER", "meta": meta}}
    event = parse(json.dumps(body))
    assert isinstance(event, CallEvent)
    assert event.call.meta == text and isinstance(event.call.meta, WireText)
    assert json.loads(_codec.encode(event))["call"]["meta"] == text


def test_a_meta_that_is_neither_text_nor_a_number_is_not_a_call_event() -> None:
    body = {"event": "CALL_END", "call": {"id": 7, "meta": True}}
    assert not isinstance(parse(json.dumps(body)), CallEvent)


def test_meta_for_requests_is_text_whatever_was_passed() -> None:
    assert (meta_text(42), meta_text("x"), meta_text(None)) == ("42", "x", msgspec.UNSET)
    with pytest.raises(ValidationError, match="meta: must be text or a number"):
        meta_text(True)
