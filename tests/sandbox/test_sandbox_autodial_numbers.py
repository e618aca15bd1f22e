"""Autodialer numbers: ADD_NUMBERS, GET_NUMBER(S), REMOVE_NUMBERS, REMOVE_ALL_NUMBERS, the caps
(100,000 per request, 1,000,000 per autodialer) and the project's single number handler."""

# ruff: noqa: E501  (request tables read best one case a line)

from __future__ import annotations

from typing import Any

import anyio
import httpx
import msgspec
import pytest

from unitalk_async.sandbox import SandboxConfig, create_app

from .conftest import Api, phones

pytestmark = pytest.mark.anyio


async def test_add_numbers_with_data_and_get_number(api: Api) -> None:
    autodialer_id = await api.create()
    answer = await api.ok(
        "ADD_NUMBERS",
        id=autodialer_id,
        numbers=["380970000001"],
        numbersWithData=[
            {
                "phone": "+380 67 000 0002",
                "name": "n" * 150,
                "note": "sample_note",
                "link": "https://crm.example/1",
                "params": {"1": "first", "10": "v" * 600},
                "audios": [{"id": 46609}, {"tts": {"text": "hello", "settingsId": 18}}],
            }
        ],
    )
    assert answer == {"status": "Success", "message": "Numbers added"}
    number = await api.ok("GET_NUMBER", id=autodialer_id, number="+38 (067) 000-00-02")
    assert number == {
        "taskId": autodialer_id,
        "phone": "380670000002",
        "state": "NEW",
        "stateDateTime": None,
        "calledCount": 0,
        "realCalledCount": 0,
        "highPriority": False,
        "name": "n" * 100,  # "the first 100 characters are taken into account"
        "note": "sample_note",
        "link": "https://crm.example/1",
        "params": {"1": "first", "10": "v" * 500},
        "audios": [{"id": 46609}, {"tts": {"text": "hello", "settingsId": 18}}],
    }
    plain = await api.ok("GET_NUMBER", id=autodialer_id, number="380970000001")
    assert plain["name"] is None and plain["params"] is None


async def test_get_number_errors(api: Api) -> None:
    autodialer_id = await api.create(numbers=phones(1))
    answer = await api.fails("GET_NUMBER", id=autodialer_id, number="12")
    assert answer["message"] == "Wrong phone number"
    answer = await api.fails("GET_NUMBER", id=autodialer_id, number="380000000000")
    assert answer["message"] == "Call not found"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "Numbers is null or empty"),
        ({"numbers": [], "numbersWithData": None}, "Numbers is null or empty"),
        ({"numbers": phones(100_001)}, "Too many numbers"),
        ({"numbers": phones(60_000), "numbersWithData": [{"phone": p} for p in phones(40_001)]}, "Too many numbers"),
        ({"numbersWithData": [{"phone": "380970000001", "params": {str(n): "x" for n in range(11)}}]}, "Too many params"),
        ({"numbersWithData": [{"phone": "380970000001", "params": {"11": "x"}}]}, "Wrong parameter key"),
        ({"numbersWithData": [{"phone": "380970000001", "params": {"P1": "x"}}]}, "Wrong parameter key"),
    ],
)  # fmt: skip
async def test_add_numbers_refuses(api: Api, body: dict[str, Any], message: str) -> None:
    autodialer_id = await api.create()
    assert (await api.fails("ADD_NUMBERS", id=autodialer_id, **body))["message"] == message
    assert api.sandbox.autodial.get(autodialer_id).numbers.count == 0


async def test_wrong_numbers_reject_the_whole_request(api: Api) -> None:
    autodialer_id = await api.create()
    answer = await api.fails(
        "ADD_NUMBERS",
        id=autodialer_id,
        numbers=["380970000001", "123", "+1 (234) 567-89-01-23-45-67"],
        numbersWithData=[{"phone": "abc"}, {"phone": "380970000002"}],
    )
    assert answer == {
        "status": "Error",
        "message": "Wrong numbers",
        "data": ["123", "+1 (234) 567-89-01-23-45-67", "abc"],
    }
    assert api.sandbox.autodial.get(autodialer_id).numbers.count == 0


