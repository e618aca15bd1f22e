"""The argument checks: wrong types, bare strings, dates and unknown enum values fail before
anything is built or sent, with a `ValidationError` naming the field and the rule."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime
from typing import Any

import pytest
from _recording import TASK

from unitalk_async import ValidationError
from unitalk_async._arguments import (
    check_request,
    collection,
    date_time,
    known_member,
    positive_id,
)
from unitalk_async.models import (
    AddRequest,
    AutodialTask,
    GetCallsHistoryRequest,
    HistoryRequest,
    OperatorStatisticRequest,
    RefreshRequest,
    RemoveRequest,
)
from unitalk_async.models.autodial import CallsHistoryQuery
from unitalk_async.models.enums import CallState, CrmMode


@pytest.mark.parametrize("value", [True, False, 4.9, None, "42", 0, -3, b"1"])
def test_ids_are_positive_ints_and_nothing_else(value: object) -> None:
    with pytest.raises(ValidationError, match="positive int") as caught:
        positive_id(value, "autodialer_id")
    assert caught.value.field == "autodialer_id"


def test_a_positive_int_id_passes() -> None:
    assert positive_id(42, "autodialer_id") == 42


@pytest.mark.parametrize("value", ["380971234567", b"380971234567", bytearray(b"1"), 42, None])
def test_a_bare_string_or_a_scalar_is_not_a_collection(value: object) -> None:
    with pytest.raises(ValidationError, match="collection") as caught:
        collection(value, "numbers")
    assert caught.value.field == "numbers"


async def _numbers() -> AsyncIterator[str]:
    yield "380971234567"


def test_collections_of_every_kind_pass() -> None:
    for value in (["1"], ("1",), {"1"}, iter(["1"]), _numbers(), {"1": "x"}):
        assert collection(value, "numbers") is value


@pytest.mark.parametrize("value", [1764547200, 1764547200.5, None, True, ["2026-12-01"]])
def test_timestamps_and_none_are_not_dates(value: object) -> None:
    with pytest.raises(ValidationError, match="yyyy-MM-dd HH:mm:ss") as caught:
        date_time(value, "date_from")
    assert caught.value.field == "date_from"
    assert "naive datetime, a date" in caught.value.rule


def test_the_accepted_date_forms() -> None:
    midnight = datetime(2026, 12, 1)
    assert date_time(midnight, "d") == midnight
    assert date_time(date(2026, 12, 1), "d") == midnight
    assert date_time("2026-12-01 00:00:00", "d") == midnight
    with pytest.raises(ValidationError, match="expected 'yyyy-MM-dd HH:mm:ss'"):
        date_time("2026-12-01T00:00", "d")


def test_unknown_enum_text_is_refused_and_a_member_is_the_escape_hatch() -> None:
    assert known_member(CallState, "ANSWER", "state") is CallState.ANSWER
    with pytest.raises(ValidationError, match=r"unknown value 'BOGUS'.*CallState\('BOGUS'\)"):
        known_member(CallState, "BOGUS", "state")
    newer = CallState("NEWER_THAN_THE_LIBRARY")
    assert known_member(CallState, newer, "state") is newer
    with pytest.raises(ValidationError, match="expected a CallState"):
        known_member(CallState, 3, "state")


def _task(**changes: Any) -> AutodialTask:
    return AutodialTask(**(TASK | changes))


def test_request_fields_take_enum_text_but_only_known_values() -> None:
    task = _task()
    assert task.crm_mode is CrmMode.DONT_SEND
    with pytest.raises(ValidationError, match="unknown value 'FIXD'") as caught:
        _task(autodialer_mode="FIXD")
    assert caught.value.field == "task.autodialer_mode"
    with pytest.raises(ValidationError) as in_list:
        RefreshRequest(id=1, call_states=["ANSWER", "BOGUS"])
    assert in_list.value.field == "call_states[1]"
    assert RefreshRequest(id=1, call_states=[CallState("NEW_2027")]).call_states == ["NEW_2027"]


def test_a_request_holding_a_wrong_type_is_refused_naming_the_field() -> None:
    for wrong in (True, 4.9, None, "42", 0):
        with pytest.raises(ValidationError) as caught:
            check_request(RemoveRequest(id=wrong))
        assert caught.value.field == "id"
    check_request(RemoveRequest(id=42))
    bad_key = AddRequest(task=_task(trigger_actions={"AUTODIAL_ANSWER": [1], "BOGUS": [2]}))
    with pytest.raises(ValidationError, match="unknown value 'BOGUS'") as caught:
        check_request(bad_key)
    assert caught.value.field == "task.trigger_actions['BOGUS']"
    deep = GetCallsHistoryRequest(id=1, call_history_request=CallsHistoryQuery(limit="5"))
    with pytest.raises(ValidationError) as caught:
        check_request(deep)
    assert caught.value.field == "call_history_request.limit"


def test_a_timestamp_or_none_in_a_date_field_names_the_field() -> None:
    with pytest.raises(ValidationError, match="naive datetime") as caught:
        CallsHistoryQuery(date_from=1764547200)  # type: ignore[arg-type]
    assert caught.value.field == "call_history_request.date_from"
    for value in (1764547200, None):
        with pytest.raises(ValidationError, match=r"got (int|None)") as caught:
            HistoryRequest(date_from=value, date_to=datetime(2026, 12, 1))  # type: ignore[arg-type]
        assert caught.value.field == "date_from"
        with pytest.raises(ValidationError, match=r"got (int|None)") as caught:
            OperatorStatisticRequest(from_=datetime(2026, 12, 1), to=value)  # type: ignore[arg-type]
        assert caught.value.field == "to"
