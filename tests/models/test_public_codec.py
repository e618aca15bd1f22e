"""`unitalk_async.decode`/`convert` read any model back, date and time fields included, and
the caller-facing literals of every enum list exactly the enum's values."""

from __future__ import annotations

import json
from datetime import datetime, time
from typing import get_args

import msgspec
import pytest

import unitalk_async
from unitalk_async import to_json
from unitalk_async.models import HistoryCall, WireTime
from unitalk_async.models import enums as enum_module
from unitalk_async.models.enums import CallDirection

LINE = b'{"id": 7, "date": "2026-11-30 09:15:00", "direction": "IN", "from": "380971234567"}'


def test_an_exported_jsonl_line_decodes_back_into_the_model() -> None:
    with pytest.raises(msgspec.ValidationError):  # plain msgspec lacks the wire's date format
        msgspec.json.decode(LINE, type=HistoryCall)
    call = unitalk_async.decode(LINE, type=HistoryCall)
    assert (call.id, call.date, call.direction) == (7, datetime(2026, 11, 30, 9, 15), "IN")
    assert call.direction is CallDirection.IN
    assert to_json(call) == unitalk_async.to_json(unitalk_async.decode(to_json(call), HistoryCall))


def test_convert_reads_builtins_and_python_datetimes() -> None:
    row = json.loads(LINE)
    assert unitalk_async.convert(row, type=HistoryCall) == unitalk_async.decode(LINE, HistoryCall)
    row["date"] = datetime(2026, 11, 30, 9, 15)
    assert unitalk_async.convert(row, type=HistoryCall).date == datetime(2026, 11, 30, 9, 15)
    assert str(unitalk_async.convert(row, type=HistoryCall).date) == "2026-11-30 09:15:00"


def test_times_decode_from_text_and_from_time_objects() -> None:
    assert str(unitalk_async.convert("09:30", type=WireTime)) == "09:30"
    assert unitalk_async.convert(time(9, 30), type=WireTime) == time(9, 30)
    assert type(unitalk_async.convert(time(9, 30), type=WireTime)) is WireTime


LITERALS = sorted(name for name in enum_module.__all__ if name.endswith("Literal"))


def test_every_enum_has_its_literal() -> None:
    assert len(LITERALS) >= 15


@pytest.mark.parametrize("literal_name", LITERALS)
def test_each_literal_lists_exactly_its_enums_values(literal_name: str) -> None:
    enum = getattr(enum_module, literal_name.removesuffix("Literal"))
    literal = getattr(enum_module, literal_name)
    assert set(get_args(literal)) == {member.value for member in enum}
    assert len(get_args(literal)) == len(set(get_args(literal)))
    assert getattr(enum_module, literal_name.replace("Literal", "Like")) is enum  # at run time
