"""/history/get: the project's generated call history, filters, offset paging."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from unitalk_async.sandbox.endpoints.history import HistoryFilter, HistoryRow, from_ts

from .conftest import Api, ApiFactory

pytestmark = pytest.mark.anyio
EVERYTHING = {"dateFrom": "2000-01-01 00:00:00", "dateTo": "2100-01-01 00:00:00"}
FIELDS = {
    "id", "dbid", "date", "source", "direction", "from", "to", "lastGroupName",
    "secondsFullTime", "secondsTalk", "link", "comment", "state", "cause", "callback",
    "utmSource", "utmMedium", "utmCampaign", "utmTerm", "utmContent", "outerNumber",
    "googleId", "facebookClientId", "referer",
}  # fmt: skip


async def history(api: Api, **request: Any) -> dict[str, Any]:
    body: dict[str, Any] = await api.ok("/history/get", EVERYTHING | request)
    return body


async def test_newest_first_with_every_field(api: Api) -> None:
    body = await history(api, limit=50)
    assert body["count"] == 600
    calls = body["calls"]
    assert len(calls) == 50
    # Every documented field, except that a few records lack these three or add a warning,
    # as the service's do (README "API notes"; tests/sandbox/endpoints/test_service_fields.py).
    sometimes_absent = {"state", "cause", "secondsFullTime"}
    assert all(FIELDS - sometimes_absent <= set(call) <= FIELDS | {"warning"} for call in calls)
    ids = [call["id"] for call in calls]
    assert ids == sorted(ids, reverse=True)
    assert calls[0]["dbid"] == 600
    newest = calls[0]
    assert datetime.strptime(newest["date"], "%Y-%m-%d %H:%M:%S") < api.state.created
    answered = next(call for call in calls if call["state"] == "ANSWER")
    assert answered["link"].startswith("https://api.unitalk.cloud:8443/tracking/rec/")
    assert answered["secondsTalk"] > 0


async def test_offset_paging_visits_every_call_once(api: Api) -> None:
    seen: list[int] = []
    offset = 0
    while True:
        page = await history(api, limit=128, offset=offset)
        if not page["calls"]:
            break
        seen.extend(call["id"] for call in page["calls"])
        offset += 128
    assert len(seen) == len(set(seen)) == 600
    assert seen == sorted(seen, reverse=True)


async def test_dates_bound_the_calls(api: Api) -> None:
    rows = api.state.history.rows
    start, end = from_ts(rows[100].ts), from_ts(rows[199].ts)
    body = await api.ok("/history/get", {"dateFrom": start, "dateTo": end, "limit": 1000})
    dates = [call["date"] for call in body["calls"]]
    assert body["count"] == len(dates) >= 100
    assert all(start <= date <= end for date in dates)


FILTERS: list[tuple[dict[str, Any], Any]] = [
    ({"direction": "OUT"}, lambda r: r.direction == "OUT"),
    ({"minDuration": 300}, lambda r: r.seconds_talk >= 300),
    ({"calledFrom": ["38097", "1001"]}, lambda r: "38097" in r.caller or "1001" in r.caller),
    ({"calledTo": ["1003"]}, lambda r: r.callee is not None and "1003" in r.callee),
    ({"newLead": True}, lambda r: r.new_lead),
    ({"answered": True}, lambda r: r.state == "ANSWER"),
    ({"answered": False}, lambda r: r.state != "ANSWER"),
    ({"lost": True}, lambda r: r.lost),
    ({"voiceMessage": True}, lambda r: r.voice_message),
    ({"direction": "IN", "answered": False, "lost": False}, lambda r: r.direction == "IN"
     and r.state != "ANSWER" and not r.lost),
]  # fmt: skip


@pytest.mark.parametrize(("where", "expected"), FILTERS)
async def test_filters(api: Api, where: dict[str, Any], expected: Any) -> None:
    rows: list[HistoryRow] = api.state.history.rows
    wanted = [row.id for row in reversed(rows) if expected(row)]
    assert wanted
    body = await history(api, limit=1000, filter=where)
    assert body["count"] == len(wanted)
    assert [call["id"] for call in body["calls"]] == wanted
    second = await history(api, limit=5, offset=5, filter=where)
    assert [call["id"] for call in second["calls"]] == wanted[5:10]


async def test_exact_phone_and_outer_number(api: Api) -> None:
    rows = api.state.history.rows
    client = next(r.caller for r in rows if r.direction == "IN")
    outer = rows[0].outer
    spaced = f"+{client[:3]} {client[3:6]}-{client[6:]}"  # non-digits are stripped
    by_phone = await history(api, limit=1000, filter={"exactPhone": [spaced]})
    assert by_phone["calls"]
    assert all(client in (c["from"], *c["to"]) for c in by_phone["calls"])
    by_outer = await history(api, limit=1000, filter={"outerNum": [outer]})
    assert by_outer["count"] == sum(1 for r in rows if r.outer == outer)
    assert {c["outerNumber"] for c in by_outer["calls"]} == {outer}


@pytest.mark.parametrize(
    ("request_body", "message"),
    [
        ({"dateTo": "2100-01-01 00:00:00", "limit": 10}, "Wrong FROM date"),
        (EVERYTHING | {"dateFrom": "2024-01-01", "limit": 10}, "Wrong FROM date"),
        ({"dateFrom": "2000-01-01 00:00:00", "limit": 10}, "Wrong TO date"),
        (EVERYTHING | {"dateTo": "tomorrow", "limit": 10}, "Wrong TO date"),
        (EVERYTHING, "Limit range is 1-1000"),
        (EVERYTHING | {"limit": 0}, "Limit range is 1-1000"),
        (EVERYTHING | {"limit": 1001}, "Limit range is 1-1000"),
        (EVERYTHING | {"limit": 10, "offset": -1}, "Offset is less than 0"),
    ],
)
async def test_errors(api: Api, request_body: dict[str, Any], message: str) -> None:
    await api.fails("/history/get", request_body, message=message)


async def test_the_seed_decides_the_history(make_api: ApiFactory) -> None:
    first, same, other = [await make_api(seed=s) for s in (1, 1, 2)]
    pages = [(await history(api, limit=20))["calls"] for api in (first, same, other)]
    strip = [[{k: v for k, v in c.items() if k != "date"} for c in page] for page in pages]
    assert strip[0] == strip[1]
    assert strip[0] != strip[2]


async def test_a_hundred_thousand_calls(make_api: ApiFactory) -> None:
    api: Api = await make_api(history_size=100_000)
    body = await history(api, limit=1000, offset=99_500)
    assert body["count"] == 100_000
    assert [c["dbid"] for c in body["calls"]] == list(range(500, 0, -1))
    filtered = await history(api, limit=10, filter={"direction": "INNER"})
    assert 0 < filtered["count"] < 100_000
    inner = HistoryFilter(direction="INNER")
    assert filtered["count"] == sum(1 for row in api.state.history.rows if inner.matches(row))
