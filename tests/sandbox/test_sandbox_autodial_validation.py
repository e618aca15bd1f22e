"""Every documented error of ADD / UPDATE, each from a request with exactly that fault."""

# ruff: noqa: E501  (request tables read best one case a line)

from __future__ import annotations

from typing import Any

import pytest

from unitalk_async._reference import ERROR_MESSAGES, classify_message

from .conftest import Api, phones, task

pytestmark = pytest.mark.anyio

WEEK_NULL: list[Any] = [None] * 7
GUARANTEED = {"autodialerType": "GUARANTEED_DIAL", "scenarioId": ..., "groupId": 300}
FREE = {"autodialerMode": "FREE", "groupId": 300}
COMPOSITE = {"scenarioId": ...}


def composite(*parts: dict[str, Any]) -> dict[str, Any]:
    return {"scenarioId": ..., "compositeAudio": {"multiAudios": list(parts)}}


TASK_ERRORS: list[tuple[str, dict[str, Any], str]] = [
    ("name missing", {"name": ...}, "Wrong name"),
    ("name empty", {"name": ""}, "Wrong name"),
    ("name too long", {"name": "x" * 46}, "Wrong name"),
    ("no dates", {"startDate": ...}, "Wrong dates"),
    ("start after end", {"startDate": "2030-06-01"}, "Wrong dates"),
    ("bad date", {"endDate": "15.05.2030"}, "Wrong dates"),
    ("six days", {"timeFrom": ["09:00"] * 6}, "Wrong time ranges"),
    ("from after to", {"timeFrom": ["20:00", *["11:00"] * 6]}, "Wrong time ranges"),
    ("all null", {"timeFrom": WEEK_NULL, "timeTo": WEEK_NULL}, "Wrong time ranges"),
    ("one side null", {"timeTo": [None, *["19:00"] * 6]}, "Wrong time ranges"),
    ("not HH:mm", {"timeFrom": ["9h", *["11:00"] * 6]}, "Wrong time ranges"),
    ("guaranteed, no group", {**GUARANTEED, "groupId": ...}, "groupId and pseudoGroupOperators is null"),
    ("free, no group", {"autodialerMode": "FREE"}, "groupId and pseudoGroupOperators is null"),
    ("unknown operator", {**FREE, "groupId": ..., "pseudoGroupOperators": ["1000", "7777"]}, "Operator not found: 7777"),
    ("unknown group", {**FREE, "groupId": 12345}, "Group not found"),
    ("group of GSM numbers", {**GUARANTEED, "groupId": 399}, "Wrong group type"),
    ("unknown moh", {**GUARANTEED, "moh": 1}, "Moh not found"),
    ("moh not a melody", {**GUARANTEED, "moh": 46600}, "Wrong audio type: moh"),
    ("unknown scenario", {"scenarioId": 1}, "In scenario not found"),
    ("neither audio nor scenario", {"scenarioId": ...}, "Not found in scenario and audio"),
    ("robot without secretary", {"autodialerType": "VOICE_ROBOT"}, "voiceSecretaryId is null"),
    ("unknown secretary", {"autodialerType": "VOICE_ROBOT", "voiceSecretaryId": 1}, "Voice secretary not found"),
    ("too many parts", composite(*[{"silenceMillis": 5}] * 21), "compositeAudio: too many audio parts"),
    ("part audio missing", composite({"id": 1}), "compositeAudio: audio not found"),
    ("part audio of IVR", composite({"id": 46603}), "compositeAudio: audio type is not AUTODIAL"),
    ("synthesis without value", composite({"synthesisFromDynamicValue": {"settingsId": 18}}), "compositeAudio: synthesis dynamicValue is null"),
    ("synthesis settings missing", composite({"synthesisFromDynamicValue": {"dynamicValue": "NO", "settingsId": 1}}), "compositeAudio: speech synthesis settings not found"),
    ("silence too long", composite({"silenceMillis": 10_001}), "compositeAudio: invalid silenceMillis"),
    ("silence zero", composite({"silenceMillis": 0}), "compositeAudio: invalid silenceMillis"),
    ("unknown out scenario", {"outScenarioId": 1}, "Not found out scenario"),
    ("unknown tts profile", {"ttsSettingsId": 1}, "Not found text to speech settings"),
    ("repeat without states", {"repeatCallAttempts": 3}, "Repeat call states is empty"),
    ("repeat a NEW state", {"repeatCallAttempts": 3, "repeatCallStates": ["NEW"]}, "Repeat call state is not allowed"),
    ("settings on a bad state", {"repeatCallsSettings": {"statesSettings": {"AUDIO_ERR": {"attempts": 1, "intervalMinutes": 5}}}}, "Repeat call state is not allowed"),
    ("too many attempts", {"repeatCallsSettings": {"statesSettings": {"BUSY": {"attempts": 11, "intervalMinutes": 5}}}}, "Wrong repeat call settings"),
    ("interval too short", {"repeatCallsSettings": {"statesSettings": {"BUSY": {"attempts": 2, "intervalMinutes": 4}}}}, "Wrong repeat call settings"),
    ("prefix too long", {"callerIdPrefix": "p" * 21}, "Prefix is too long"),
    ("unknown event", {"triggerActions": {"AUTODIAL_EXPLODED": [2]}}, "Wrong trigger action event"),
    ("null handler list", {"triggerActions": {"AUTODIAL_FINISH": None}}, "triggerActionIds is null"),
    ("six handlers", {"triggerActions": {"AUTODIAL_FINISH": [2, 3, 4, 123, 2, 3]}}, "Too many trigger actions"),
    ("unknown handler", {"triggerActions": {"AUTODIAL_FINISH": [9999]}}, "Trigger action not found"),
    ("two telegrams", {"triggerActions": {"AUTODIAL_FINISH": [2, 4]}}, "Few trigger actions with same type"),
    ("sms on finish", {"triggerActions": {"AUTODIAL_FINISH": [11]}}, "Not compatible trigger action"),
    ("no crm mode", {"crmMode": ...}, "crmMode is null"),
    ("no client-called mode", {"clientCalledMode": ...}, "clientCalledMode is null"),
    ("unknown type", {"autodialerType": "ROBOCOP"}, "Wrong autodialer type"),
    ("unknown mode", {"autodialerMode": "TURBO"}, "Wrong autodialer mode"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("fault", "changes", "message"), TASK_ERRORS, ids=[t[0] for t in TASK_ERRORS]
)
async def test_add_refuses(api: Api, fault: str, changes: dict[str, Any], message: str) -> None:
    answer = await api.fails("ADD", task=task(**changes))
    assert answer["message"] == message
    assert (await api.ok("GET_LIST"))["data"] == []


# UPDATE ignores the type, so only the faults that do not depend on it.
UPDATE_ERRORS = [t for t in TASK_ERRORS if "autodialerType" not in t[1]]


@pytest.mark.parametrize(
    ("fault", "changes", "message"), UPDATE_ERRORS, ids=[t[0] for t in UPDATE_ERRORS]
)
async def test_update_refuses(api: Api, fault: str, changes: dict[str, Any], message: str) -> None:
    autodialer_id = await api.create()
    answer = await api.fails("UPDATE", task=task(id=autodialer_id, **changes))
    assert answer["message"] == message


def test_every_documented_message_we_answer_is_classified() -> None:
    answered = {message for _, _, message in TASK_ERRORS}
    ours = {"Wrong autodialer type", "Wrong autodialer mode", "Wrong repeat call settings"}
    for message in answered - ours:
        assert classify_message(message) is not None, message
    assert ours.isdisjoint(ERROR_MESSAGES)


async def test_valid_variants_are_accepted(api: Api) -> None:
    await api.create(name="Composite", **composite(
        {"silenceMillis": 500},
        {"id": 46609},
        {"synthesisFromDynamicValue": {"dynamicValue": "NO", "settingsId": 117}},
    ))  # fmt: skip
    await api.create(name="Guaranteed", **GUARANTEED, moh=46606)
    await api.create(name="Operators", autodialerMode="FREE", pseudoGroupOperators=["1000"])
    await api.create(name="Smart", autodialerMode="SMART", groupId=301, smartSpeed=2)
    await api.create(name="Robot", autodialerType="VOICE_ROBOT", voiceSecretaryId=97)
    await api.create(
        name="Repeats",
        repeatCallsSettings={
            "earlyStart": True,
            "statesSettings": {
                "ANSWER": {"attempts": 2, "intervalMinutes": 15, "secondsThreshold": 20},
                "NOANSWER": {"attempts": 10, "intervalMinutes": 1500},
            },
        },
        triggerActions={"AUTODIAL_NOANSWER": [2, 3, 11], "AUTODIAL_FINISH": [123, 4]},
    )
    assert len((await api.ok("GET_LIST"))["data"]) == 6


async def test_name_must_be_unique(api: Api) -> None:
    await api.create()
    assert (await api.fails("ADD", task=task()))["message"] == "Name already present"
    other = await api.create(name="Other")
    answer = await api.fails("UPDATE", task=task(id=other))
    assert answer["message"] == "Name already present"


async def test_task_is_null_and_account_switches(api: Api) -> None:
    assert (await api.fails("ADD"))["message"] == "task is null"
    assert (await api.fails("UPDATE", task=None))["message"] == "task is null"
    api.sandbox.project.billing_allowed = False
    assert (await api.fails("ADD", task=task()))["message"] == "Billing not allow"
    api.sandbox.project.phone_confirmed = False
    assert (await api.fails("ADD", task=task()))["message"] == "Please confirm phone number"


async def test_add_with_wrong_numbers_lists_them_and_creates_nothing(api: Api) -> None:
    body = task(numbers=[*phones(2), "12", "not a phone"], highPriority=True)
    answer = await api.fails("ADD", task=body)
    assert answer == {"status": "Error", "message": "Wrong numbers", "data": ["12", "not a phone"]}
    assert (await api.ok("GET_LIST"))["data"] == []


async def test_add_with_numbers_normalises_them(api: Api) -> None:
    autodialer_id = await api.create(
        numbers=["+38(097)11-11 111", "380971111111"], highPriority=True
    )
    (number,) = await api.ok("GET_NUMBERS", id=autodialer_id)
    assert number["phone"] == "380971111111"
    assert number["highPriority"] is True


@pytest.mark.parametrize(
    ("action", "body", "message"),
    [
        ("REMOVE", {}, "Task not found"),
        ("CANCEL", {"id": 5}, "Task not found"),
        ("PAUSE", {"id": "5"}, "Task not found"),
        ("UNPAUSE", {"id": 5}, "Task not found"),
        ("ADD_NUMBERS", {"id": 5, "numbers": ["380971234567"]}, "Task not found"),
        ("GET_NUMBER", {"id": 5, "number": "380971234567"}, "Task not found"),
        ("GET_NUMBERS", {"id": 5}, "Task not found"),
        ("GET_CALLS_HISTORY", {"callHistoryRequest": {}}, "Task not found"),
        ("REMOVE_NUMBERS", {"id": 5, "numbers": ["380971234567"]}, "Task not found"),
        ("REMOVE_ALL_NUMBERS", {"id": 5}, "Task not found"),
    ],
)
async def test_unknown_autodialer(
    api: Api, action: str, body: dict[str, Any], message: str
) -> None:
    assert (await api.fails(action, **body))["message"] == message