async def test_duplicates_and_refresh_duplicates(api: Api) -> None:
    autodialer_id = await api.create(numbers=phones(3))
    answer = await api.fails("ADD_NUMBERS", id=autodialer_id, numbers=phones(3))
    assert answer["message"] == "Numbers not added"
    # Only the new one counts; the others are left as they are.
    await api.ok("ADD_NUMBERS", id=autodialer_id, numbers=phones(4))
    api.sandbox.simulate_calls(autodialer_id, 4)
    assert not await api.ok("GET_NUMBERS", id=autodialer_id, callStates=["NEW"])
    await api.ok("ADD_NUMBERS", id=autodialer_id, numbers=phones(2), refreshDuplicates=True)
    fresh = await api.ok("GET_NUMBERS", id=autodialer_id, callStates=["NEW"])
    assert [n["phone"] for n in fresh] == phones(2)
    assert all(n["calledCount"] == 0 and n["realCalledCount"] == 1 for n in fresh)


AUDIO_ERRORS = [
    ([{"id": 46609}] * 6, "Too many audios"),
    ([{"tts": {"text": "a"}}] * 3, "Too many text to speech"),
    ([None], "Audio is null"),
    ([{"id": 1}], "Audio not found by id"),
    ([{"id": 46600}], "Wrong type of audio"),
    ([{"tts": {"text": None, "ssml": None}}], "Text to speech ‘text’ and ‘ssml’ is null"),
    ([{"tts": {"text": "t" * 2501}}], "Text to speech ‘text’ not valid"),
    ([{"tts": {"ssml": "no speak tag"}}], "Text to speech ‘ssml’ not valid"),
    ([{"tts": {"text": "a", "settingsId": 1}}], "Text to speech settings not found by id"),
    ([{"id": None, "tts": None}], "Audio is empty"),
]


@pytest.mark.parametrize(("audios", "reason"), AUDIO_ERRORS, ids=[r for _, r in AUDIO_ERRORS])
async def test_wrong_audios_list_each_number_with_its_reason(
    api: Api, audios: list[Any], reason: str
) -> None:
    autodialer_id = await api.create()
    answer = await api.fails(
        "ADD_NUMBERS",
        id=autodialer_id,
        numbersWithData=[
            {"phone": "+380 97 000 0001", "audios": audios},
            {"phone": "380970000002", "audios": [{"id": 46609}]},
        ],
    )
    assert answer["message"] == "Wrong audios"
    assert answer["data"] == [{"phone": "+380 97 000 0001", "error": reason}]


async def test_audio_rules_follow_the_autodialer_type(api: Api) -> None:
    guaranteed = await api.create(autodialerType="GUARANTEED_DIAL", scenarioId=None, groupId=300)
    answer = await api.fails(
        "ADD_NUMBERS", id=guaranteed, numbersWithData=[{"phone": "380970000001", "audios": [{"id": 46606}] * 2}]
    )  # fmt: skip
    assert answer["data"] == [{"phone": "380970000001", "error": "Too many audios"}]
    await api.ok("ADD_NUMBERS", id=guaranteed, numbersWithData=[{"phone": "380970000001", "audios": [{"id": 46606}]}])  # fmt: skip
    robot = await api.create(name="Robot", autodialerType="VOICE_ROBOT", voiceSecretaryId=25)
    # VOICE_ROBOT ignores audios altogether.
    await api.ok("ADD_NUMBERS", id=robot, numbersWithData=[{"phone": "380970000001", "audios": [None] * 9}])  # fmt: skip


async def test_get_numbers_paging_and_errors(api: Api) -> None:
    autodialer_id = await api.create(numbers=phones(30))
    page = await api.ok("GET_NUMBERS", id=autodialer_id, offset=10, limit=5)
    assert [n["phone"] for n in page] == phones(5, start=10)
    assert len(await api.ok("GET_NUMBERS", id=autodialer_id)) == 30
    assert await api.ok("GET_NUMBERS", id=autodialer_id, offset=30) == []
    for limit in (0, 5001, "10"):
        answer = await api.fails("GET_NUMBERS", id=autodialer_id, limit=limit)
        assert answer["message"] == "Limit range is 1-5000"
    answer = await api.fails("GET_NUMBERS", id=autodialer_id, offset=-1)
    assert answer["message"] == "Offset cannot be negative"
    api.sandbox.simulate_calls(autodialer_id, 10)
    new = await api.ok("GET_NUMBERS", id=autodialer_id, callStates=["NEW"], offset=5, limit=100)
    assert [n["phone"] for n in new] == phones(15, start=15)


