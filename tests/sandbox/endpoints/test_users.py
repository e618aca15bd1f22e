"""/users/list, /users/getStatus, /users/workHistory, /phones/inner, /phones/inner/setStatus,
/groups/action, /operator/statistic."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from .conftest import Api

pytestmark = pytest.mark.anyio


async def test_users_list_and_statuses(api: Api) -> None:
    users = await api.ok("/users/list")
    project_users = list(api.sandbox.project.users.values())
    assert [u["id"] for u in users] == [u.id for u in project_users]
    first = users[0]
    assert set(first) == {
        "email", "firstName", "lastName", "middleName", "phone", "role", "id", "workStatus",
        "workStatusName", "line",
    }  # fmt: skip
    statuses = await api.ok("/users/getStatus")
    assert set(statuses[0]) == {
        "firstName", "lastName", "middleName", "phone", "workStatus", "workStatusName"
    }  # fmt: skip
    assert [s["workStatus"] for s in statuses] == [u["workStatus"] for u in users]


async def test_work_history(api: Api) -> None:
    body = await api.ok("/users/workHistory", params={"date": "2026-03-01"})
    users = body["users"]
    assert set(users) == {str(u) for u in api.sandbox.project.users}
    times = next(iter(users.values()))["userTimeSeconds"]
    assert times["work"] + times["pause"] + times["stop"] == 24 * 3600
    assert sum(times["byWork"].values()) == times["work"]
    assert sum(times["byPauses"].values()) == times["pause"]
    assert set(times["byStop"]) == set(api.sandbox.project.work_status_names["STOP"])
    today = await api.ok("/users/workHistory", params={"date": "2026-03-02"})  # noon
    today_times = next(iter(today["users"].values()))["userTimeSeconds"]
    assert sum(today_times[k] for k in ("work", "pause", "stop")) == 12 * 3600
    again = await api.ok("/users/workHistory", params={"date": "2026-03-01"})
    assert again == body


async def test_work_history_errors(api: Api) -> None:
    future = {"date": "2026-03-03"}
    await api.fails("/users/workHistory", params=future, message="Future data is absent")
    await api.fails(
        "/users/workHistory", params={"date": "03/01/2026"},
        message="Validation error: date must be yyyy-MM-dd",
    )  # fmt: skip


async def test_inner_lines_and_set_status(api: Api) -> None:
    project = api.sandbox.project
    body = await api.ok("/phones/inner")
    assert body == {"status": "Success", "data": dict(project.lines)}
    online = next(line for line, status in project.lines.items() if status == "online")
    await api.ok("/phones/directCall", data={"sip": online, "number": "380504443322"})
    assert (await api.ok("/phones/inner"))["data"][online] == "busy"
    api.clock.advance(61)  # the call is over
    assert (await api.ok("/phones/inner"))["data"][online] == "online"
    user = next(u for u in project.users.values() if u.phone is not None)
    line = str(user.phone)
    params = {"number": line, "status": "PAUS", "statusName": "Lunch"}
    assert await api.ok("/phones/inner/setStatus", params=params) == {"status": "Success"}
    assert (user.work_status, user.work_status_name) == ("PAUS", "Lunch")
    await api.ok("/phones/inner/setStatus", params={"number": line, "status": "WORK"})
    assert (user.work_status, user.work_status_name) == ("WORK", None)
    statuses = await api.ok("/users/getStatus")
    assert {"workStatus": "WORK", "workStatusName": None}.items() <= next(
        s for s in statuses if s["phone"] == user.phone
    ).items()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"number": "77", "status": "WORK"}, "Operator not found: 77"),
        (
            {"number": "<line>", "status": "SLEEP"},
            "Validation error: status must be WORK, STOP or PAUS",
        ),
        (
            {"number": "<line>", "status": "WORK", "statusName": "Lunch"},
            "Validation error: no work status named 'Lunch'",
        ),
    ],
)  # fmt: skip
async def test_set_status_errors(api: Api, params: dict[str, str], message: str) -> None:
    user = next(u for u in api.sandbox.project.users.values() if u.phone is not None)
    if params["number"] == "<line>":
        params = params | {"number": str(user.phone)}
    await api.fails("/phones/inner/setStatus", params=params, message=message)


async def test_groups(api: Api) -> None:
    project = api.sandbox.project
    body = await api.ok("/groups/action", {"action": "GET_LIST"})
    groups = body["data"]
    assert [g["id"] for g in groups] == list(project.groups)
    sales = groups[0]
    assert set(sales) == {"id", "name", "phones"}
    assert set(sales["phones"][0]) == {"number", "firstName", "lastName"}
    number = sales["phones"][0]["number"]
    removal = {"action": "REMOVE_NUMBER", "groupId": sales["id"], "number": number}
    assert await api.ok("/groups/action", removal) == {"status": "Success"}
    after = (await api.ok("/groups/action", {"action": "GET_LIST"}))["data"][0]
    assert number not in [p["number"] for p in after["phones"]]
    await api.fails("/groups/action", removal, message="Numbers not found")
    await api.fails("/groups/action", removal | {"groupId": 1}, message="Group not found")
    await api.fails("/groups/action", {}, message="Validation error: action is required")


STATISTIC = {"from": "2000-01-01 00:00:00", "to": "2100-01-01 00:00:00"}


def _reference_fields() -> list[str]:
    """The fields of the reference's /operator/statistic example, in its order."""
    text = (Path(__file__).parents[2] / "reference" / "unitalk-api.txt").read_text()
    example = text[text.index('"operatorName"') : text.index('"compoundTime"') + 20]
    return re.findall(r'^"(\w+)":', example, re.MULTILINE)


REFERENCE_FIELDS = _reference_fields()


async def test_operator_statistic(api: Api) -> None:
    body: list[dict[str, Any]] = await api.ok("/operator/statistic", STATISTIC)
    lines = api.sandbox.project.lines
    assert [entry["operatorPhone"] for entry in body] == sorted(lines)
    rows = api.state.history.rows
    total = sum(entry["totalCount"] for entry in body)
    assert total == len(rows)
    first = body[0]
    assert first["totalCount"] == first["inCount"] + first["outCount"]
    assert first["inCount"] == first["inAnsweredCount"] + first["inMissedCount"]
    assert first["outAnsweredPercentage"].endswith("%")
    assert list(first) == REFERENCE_FIELDS
    only = await api.ok(
        "/operator/statistic",
        STATISTIC | {"filter": {"innerPhones": [first["operatorPhone"]], "callTypes": ["REGULAR"]}},
    )
    assert [e["operatorPhone"] for e in only] == [first["operatorPhone"]]
    assert only[0]["inRegularCount"] == only[0]["inCount"]
    assert only[0]["totalCount"] < first["totalCount"]
    long_calls = await api.ok(
        "/operator/statistic", STATISTIC | {"filter": {"minTimeSeconds": 500}}
    )
    assert sum(e["totalCount"] for e in long_calls) == sum(1 for r in rows if r.seconds_talk >= 500)


async def test_operator_statistic_errors(api: Api) -> None:
    await api.fails("/operator/statistic", {"to": STATISTIC["to"]}, message="Wrong FROM date")
    await api.fails(
        "/operator/statistic", STATISTIC | {"to": "2100-01-01"}, message="Wrong TO date"
    )
