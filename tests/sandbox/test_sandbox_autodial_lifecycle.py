"""The autodialer's life: create, list, describe, update, dial, pause, cancel, refresh, remove."""

from __future__ import annotations

import dataclasses

import pytest

from unitalk_async.sandbox import SandboxConfig

from .conftest import Api, phones, task

pytestmark = pytest.mark.anyio


async def test_add_answers_the_new_id_and_get_list_shows_it(api: Api) -> None:
    first = await api.create()
    second = await api.create(name="Second", autodialerType="VOICE_ROBOT", voiceSecretaryId=25)
    answer = await api.ok("GET_LIST")
    assert answer == {
        "status": "Success",
        "data": [
            {
                "id": first,
                "name": "Windows campaign",
                "autodialerType": "AUTODIAL",
                "autodialerMode": "FIXED",
                "status": "NO_NUMBERS",
            },
            {
                "id": second,
                "name": "Second",
                "autodialerType": "VOICE_ROBOT",
                "autodialerMode": "FIXED",
                "status": "NO_NUMBERS",
            },
        ],
    }


async def test_get_with_data_is_bare_with_dictionaries_and_tasks(api: Api) -> None:
    autodialer_id = await api.create(numbers=phones(3))
    answer = await api.ok("GET_WITH_DATA")
    assert "status" not in answer
    assert answer["maxAddNumbersCount"] == 100_000
    assert answer["maxRemoveNumbersCount"] == 10_000
    assert answer["multiAudiosLimit"] == 20
    assert answer["autodialerTypes"]["GUARANTEED_DIAL"] == "Guaranteed autodialer"
    assert sorted(answer["audios"].values()) == [f"autodial_audio_{n}" for n in (1, 2, 3)]
    assert sorted(answer["moh"].values()) == [f"melody_audio_{n}" for n in (1, 2, 3)]
    assert answer["scenarios"]["70"] == "Main with IVR"
    assert "FAIL" in answer["autodialNumberStatesInfo"]["refreshableStates"]
    assert "NEW" not in answer["autodialNumberStatesInfo"]["refreshableStates"]
    (item,) = answer["tasks"]
    assert item["id"] == autodialer_id
    assert item["scenarioId"] == 70
    assert item["threadCount"] == 1
    assert "groupId" not in item  # FIXED mode, AUTODIAL type
    assert item["statistics"] == {
        "totalCount": 3,
        "doneCount": 0,
        "repeatCount": 0,
        "callsDoneCount": 0,
        "statesCount": {"NEW": 3},
    }
    assert item["taskStatusInfo"]["status"] == "WAITING"


async def test_numbers_start_a_dialer_and_calls_finish_it(api: Api) -> None:
    autodialer_id = await api.create()
    assert await api.status(autodialer_id) == "NO_NUMBERS"
    await api.ok("ADD_NUMBERS", id=autodialer_id, numbers=phones(3))
    assert await api.status(autodialer_id) == "WAITING"
    assert api.sandbox.simulate_calls(autodialer_id, 1) == 1
    assert await api.status(autodialer_id) == "IN_PROGRESS"
    assert api.sandbox.simulate_calls(autodialer_id, 10) == 2
    assert await api.status(autodialer_id) == "FINISHED"
    (item,) = (await api.ok("GET_WITH_DATA"))["tasks"]
    assert item["statistics"]["doneCount"] == 3
    assert item["statistics"]["callsDoneCount"] == 3
    assert "finishedDate" in item
    # Adding numbers to a FINISHED dialer puts it back to work.
    await api.ok("ADD_NUMBERS", id=autodialer_id, numbers=phones(1, start=100))
    assert await api.status(autodialer_id) == "WAITING"


async def test_pause_and_unpause(api: Api) -> None:
    autodialer_id = await api.create(numbers=phones(5))
    api.sandbox.simulate_calls(autodialer_id, 1)
    assert (await api.ok("PAUSE", id=autodialer_id)) == {"status": "Success"}
    assert await api.status(autodialer_id) == "PAUSED"
    assert api.sandbox.simulate_calls(autodialer_id, 5) == 0  # a paused dialer does not dial
    await api.ok("PAUSE", id=autodialer_id)  # PAUSED: no change
    assert await api.status(autodialer_id) == "PAUSED"
    await api.ok("UNPAUSE", id=autodialer_id)
    assert await api.status(autodialer_id) == "IN_PROGRESS"  # back to where it was
    await api.ok("UNPAUSE", id=autodialer_id)  # IN_PROGRESS: no change
    assert await api.status(autodialer_id) == "IN_PROGRESS"


async def test_pause_and_cancel_leave_a_dialer_without_numbers_alone(api: Api) -> None:
    autodialer_id = await api.create()
    await api.ok("PAUSE", id=autodialer_id)
    assert await api.status(autodialer_id) == "NO_NUMBERS"
    assert (await api.ok("CANCEL", id=autodialer_id))["message"] == "Cancelled"
    assert await api.status(autodialer_id) == "NO_NUMBERS"


async def test_cancel_then_finished(api: Api) -> None:
    autodialer_id = await api.create(numbers=phones(5))
    answer = await api.ok("CANCEL", id=autodialer_id)
    assert answer == {"status": "Success", "message": "Cancelled"}
    assert await api.status(autodialer_id) == "CANCELED"
    for action in ("CANCEL", "PAUSE", "UNPAUSE"):
        assert (await api.fails(action, id=autodialer_id))["message"] == "Task is canceled"
    api.sandbox.simulate_calls(autodialer_id, 1)  # the pending calls end
    assert await api.status(autodialer_id) == "FINISHED"
    for action in ("CANCEL", "PAUSE", "UNPAUSE"):
        assert (await api.fails(action, id=autodialer_id))["message"] == "Task is finished"