async def test_high_priority_numbers_are_dialed_first(api: Api) -> None:
    autodialer_id = await api.create(numbers=phones(3))
    await api.ok("ADD_NUMBERS", id=autodialer_id, numbers=phones(2, start=50), highPriority=True)
    api.sandbox.simulate_calls(autodialer_id, 2)
    dialed = await api.ok("GET_NUMBERS", id=autodialer_id, callStates=["NEW"])
    assert [n["phone"] for n in dialed] == phones(3)


async def test_remove_numbers(api: Api) -> None:
    autodialer_id = await api.create(numbers=phones(10))
    answer = await api.ok(
        "REMOVE_NUMBERS", id=autodialer_id, numbers=[*phones(3), "389833883838383838383838", "x"]
    )
    assert answer == {"status": "Success", "data": ["389833883838383838383838", "x"]}
    remaining = await api.ok("GET_NUMBERS", id=autodialer_id)
    assert [n["phone"] for n in remaining] == phones(7, start=3)
    # Gone numbers can come back, at the end of the list.
    await api.ok("ADD_NUMBERS", id=autodialer_id, numbers=phones(1))
    remaining = await api.ok("GET_NUMBERS", id=autodialer_id, offset=6, limit=5)
    assert [n["phone"] for n in remaining] == [*phones(1, start=9), *phones(1)]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "numbers and states is null"),
        ({"numbers": [], "callStates": []}, "numbers and states is null"),
        ({"numbers": phones(10_001)}, "Too many numbers"),
        ({"numbers": ["1", "two"]}, "Phones not found"),
        ({"numbers": ["380000000000"]}, "Numbers not found"),
        ({"callStates": ["ANSWER"]}, "Numbers not found by states"),
    ],
)
async def test_remove_numbers_refuses(api: Api, body: dict[str, Any], message: str) -> None:
    autodialer_id = await api.create(numbers=phones(2))
    assert (await api.fails("REMOVE_NUMBERS", id=autodialer_id, **body))["message"] == message
    assert api.sandbox.autodial.get(autodialer_id).numbers.count == 2


async def test_remove_numbers_by_states_and_all(api: Api) -> None:
    autodialer_id = await api.create(numbers=phones(10))
    api.sandbox.simulate_calls(autodialer_id, 4)
    # "if both are specified, numbers is used"
    await api.ok("REMOVE_NUMBERS", id=autodialer_id, numbers=phones(1, start=9), callStates=["NEW"])
    assert len(await api.ok("GET_NUMBERS", id=autodialer_id, callStates=["NEW"])) == 5
    await api.ok("REMOVE_NUMBERS", id=autodialer_id, callStates=["NEW"])
    assert len(await api.ok("GET_NUMBERS", id=autodialer_id)) == 4
    assert await api.status(autodialer_id) == "FINISHED"
    answer = await api.ok("REMOVE_ALL_NUMBERS", id=autodialer_id)
    assert answer == {"status": "Success", "message": "Removed"}
    assert await api.status(autodialer_id) == "NO_NUMBERS"
    answer = await api.fails("REMOVE_ALL_NUMBERS", id=autodialer_id)
    assert answer["message"] == "Numbers not found"


async def test_by_default_number_operations_sent_together_collide() -> None:
    api = Api(create_app(SandboxConfig(enforce_limits=False)))  # the default hold times
    first, second = await api.create(), await api.create(name="Other")
    answers: list[httpx.Response] = []

    async def add(autodialer_id: int) -> None:
        answers.append(await api.action("ADD_NUMBERS", id=autodialer_id, numbers=phones(1000)))

    async with anyio.create_task_group() as tg:
        tg.start_soon(add, first)
        tg.start_soon(add, second)
    messages = sorted(answer.json()["message"] for answer in answers)
    assert messages == ["Handler is busy, try again later", "Numbers added"]
    handler = api.sandbox.number_handler
    assert handler.hold_seconds(100_000) > handler.hold_seconds(1) > 0  # per number, too


