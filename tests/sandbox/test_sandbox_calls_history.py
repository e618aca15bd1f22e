"""GET_CALLS_HISTORY over simulated calls: order, paging by offset and by maxId, filters."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Api, phones

pytestmark = pytest.mark.anyio


async def history(api: Api, autodialer_id: int, **request: Any) -> dict[str, Any]:
    answer: dict[str, Any] = await api.ok(
        "GET_CALLS_HISTORY", id=autodialer_id, callHistoryRequest=request
    )
    return answer


async def test_items_descend_by_id_with_the_reference_shape(api: Api) -> None:
    autodialer_id = await api.create(numbers=phones(120))
    api.sandbox.simulate_calls(autodialer_id, 120)
    answer = await history(api, autodialer_id)
    assert answer["count"] == 120
    assert (answer["offset"], answer["limit"]) == (0, 50)
    ids = [item["id"] for item in answer["items"]]
    assert len(ids) == 50 and ids == sorted(ids, reverse=True)
    item = answer["items"][0]
    assert set(item) >= {
        "id", "phone", "state", "callEndTime", "operatorNumber", "userId", "calledCount",
        "realCalledCount", "seconds", "secondsTalk", "rid", "name", "note", "link", "params",
        "withdrawTotal", "withdrawByCategories", "secretary",
    }  # fmt: skip
    assert item["phone"] in phones(120)
    assert item["calledCount"] == 1
    everything = await history(api, autodialer_id, limit=1000)
    all_ids = [i["id"] for i in everything["items"]]
    tail = await history(api, autodialer_id, offset=100, limit=1000)
    assert [i["id"] for i in tail["items"]] == all_ids[100:] == sorted(all_ids)[:20][::-1]


async def test_offset_pages_cover_everything_once(api: Api) -> None:
    autodialer_id = await api.create(numbers=phones(95))
    api.sandbox.simulate_calls(autodialer_id, 95)
    seen: list[int] = []
    for offset in range(0, 95, 30):
        page = await history(api, autodialer_id, offset=offset, limit=30)
        seen += [item["id"] for item in page["items"]]
    assert len(seen) == len(set(seen)) == 95
    assert seen == sorted(seen, reverse=True)


async def test_max_id_paging_is_not_disturbed_by_new_calls(api: Api) -> None:
    autodialer_id = await api.create(numbers=phones(300))
    api.sandbox.simulate_calls(autodialer_id, 100)
    present = {item["id"] for item in (await history(api, autodialer_id, limit=1000))["items"]}
    seen: list[int] = []
    max_id: int | None = None
    while True:
        request: dict[str, Any] = {"limit": 7}
        if max_id is not None:
            request["maxId"] = max_id
        page = await history(api, autodialer_id, **request)
        if not page["items"]:
            break
        seen += [item["id"] for item in page["items"]]
        max_id = page["items"][-1]["id"] - 1
        api.sandbox.simulate_calls(autodialer_id, 3)  # calls land while we page
    assert set(seen) >= present
    assert len(seen) == len(set(seen))
    assert [i for i in seen if i in present] == sorted(present, reverse=True)


async def test_max_id_is_inclusive_and_counts(api: Api) -> None:
    autodialer_id = await api.create(numbers=phones(10))
    api.sandbox.simulate_calls(autodialer_id, 10)
    top = (await history(api, autodialer_id, limit=1))["items"][0]["id"]
    page = await history(api, autodialer_id, maxId=top - 3, limit=2)
    assert [i["id"] for i in page["items"]] == [top - 3, top - 4]
    assert page["count"] == 7


async def test_filters(api: Api) -> None:
    autodialer_id = await api.create()
    await api.ok(
        "ADD_NUMBERS",
        id=autodialer_id,
        numbersWithData=[
            {
                "phone": "380671110000",
                "name": "Olena Moroz",
                "note": "windows",
                "params": {"1": "gold"},
            },
            {"phone": "380502220000", "name": "Taras", "link": "https://crm/2"},
            *[{"phone": p} for p in phones(20)],
        ],
    )  # fmt: skip
    api.sandbox.simulate_calls(autodialer_id, 22)

    async def phones_of(**filters: Any) -> list[str]:
        page = await history(api, autodialer_id, limit=1000, filter=filters)
        assert page["count"] == len(page["items"])
        return sorted(item["phone"] for item in page["items"])

    assert await phones_of(phone="+38 (067) 111") == ["380671110000"]
    assert await phones_of(name="Moroz") == ["380671110000"]
    assert await phones_of(note="window") == ["380671110000"]
    assert await phones_of(link="crm/") == ["380502220000"]
    assert await phones_of(param="gol") == ["380671110000"]
    everything = await history(api, autodialer_id, limit=1000)
    state = everything["items"][0]["state"]
    expected = sorted(i["phone"] for i in everything["items"] if i["state"] == state)
    assert await phones_of(states=[state]) == expected
    operated = [i for i in everything["items"] if i["operatorNumber"]]
    if operated:
        line = operated[0]["operatorNumber"]
        expected = sorted(i["phone"] for i in everything["items"] if i["operatorNumber"] == line)
        assert await phones_of(operatorNumber=line) == expected
    when = everything["items"][0]["callEndTime"]
    assert len(await phones_of()) == 22
    assert len((await history(api, autodialer_id, limit=1000, dateFrom=when))["items"]) == 22
    assert (await history(api, autodialer_id, dateTo=when))["items"] == []


async def test_voice_robot_calls_carry_the_secretary(api: Api) -> None:
    autodialer_id = await api.create(autodialerType="VOICE_ROBOT", voiceSecretaryId=97)
    await api.ok("ADD_NUMBERS", id=autodialer_id, numbers=phones(40))
    api.sandbox.simulate_calls(autodialer_id, 40)
    page = await history(api, autodialer_id, limit=1000, filter={"voiceSecretaryIds": ["97"]})
    assert page["items"]
    assert all(item["secretary"]["id"] == 97 for item in page["items"])
    reason = page["items"][0]["secretary"]["endReason"]
    filtered = await history(
        api, autodialer_id, limit=1000, filter={"voiceSecretaryEndReasons": [reason]}
    )
    assert filtered["items"]
    assert all(i["secretary"]["endReason"] == reason for i in filtered["items"])


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (None, "callHistoryRequest is null"),
        ({"limit": 0}, "Limit range is 1-5000"),
        ({"limit": 1001}, "Limit range is 1-5000"),
        ({"offset": -1}, "Offset is less than 0"),
        ({"dateFrom": "2023-10-24"}, "Invalid date from"),
        ({"dateTo": "yesterday"}, "Invalid date to"),
    ],
)
async def test_errors(api: Api, request_: Any, message: str) -> None:
    autodialer_id = await api.create()
    body: dict[str, Any] = {"id": autodialer_id}
    if request_ is not None:
        body["callHistoryRequest"] = request_
    assert (await api.fails("GET_CALLS_HISTORY", **body))["message"] == message


async def test_a_thousand_is_the_largest_page(api: Api) -> None:
    autodialer_id = await api.create(numbers=phones(1200))
    api.sandbox.simulate_calls(autodialer_id, 1200)
    page = await history(api, autodialer_id, limit=1000)
    assert len(page["items"]) == 1000 and page["count"] == 1200


async def test_calls_record_the_handlers_their_event_ran(api: Api) -> None:
    autodialer_id = await api.create(
        numbers=phones(60), triggerActions={"AUTODIAL_NOANSWER": [2, 11], "AUTODIAL_FINISH": [123]}
    )
    api.sandbox.simulate_calls(autodialer_id, 60)
    items = (await history(api, autodialer_id, limit=1000))["items"]
    assert {item["state"] for item in items} >= {"NOANSWER", "ANSWER"}
    for item in items:
        expected = [2, 11] if item["state"] == "NOANSWER" else None
        assert item["executedTriggerActionIds"] == expected
