"""`client.autodial`: what each method sends, how it reads the answer, how it retries.

A recording fake client stands in for UnitalkClient (tests/resources/_fake_autodial.py);
the same behaviour against the sandbox is in test_autodial_sandbox.py.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

import pytest

from unitalk_async import _operations as ops
from unitalk_async._bulk import ChunkStatus, partial_result
from unitalk_async._exceptions import (
    ConflictError,
    InvalidItemsError,
    NotFoundError,
    ValidationError,
)
from unitalk_async._operations import AlreadyDone
from unitalk_async.models.autodial import (
    AudioPart,
    AutodialerNumber,
    AutodialTask,
    CallsHistoryFilter,
    CallsHistoryPage,
    CompositeAudio,
    NumberAudio,
    NumberWithData,
)
from unitalk_async.models.enums import AutodialerType, CallState, DynamicValue, TaskStatus

from ._fake_autodial import OK, FakeClient, resource

pytestmark = pytest.mark.anyio

WEEK = ["09:00"] * 5 + [None, "14:00"]
WEEK_END = ["19:00"] * 5 + [None, "17:00"]


def autodial_task(**overrides: Any) -> AutodialTask:
    fields: dict[str, Any] = {
        "name": "Windows",
        "autodialer_mode": "FIXED",
        "start_date": date(2026, 3, 15),
        "end_date": date(2026, 5, 15),
        "time_from": WEEK,
        "time_to": WEEK_END,
        "crm_mode": "DONT_SEND",
        "client_called_mode": "NEVER",
        "thread_count": 1,
        "composite_audio": CompositeAudio(
            multi_audios=[
                AudioPart.silence(500),
                AudioPart.audio(46615),
                AudioPart.synthesis(DynamicValue.NO, settings_id=117),
            ]
        ),
    }
    return AutodialTask(**(fields | overrides))


def number_row(phone: str, **extra: Any) -> dict[str, Any]:
    return {"taskId": 7, "phone": phone, "state": "NEW", **extra}


# --- reading -------------------------------------------------------------------------------------
async def test_get_list_reads_the_enveloped_list() -> None:
    row = {
        "id": 7,
        "name": "a",
        "autodialerType": "AUTODIAL",
        "autodialerMode": "FIXED",
        "status": "NEW",
    }
    client = FakeClient({"status": "Success", "data": [row]})
    [summary] = await resource(client).get_list()
    assert client.sent[0].body == {"action": "GET_LIST"}
    assert summary.status is TaskStatus.NO_NUMBERS  # README: NEW is NO_NUMBERS
    assert summary.autodialer_type is AutodialerType.AUTODIAL


async def test_get_with_data_is_bare_and_unknown_values_do_not_fail_it() -> None:
    answer = {
        "maxAddNumbersCount": 50_000,
        "tasks": [
            {
                "id": 7,
                "autodialerType": "PREDICTIVE",  # a type the reference does not list
                "statistics": {"totalCount": 3, "statesCount": {"NEW": 2, "SOMETHING": 1}},
                "timeFrom": WEEK,
                "startDate": "2026-03-15",
            }
        ],
        "aFieldAddedLater": {"x": 1},
    }
    client = FakeClient(answer)
    data = await resource(client).get_with_data()
    assert client.sent[0].body == {"action": "GET_WITH_DATA"}
    task = data.task(7)
    assert task is not None
    assert task.autodialer_type == "PREDICTIVE"
    assert not AutodialerType("PREDICTIVE").is_known
    assert task.total_count == 3
    assert task.time_from == [time(9, 0)] * 5 + [None, time(14, 0)]
    assert task.start_date == date(2026, 3, 15)


async def test_get_number_normalises_the_number() -> None:
    client = FakeClient(number_row("380971234567", stateDateTime="2020-09-10 05:47:15"))
    number = await resource(client).get_number(7, "+38 (097) 123-45-67")
    assert client.sent[0].body == {"action": "GET_NUMBER", "id": 7, "number": "380971234567"}
    assert isinstance(number, AutodialerNumber)
    assert number.state_at == datetime(2020, 9, 10, 5, 47, 15)


async def test_get_numbers_sends_limit_offset_and_states() -> None:
    client = FakeClient([number_row("380971234567")])
    numbers = await resource(client).get_numbers(
        7, limit=2000, offset=4000, call_states=["NOANSWER"]
    )
    assert client.sent[0].body == {
        "action": "GET_NUMBERS",
        "id": 7,
        "limit": 2000,
        "offset": 4000,
        "callStates": ["NOANSWER"],
    }
    assert [n.phone for n in numbers] == ["380971234567"]


async def test_get_calls_history_sends_the_wire_date_format() -> None:
    client = FakeClient({"count": 0, "offset": 0, "limit": 50, "items": []})
    page = await resource(client).get_calls_history(
        300,
        date_from=datetime(2023, 10, 24),
        date_to="2023-10-25 00:00:00",
        limit=50,
        max_id=150,
        filter=CallsHistoryFilter(
            states=[CallState.ANSWER],
            phone="38097",
            voice_secretary_ids=[118],  # type: ignore[list-item]
        ),
    )
    assert client.sent[0].body == {
        "action": "GET_CALLS_HISTORY",
        "id": 300,
        "callHistoryRequest": {
            "dateFrom": "2023-10-24 00:00:00",
            "dateTo": "2023-10-25 00:00:00",
            "limit": 50,
            "maxId": 150,
            "filter": {"states": ["ANSWER"], "phone": "38097", "voiceSecretaryIds": ["118"]},
        },
    }
    assert isinstance(page, CallsHistoryPage)


async def test_get_calls_history_without_arguments_sends_an_empty_request_object() -> None:
    # "callHistoryRequest cannot be null, but can be empty"
    client = FakeClient({"items": []})
    await resource(client).get_calls_history(300)
    assert client.sent[0].body == {
        "action": "GET_CALLS_HISTORY",
        "id": 300,
        "callHistoryRequest": {},
    }


async def test_iter_numbers_pages_by_offset_with_the_largest_page() -> None:
    pages = [[number_row(f"38097000{i:04}") for i in range(5000)], [number_row("380971111111")]]
    client = FakeClient(*pages)
    progress: list[tuple[int, int | None]] = []
    got = await resource(client).iter_numbers(7, progress=lambda d, t: progress.append((d, t)))
    assert len(got) == 5001
    assert [(s.body["limit"], s.body["offset"]) for s in client.sent] == [(5000, 0), (5000, 5000)]
    assert progress == [(5000, None), (5001, None)]


async def test_iter_calls_history_pages_by_max_id() -> None:
    def page(ids: range) -> dict[str, Any]:
        return {"count": 5, "items": [{"id": i} for i in ids]}

    client = FakeClient(page(range(5, 3, -1)), page(range(3, 1, -1)), page(range(1, 0, -1)))
    got = [call.id async for call in resource(client).iter_calls_history(300, page_size=2)]
    assert got == [5, 4, 3, 2, 1]
    bodies = [s.body["callHistoryRequest"] for s in client.sent]
    assert bodies == [{"limit": 2}, {"limit": 2, "maxId": 3}, {"limit": 2, "maxId": 1}]


# --- creating and changing -----------------------------------------------------------------------
async def test_add_sends_the_task_tagged_with_its_type_and_wire_formats() -> None:
    client = FakeClient({"status": "Success", "data": 12345})
    created = await resource(client).add(
        autodial_task(
            start_date=datetime(2026, 3, 15, 10, 0),
            time_from=[time(9, 0)] * 7,
            time_to=[*WEEK_END[:5], "18:00", "17:00"],
        )
    )
    assert created.id == 12345
    assert created.rejected == []
    sent = client.sent[0]
    assert sent.op is ops.AUTODIAL_ADD
    task = sent.body["task"]
    assert sent.body["action"] == "ADD"
    assert task["autodialerType"] == "AUTODIAL"
    assert task["startDate"] == "2026-03-15"
    assert task["timeFrom"] == ["09:00"] * 7
    assert task["compositeAudio"] == {
        "multiAudios": [
            {"silenceMillis": 500},
            {"id": 46615},
            {"synthesisFromDynamicValue": {"dynamicValue": "NO", "settingsId": 117}},
        ]
    }
    assert "numbers" not in task


async def test_add_with_numbers_normalises_them_and_returns_the_rejects() -> None:
    client = FakeClient({"status": "Success", "data": 1})
    created = await resource(client).add(
        autodial_task(numbers=["+38(097)11-11 111", "12", "380971111112"])
    )
    assert client.sent[0].body["task"]["numbers"] == ["380971111111", "380971111112"]
    assert [(r.item, r.by_service) for r in created.rejected] == [("12", False)]


async def test_add_resends_without_the_numbers_the_service_calls_wrong() -> None:
    wrong = InvalidItemsError("Wrong numbers", data=["380971111112"])
    client = FakeClient(wrong, {"status": "Success", "data": 1})
    created = await resource(client).add(autodial_task(numbers=["380971111111", "380971111112"]))
    assert client.sent[1].body["task"]["numbers"] == ["380971111111"]
    assert [(r.item, r.reason, r.by_service) for r in created.rejected] == [
        ("380971111112", "Wrong numbers", True)
    ]


async def test_update_refuses_numbers() -> None:
    client = FakeClient(OK)
    await resource(client).update(autodial_task(id=7))
    assert client.sent[0].body["action"] == "UPDATE"
    assert client.sent[0].body["task"]["id"] == 7
    with pytest.raises(ValidationError) as caught:
        await resource(FakeClient()).update(autodial_task(id=7, numbers=["380971111111"]))
    assert caught.value.field == "task.numbers"


@pytest.mark.parametrize(
    ("method", "action"),
    [
        ("remove", "REMOVE"),
        ("cancel", "CANCEL"),
        ("pause", "PAUSE"),
        ("unpause", "UNPAUSE"),
        ("remove_all_numbers", "REMOVE_ALL_NUMBERS"),
    ],
)
async def test_actions_by_id(method: str, action: str) -> None:
    client = FakeClient(OK)
    assert await getattr(resource(client), method)(1307) is None
    assert client.sent[0].body == {"action": action, "id": 1307}


async def test_refresh_sends_the_states() -> None:
    client = FakeClient(OK)
    await resource(client).refresh(1307, ["NOANSWER", CallState.BUSY])
    assert client.sent[0].body == {
        "action": "REFRESH",
        "id": 1307,
        "callStates": ["NOANSWER", "BUSY"],
    }


# --- add_numbers ---------------------------------------------------------------------------------
def _gen(count: int, start: int = 380500000000) -> Any:
    return (str(start + i) for i in range(count))


async def test_add_numbers_chunks_a_generator_by_100000() -> None:
    client = FakeClient(OK, OK, OK)
    result = await resource(client).add_numbers(7, _gen(250_001))
    assert [len(s.body["numbers"]) for s in client.sent] == [100_000, 100_000, 50_001]
    first = client.sent[0]
    assert set(first.body) == {"action", "id", "refreshDuplicates", "numbers"}
    assert first.body["refreshDuplicates"] is False
    assert first.op is ops.AUTODIAL_ADD_NUMBERS
    # "Numbers added" does not say how many: what the autodialer took is known, not how many
    # of those were new.
    assert (result.applied, result.accepted) == (None, 250_001)
    assert len(client.sent) == 3
    assert result.total is None


async def test_add_numbers_uses_the_live_cap_once_get_with_data_told_it() -> None:
    client = FakeClient({"maxAddNumbersCount": 4, "tasks": []}, OK, OK)
    autodial = resource(client)
    await autodial.get_with_data()
    await autodial.add_numbers(7, [str(380500000000 + i) for i in range(6)])
    assert [len(s.body["numbers"]) for s in client.sent[1:]] == [4, 2]


async def test_a_live_cap_above_the_documented_one_is_trusted() -> None:
    client = FakeClient({"maxAddNumbersCount": 150_000, "tasks": []}, OK, OK)
    autodial = resource(client)
    await autodial.get_with_data()
    await autodial.add_numbers(7, _gen(150_001))
    assert [len(s.body["numbers"]) for s in client.sent[1:]] == [150_000, 1]


async def test_add_numbers_with_refresh_duplicates_uses_the_refreshing_row() -> None:
    client = FakeClient(OK)
    await resource(client).add_numbers(
        7, ["380971111111"], refresh_duplicates=True, high_priority=True
    )
    assert client.sent[0].body["refreshDuplicates"] is True
    assert client.sent[0].body["highPriority"] is True
    assert client.sent[0].op is ops.AUTODIAL_ADD_NUMBERS_REFRESHING


async def test_add_numbers_reports_client_and_service_rejects_and_resends_the_chunk() -> None:
    wrong = InvalidItemsError("Wrong numbers", data=["380971111113"])
    client = FakeClient(wrong, OK)
    result = await resource(client).add_numbers(
        7, ["380971111111", "bad", "380971111112", "380971111113"]
    )
    assert client.sent[0].body["numbers"] == ["380971111111", "380971111112", "380971111113"]
    assert client.sent[1].body["numbers"] == ["380971111111", "380971111112"]
    assert [(r.item, r.by_service) for r in result.rejected] == [
        ("bad", False),
        ("380971111113", True),
    ]
    [chunk] = result.chunks
    assert chunk.status is ChunkStatus.DONE_WITHOUT_REJECTED
    assert (chunk.applied, chunk.accepted, len(client.sent)) == (None, 2, 2)
    assert result.accepted == 2


async def test_numbers_not_added_after_a_lost_answer_is_confirmed_not_counted() -> None:
    client = FakeClient(AlreadyDone(status="Success", message="Numbers not added"))
    result = await resource(client).add_numbers(7, ["380971111111", "380971111112"])
    [chunk] = result.chunks
    assert chunk.status is ChunkStatus.CONFIRMED_BY_RESEND
    # The numbers are there; whether the lost attempt added them is unknown.
    assert (result.applied, result.accepted) == (None, 2)


async def test_numbers_not_added_without_ambiguity_means_already_present() -> None:
    client = FakeClient(ConflictError("Numbers not added"))
    result = await resource(client).add_numbers(7, ["380971111111"])
    assert result.chunks[0].status is ChunkStatus.ALREADY_PRESENT
    assert result.applied == 0


async def test_add_numbers_mixes_plain_numbers_and_numbers_with_data() -> None:
    client = FakeClient(OK)
    result = await resource(client).add_numbers(
        7,
        ["380971111111"],
        numbers_with_data=[
            NumberWithData(
                phone="+38 067 000 0002",
                name="sample_name",
                params={1: "v"},
                audios=[NumberAudio.audio(4953), NumberAudio.synthesis(ssml="<speak>x</speak>")],
            ),
            {"phone": "380670000003", "note": "from a dict"},
            {"phone": "380670000004", "params": {"11": "no such key"}},
        ],
    )
    body = client.sent[0].body
    assert body["numbers"] == ["380971111111"]
    assert body["numbersWithData"] == [
        {
            "phone": "380670000002",
            "name": "sample_name",
            "params": {"1": "v"},
            "audios": [{"id": 4953}, {"tts": {"ssml": "<speak>x</speak>"}}],
        },
        {"phone": "380670000003", "note": "from a dict"},
    ]
    assert [r.reason for r in result.rejected] == ["params[11]: keys are 1..10"]
    assert result.accepted == 3


async def test_an_error_mid_stream_carries_the_result_so_far() -> None:
    client = FakeClient(OK, NotFoundError("Task not found"))
    with pytest.raises(NotFoundError) as caught:
        await resource(client).add_numbers(7, _gen(5), chunk_size=3)
    so_far = partial_result(caught.value)
    assert so_far is not None
    assert so_far.accepted == 3


# --- remove_numbers ------------------------------------------------------------------------------
async def test_remove_numbers_chunks_by_10000_and_reads_invalid_numbers() -> None:
    client = FakeClient(OK, {"status": "Success", "data": ["380500000001"]})
    result = await resource(client).remove_numbers(7, _gen(10_001))
    assert [len(s.body["numbers"]) for s in client.sent] == [10_000, 1]
    assert all(s.op is ops.AUTODIAL_REMOVE_NUMBERS for s in client.sent)
    assert (result.applied, result.accepted) == (None, 10_000)
    assert [(r.item, r.by_service) for r in result.rejected] == [("380500000001", True)]


async def test_remove_numbers_none_found_in_a_chunk_is_not_an_error() -> None:
    client = FakeClient(NotFoundError("Numbers not found"))
    result = await resource(client).remove_numbers(7, ["380971111111"])
    assert result.chunks[0].status is ChunkStatus.NOTHING_APPLIED
    assert result.ok


async def test_remove_numbers_by_states_is_one_request() -> None:
    client = FakeClient(OK)
    await resource(client).remove_numbers(7, call_states=["NOANSWER"])
    assert client.sent[0].body == {
        "action": "REMOVE_NUMBERS",
        "id": 7,
        "callStates": ["NOANSWER"],
    }