async def test_overlapping_number_operations_get_busy() -> None:
    api = Api(create_app(SandboxConfig(enforce_limits=False, number_op_seconds=0.3)))
    first = await api.create(numbers=phones(2))
    second = await api.create(name="Other")
    answers: dict[str, httpx.Response] = {}

    async def run(name: str, action: str, body: dict[str, Any]) -> None:
        answers[name] = await api.action(action, **body)

    async with anyio.create_task_group() as tg:
        tg.start_soon(run, "add", "ADD_NUMBERS", {"id": second, "numbers": phones(5)})
        await anyio.sleep(0.05)
        tg.start_soon(run, "remove", "REMOVE_NUMBERS", {"id": first, "numbers": phones(1)})
        tg.start_soon(run, "remove all", "REMOVE_ALL_NUMBERS", {"id": first})
        tg.start_soon(run, "remove task", "REMOVE", {"id": first})
        tg.start_soon(run, "create", "ADD", {"task": {**api_task("Third"), "numbers": phones(1)}})
        tg.start_soon(run, "add more", "ADD_NUMBERS", {"id": first, "numbers": phones(1, 9)})
    assert answers["add"].json() == {"status": "Success", "message": "Numbers added"}
    for name in ("remove", "remove all", "remove task", "create", "add more"):
        assert answers[name].status_code == 400
        assert answers[name].json()["message"] == "Handler is busy, try again later", name
    assert api.sandbox.autodial.get(first).numbers.count == 2  # nothing happened
    assert len(api.sandbox.autodial.autodialers) == 2
    assert api.sandbox.number_handler.refusals == 5
    # Once the handler is free, the same operation goes through; ADD without numbers
    # never needs the handler.
    await api.ok("REMOVE_NUMBERS", id=first, numbers=phones(1))


def api_task(name: str) -> dict[str, Any]:
    from .conftest import task

    return task(name=name)


async def test_a_million_numbers_stored_and_paged(api: Api) -> None:
    autodialer_id = await api.create()
    async with api.http() as http:
        for chunk in range(10):
            body = {
                "action": "ADD_NUMBERS",
                "id": autodialer_id,
                "numbers": phones(100_000, chunk * 100_000),
            }
            # msgspec on our side too: the test is about the server, not about json.dumps.
            response = await http.post("/api/autodial/action", content=msgspec.json.encode(body))
            assert response.json() == {"status": "Success", "message": "Numbers added"}
        last = await http.post("/api/autodial/action", json={"action": "GET_NUMBERS", "id": autodialer_id, "offset": 999_000, "limit": 5000})  # fmt: skip
        assert [n["phone"] for n in last.json()] == phones(1000, 999_000)
        full = await http.post("/api/autodial/action", json={"action": "ADD_NUMBERS", "id": autodialer_id, "numbers": ["380681234567"]})  # fmt: skip
        assert full.json()["message"] == "Numbers limit exceeded"
        # Duplicates alone do not exceed the cap: they are not new.
        again = await http.post("/api/autodial/action", json={"action": "ADD_NUMBERS", "id": autodialer_id, "numbers": phones(5)})  # fmt: skip
        assert again.json()["message"] == "Numbers not added"
        removed = await http.post("/api/autodial/action", json={"action": "REMOVE_NUMBERS", "id": autodialer_id, "numbers": phones(10_000, 500_000)})  # fmt: skip
        assert removed.json() == {"status": "Success", "data": []}
        page = await http.post("/api/autodial/action", json={"action": "GET_NUMBERS", "id": autodialer_id, "offset": 499_999, "limit": 2})  # fmt: skip
        assert [n["phone"] for n in page.json()] == [*phones(1, 499_999), *phones(1, 510_000)]
    (item,) = (await api.ok("GET_WITH_DATA"))["tasks"]
    assert item["statistics"]["totalCount"] == 990_000
