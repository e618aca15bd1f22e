"""Types the public API promises, checked by mypy --strict (tests/test_readme.py runs it).

Never imported by pytest; each `assert_type` fails the mypy run if a promise breaks.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, assert_type

import msgspec

import unitalk_async
from unitalk_async import BulkResult, Rejected, UnitalkClient
from unitalk_async.models import AutodialTask, HistoryCall, ListRequest, NumberWithData
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


async def bulk_results_say_what_they_hold(client: UnitalkClient) -> None:
    added = await client.autodial.add_numbers(1, ["380971234567"])
    assert_type(added, BulkResult[str | NumberWithData | Mapping[str, Any]])
    assert_type(added.rejected[0].item, str | NumberWithData | Mapping[str, Any])
    removed = await client.autodial.remove_numbers(1, ["380971234567"])
    assert_type(removed.rejected[0].item, str)


async def method_parameters_take_enum_text(client: UnitalkClient) -> None:
    await client.autodial.refresh(1, ["ANSWER", CallState.BUSY])
    await client.messages.send("VIBER", "380971234567", "Hi")
    await client.lists.get("BLOCKED_PHONES")
    await client.phones.set_status("101", "PAUS")
    await client.dictionary("USER")
