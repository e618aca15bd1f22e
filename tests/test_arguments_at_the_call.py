"""The issue's examples, one by one: each bad argument is refused at the call, naming the
argument, and nothing reaches the HTTP transport; an enum value newer than the library still
goes out when passed as a member built from it."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from _recording import recording_client

from unitalk_async import UnitalkClient, ValidationError
from unitalk_async.models.enums import CallState, DictionaryType

pytestmark = pytest.mark.anyio

PHONE = "380971234567"
Call = Callable[[UnitalkClient], Awaitable[Any]]


REFUSED: list[tuple[str, Call, str]] = [
    ("remove(True)", lambda c: c.autodial.remove(True), "autodialer_id"),
    ("remove(4.9)", lambda c: c.autodial.remove(4.9), "autodialer_id"),  # type: ignore[arg-type]
    ("cancel(None)", lambda c: c.autodial.cancel(None), "autodialer_id"),  # type: ignore[arg-type]
    ('pause("42")', lambda c: c.autodial.pause("42"), "autodialer_id"),  # type: ignore[arg-type]
    ("unpause(0)", lambda c: c.autodial.unpause(0), "autodialer_id"),
    ("messages.get_status(-1)", lambda c: c.messages.get_status(-1), "id"),
    ("add_numbers(42, str)", lambda c: c.autodial.add_numbers(42, PHONE), "numbers"),
    ("remove_numbers(1, str)", lambda c: c.autodial.remove_numbers(1, PHONE), "numbers"),
    ("lists.add(str)", lambda c: c.lists.add("BLOCKED_PHONES", PHONE), "items"),
    ("send_bulk(str)", lambda c: c.messages.send_bulk("SMS", PHONE, "Hi"), "recipients"),
    (
        "remove_scheduled_by_phones(str)",
        lambda c: c.event_handlers.remove_scheduled_by_phones(PHONE),
        "phones",
    ),
    (
        "history.get(timestamp)",
        lambda c: c.history.get(1764547200, "2026-12-02 00:00:00"),  # type: ignore[arg-type]
        "date_from",
    ),
    (
        "get_calls_history(date_from=timestamp)",
        lambda c: c.autodial.get_calls_history(1, date_from=1764547200),  # type: ignore[arg-type]
        "date_from",
    ),
    (
        "operators.statistic(None)",
        lambda c: c.operators.statistic(None, "2026-12-02 00:00:00"),  # type: ignore[arg-type]
        "from_",
    ),
    ("users.work_history(timestamp)", lambda c: c.users.work_history(1764547200), "date"),  # type: ignore[arg-type]
    ('call_states=["BOGUS"]', lambda c: c.autodial.refresh(1, ["BOGUS"]), "call_states[0]"),  # type: ignore[list-item]
    (
        'get_numbers(call_states=["BOGUS"])',
        lambda c: c.autodial.get_numbers(1, call_states=["ANSWER", "BOGUS"]),  # type: ignore[list-item]
        "call_states[1]",
    ),
    ('dictionary("NOPE")', lambda c: c.dictionary("NOPE"), "type"),  # type: ignore[arg-type]
    ('messages.send("FAX")', lambda c: c.messages.send("FAX", PHONE, "Hi"), "message_type"),  # type: ignore[arg-type]
]


@pytest.mark.parametrize(("case", "call", "field"), REFUSED, ids=[r[0] for r in REFUSED])
async def test_bad_input_is_refused_naming_the_argument(case: str, call: Call, field: str) -> None:
    sent: list[httpx.Request] = []
    async with recording_client(sent) as client:
        with pytest.raises(ValidationError) as caught:
            await call(client)
    assert caught.value.field == field, caught.value
    assert sent == []


async def test_a_value_newer_than_the_library_goes_out_as_a_member() -> None:
    sent: list[httpx.Request] = []
    async with recording_client(sent) as client:
        await client.autodial.refresh(1, [CallState("NEW_IN_2027")])
        await client.dictionary(DictionaryType("NEW_KIND"))
    assert json.loads(sent[0].content)["callStates"] == ["NEW_IN_2027"]
    assert sent[1].url.params["type"] == "NEW_KIND"