async def test_cancel_a_paused_dialer(api: Api) -> None:
    autodialer_id = await api.create(numbers=phones(2))
    await api.ok("PAUSE", id=autodialer_id)
    await api.ok("CANCEL", id=autodialer_id)
    assert await api.status(autodialer_id) == "CANCELED"


async def test_update_changes_settings_but_not_type(api: Api) -> None:
    autodialer_id = await api.create()
    changed = task(id=autodialer_id, name="Renamed", autodialerType="VOICE_ROBOT", delay=3)
    assert (await api.ok("UPDATE", task=changed))["status"] == "Success"
    (item,) = (await api.ok("GET_WITH_DATA"))["tasks"]
    assert item["name"] == "Renamed"
    assert item["autodialerType"] == "AUTODIAL"
    assert item["delay"] == 3
    # Keeping its own name is not a clash with itself.
    await api.ok("UPDATE", task=task(id=autodialer_id, name="Renamed"))


async def test_update_unknown_task(api: Api) -> None:
    answer = await api.fails("UPDATE", task=task(id=424242))
    assert answer["message"] == "Task not found"


async def test_remove(api: Api) -> None:
    autodialer_id = await api.create(numbers=phones(2))
    assert (await api.ok("REMOVE", id=autodialer_id)) == {"status": "Success", "message": "Removed"}
    assert (await api.ok("GET_LIST"))["data"] == []
    assert (await api.fails("REMOVE", id=autodialer_id))["message"] == "Task not found"


async def test_refresh_puts_numbers_back_to_new(api: Api) -> None:
    autodialer_id = await api.create(numbers=phones(20))
    api.sandbox.simulate_calls(autodialer_id, 20)
    assert await api.status(autodialer_id) == "FINISHED"
    numbers = await api.ok("GET_NUMBERS", id=autodialer_id)
    states = {n["state"] for n in numbers}
    assert "NEW" not in states
    target = sorted(states)[0]
    count = sum(1 for n in numbers if n["state"] == target)
    assert (await api.ok("REFRESH", id=autodialer_id, callStates=[target])) == {"status": "Success"}
    numbers = await api.ok("GET_NUMBERS", id=autodialer_id, callStates=["NEW"])
    assert len(numbers) == count
    assert await api.status(autodialer_id) == "WAITING"


async def test_refresh_errors_and_the_one_minute_rule(api: Api) -> None:
    autodialer_id = await api.create(numbers=phones(4))
    api.sandbox.simulate_calls(autodialer_id, 4)
    every = ["ANSWER", "ANSW_RJCT", "NOANSWER", "BUSY", "FAIL", "VOICE_MAIL", "UNREACHABLE"]
    every += ["ANSW_NF_OP", "NOT_EXIST"]

    async def refresh_message(**body: object) -> str:
        message: str = (await api.fails("REFRESH", **body))["message"]
        return message

    assert await refresh_message(id=999) == "Task not found"
    assert await refresh_message(id=autodialer_id) == "states is null or empty"
    assert await refresh_message(id=autodialer_id, callStates=[]) == "states is null or empty"
    assert await refresh_message(id=autodialer_id, callStates=["NEW"]) == "state is not allowed"
    assert await refresh_message(id=autodialer_id, callStates=["DIALING"]) == "state is not allowed"
    assert (
        await refresh_message(id=autodialer_id, callStates=["WRONG_DIR"])
        == "Numbers not found by states"
    )
    await api.ok("REFRESH", id=autodialer_id, callStates=every)
    assert await refresh_message(id=autodialer_id, callStates=every) == "Try again later"


async def test_refresh_is_allowed_again_after_the_interval() -> None:
    from unitalk_async.sandbox import create_app

    fast = Api(create_app(SandboxConfig(enforce_limits=False, refresh_interval=0.0)))
    autodialer_id = await fast.create(numbers=phones(2))
    fast.sandbox.simulate_calls(autodialer_id, 2)
    states = ["ANSWER", "ANSW_RJCT", "NOANSWER", "BUSY", "FAIL", "VOICE_MAIL", "UNREACHABLE"]
    states += ["ANSW_NF_OP", "NOT_EXIST"]
    await fast.ok("REFRESH", id=autodialer_id, callStates=states)
    fast.sandbox.simulate_calls(autodialer_id, 2)
    await fast.ok("REFRESH", id=autodialer_id, callStates=states)


async def test_blocked_numbers_end_blocked(api: Api) -> None:
    autodialer_id = await api.create(numbers=phones(2))
    blocked = phones(1)[0]
    api.sandbox.endpoints.lists.blocked_for_autodial[blocked] = None
    api.sandbox.simulate_calls(autodialer_id, 2)
    answer = await api.ok("GET_NUMBER", id=autodialer_id, number=blocked)
    assert answer["state"] == "BLOCKED"


async def test_tasks_limit(sandbox_config: SandboxConfig) -> None:
    from unitalk_async.sandbox import create_app

    small = Api(create_app(dataclasses.replace(sandbox_config, max_autodialers=1)))
    await small.create()
    answer = await small.fails("ADD", task=task(name="Another"))
    assert answer["message"] == "Tasks limit exceeded"


async def test_unknown_action(api: Api) -> None:
    assert (await api.fails("EXPLODE"))["message"] == "Wrong action"


@pytest.mark.parametrize("anyio_backend", ["trio"])
async def test_the_app_serves_under_trio_too(api: Api) -> None:
    autodialer_id = await api.create(numbers=phones(2))
    assert await api.status(autodialer_id) == "WAITING"
