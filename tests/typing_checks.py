"""Types the public API promises, checked by mypy --strict (tests/test_readme.py runs it).

Never imported by pytest; each `assert_type` fails the mypy run if a promise breaks.
"""

from __future__ import annotations

from datetime import datetime
from typing import assert_type

import msgspec

import unitalk_async
from unitalk_async import Rejected, UnitalkClient
from unitalk_async.models import AutodialTask, HistoryCall, ListRequest
from unitalk_async.models.distributions import DistributionCreate, SmsDistribution
from unitalk_async.models.enums import CallState


async def enum_values_may_be_typed_as_text(client: UnitalkClient) -> None:
    AutodialTask(
        name="Windows",
        autodialer_mode="FIXED",
        start_date="2026-12-01",
        end_date="2026-12-31",
        time_from=["09:00"] * 7,
        time_to=["19:00"] * 7,
        crm_mode="DONT_SEND",
        client_called_mode="NEVER",
        trigger_actions={"AUTODIAL_ANSWER": [1]},
    )
    ListRequest(list="BLOCKED_PHONES", operation="GET")
    # ... and members still work, a newer value included.
    ListRequest(list="BLOCKED_PHONES", operation="GET").validate()
    assert_type(CallState("SOMETHING_NEW"), CallState)


def models_decode_with_their_date_formats(line: bytes, row: dict[str, object]) -> None:
    call = unitalk_async.decode(line, type=HistoryCall)
    assert_type(call, HistoryCall)
    assert_type(unitalk_async.convert(row, type=HistoryCall), HistoryCall)
    assert_type(unitalk_async.decode(line, type=list[datetime]), list[datetime])


def distribution_create_is_a_union_msgspec_reads(data: bytes) -> None:
    created = msgspec.json.decode(data, type=DistributionCreate)
    if isinstance(created, SmsDistribution):
        assert_type(created.numbers, list[str])


def rejected_items_keep_their_type(rejected: Rejected[str]) -> None:
    assert_type(rejected.item, str)
