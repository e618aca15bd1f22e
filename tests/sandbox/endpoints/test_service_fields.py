"""The sandbox sends and takes what the real service does where the reference is silent:
`line` on users, `meta` as a number, history records without state/cause/duration or with a
`warning` (README "API notes")."""

from __future__ import annotations

import pytest

from .conftest import Api

pytestmark = pytest.mark.anyio
EVER = {"dateFrom": "2000-01-01 00:00:00", "dateTo": "2100-01-01 00:00:00"}


async def test_users_carry_their_line_as_call_history_spells_it(api: Api) -> None:
    users = await api.ok("/users/list")
    lines = {user["line"] for user in users if user["phone"] is not None}
    assert all(user["line"] == str(user["phone"]) for user in users if user["phone"])
    history = await api.ok("/history/get", EVER | {"limit": 1000})
    internal = {call["from"] for call in history["calls"] if call["direction"] == "OUT"}
    assert lines & internal  # outgoing calls join to their users on `line`


@pytest.mark.parametrize("meta", [42, "42"])
async def test_originate_new_takes_meta_as_a_number_or_text(api: Api, meta: object) -> None:
    body = {"phone": "380503332211", "ivrId": 211, "meta": meta}
    assert await api.ok("/calls/originateNew", body) == {"status": "Success"}


async def test_meta_of_a_third_type_is_a_validation_error(api: Api) -> None:
    answer = await api.fails(
        "/calls/originateNew",
        {"phone": "380503332211", "ivrId": 211, "meta": True},
        message="Validation error",
    )
    assert "meta" in answer["data"]


async def test_some_history_records_lack_state_cause_duration_and_some_carry_a_warning(
    api: Api,
) -> None:
    calls = (await api.ok("/history/get", EVER | {"limit": 1000}))["calls"]
    partial = [call for call in calls if "state" not in call]
    assert partial and all("cause" not in c and "secondsFullTime" not in c for c in partial)
    assert all(call["link"] is None for call in partial)  # never an answered call
    assert any("warning" in call for call in calls)
    assert [call["id"] for call in calls] == sorted((c["id"] for c in calls), reverse=True)


async def test_text_that_is_not_a_number_is_refused_like_the_client_refuses_it(api: Api) -> None:
    body = {"list": "BLOCKED_PHONES", "operation": "ADD"}
    items = ["2026-12-01 10:00", "38097١1234567", "+38 (097) 123-45-67"]
    answer = await api.fails("/lists", body | {"items": items}, message="Wrong numbers")
    assert answer["data"] == items[:2]


async def test_the_task_ranges_are_answered_as_validation_errors(api: Api) -> None:
    task = {
        "name": "Ranges", "autodialerType": "AUTODIAL", "autodialerMode": "SMART",
        "groupId": 300, "scenarioId": 70, "startDate": "2030-03-15", "endDate": "2030-05-15",
        "timeFrom": ["09:00"] * 7, "timeTo": ["19:00"] * 7, "crmMode": "DONT_SEND",
        "clientCalledMode": "NEVER", "smartSpeed": 11,
    }  # fmt: skip
    answer = await api.fails(
        "/autodial/action", {"action": "ADD", "task": task}, message="Validation error"
    )
    assert answer["data"] == "smartSpeed must be -10..10"
    fixed = {**task, "autodialerMode": "FIXED", "smartSpeed": 0}
    answer = await api.fails(
        "/autodial/action", {"action": "ADD", "task": fixed}, message="Validation error"
    )
    assert answer["data"] == "threadCount is required in FIXED mode"
