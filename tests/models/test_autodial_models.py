"""The autodialer models and dictionaries beyond the examples: open enums, the callState
table as data, the helpers that build parts, and a configuration turned back into a task."""

from __future__ import annotations

from datetime import date, datetime, time

import msgspec
import pytest
from reference.examples import reference_lines

from unitalk_async import _codec
from unitalk_async.models.autodial import (
    AudioPart,
    Autodialer,
    AutodialerNumber,
    AutodialTask,
    GuaranteedDialTask,
    NumberAudio,
)
from unitalk_async.models.enums import (
    AutodialerMode,
    CallState,
    DynamicValue,
    OpenStrEnum,
    TaskStatus,
    TriggerActionEvent,
    VoiceSecretaryEndNodeType,
    VoiceSecretaryEndReason,
)


def _dictionary(title: str, columns: int) -> list[list[str]]:
    """Rows of one of the reference's "Dictionaries": `title`, "Сopied", a caption, rows."""
    lines = reference_lines()
    start = next(i for i, line in enumerate(lines) if line == title and lines[i + 1] == "Сopied")
    rows: list[list[str]] = []
    i = start + 3
    while i + columns <= len(lines) and lines[i + 1] != "Сopied":
        rows.append(list(lines[i : i + columns]))
        i += columns
    return rows


def test_call_state_flags_are_the_reference_table() -> None:
    # header: State, State name, 4 flag columns; then 6 lines per state
    rows = _dictionary("callState", 6)[1:]
    assert [row[0] for row in rows] == [state.value for state in CallState]
    for state, title, repeatable, refreshable, warning, is_call in rows:
        member = CallState(state)
        assert member.description == title
        assert (member.repeatable, member.refreshable, member.warning, member.is_call_state) == (
            repeatable == "+",
            refreshable == "+",
            warning == "+",
            is_call == "+",
        ), state


@pytest.mark.parametrize(
    ("title", "enum"),
    [
        ("triggerActionEvent", TriggerActionEvent),
        ("voiceSecretaryEndNodeTypes", VoiceSecretaryEndNodeType),
        ("voiceSecretaryEndReasons", VoiceSecretaryEndReason),
        ("audioSynthesisDynamicValues", DynamicValue),
        ("autodialerMode", AutodialerMode),
    ],
)
def test_dictionaries_list_every_value_of_the_reference(
    title: str, enum: type[OpenStrEnum]
) -> None:
    assert [row[0] for row in _dictionary(title, 2)] == [member.value for member in enum]


def test_task_status_dictionary_and_new_as_no_numbers() -> None:
    assert [row[0] for row in _dictionary("taskStatus", 2)] == [s.value for s in TaskStatus]
    assert TaskStatus("NEW") is TaskStatus.NO_NUMBERS
    assert TaskStatus.NEW.value == "NO_NUMBERS"  # an alias of NO_NUMBERS


def test_an_unknown_value_decodes_encodes_back_and_is_marked_unknown() -> None:
    number: AutodialerNumber = _codec.decode(
        b'{"phone": "1", "state": "RINGING_ON_MARS"}', AutodialerNumber
    )
    assert number.state == "RINGING_ON_MARS"
    assert isinstance(number.state, CallState)
    assert not number.state.is_known
    assert not number.state.refreshable
    assert CallState("RINGING_ON_MARS") is number.state  # cached pseudo-member
    assert CallState.ANSWER.is_known
    assert _codec.encode(number) == b'{"phone":"1","state":"RINGING_ON_MARS"}'


def test_null_and_absent_stay_apart_on_the_way_back() -> None:
    document = b'{"phone":"1","name":null}'
    assert _codec.encode(_codec.decode(document, AutodialerNumber)) == document


def test_part_builders() -> None:
    parts = [AudioPart.silence(500), AudioPart.audio(1), AudioPart.synthesis("P1")]
    assert _codec.to_builtins(parts) == [
        {"silenceMillis": 500},
        {"id": 1},
        {"synthesisFromDynamicValue": {"dynamicValue": "P1"}},
    ]
    assert _codec.to_builtins([NumberAudio.audio(4), NumberAudio.synthesis(text="hi")]) == [
        {"id": 4},
        {"tts": {"text": "hi"}},
    ]


def test_a_task_accepts_dates_times_and_their_wire_strings() -> None:
    task = AutodialTask(
        name="x",
        autodialer_mode="FIXED",  # type: ignore[arg-type]
        start_date="2026-03-15",
        end_date=datetime(2026, 5, 15, 23, 59),
        time_from=[time(9, 30), "10:00", datetime(2026, 1, 1, 11, 0), None, None, None, None],
        time_to=["19:00", "19:00", "19:00", None, None, None, None],
        crm_mode="DONT_SEND",  # type: ignore[arg-type]
        client_called_mode="NEVER",  # type: ignore[arg-type]
    )
    wire = _codec.to_builtins(task)
    assert wire["startDate"] == "2026-03-15"
    assert wire["endDate"] == "2026-05-15"
    assert wire["timeFrom"][:4] == ["09:30", "10:00", "11:00", None]
    assert task.start_date == date(2026, 3, 15)


def test_a_configuration_becomes_a_task_to_update() -> None:
    autodialer: Autodialer = _codec.decode(
        msgspec.json.encode(
            {
                "id": 7,
                "name": "Sales",
                "autodialerType": "GUARANTEED_DIAL",
                "autodialerMode": "FREE",
                "statistics": {"totalCount": 10},
                "startDate": "2026-03-15",
                "endDate": "2026-05-15",
                "timeFrom": ["09:00"] * 7,
                "timeTo": ["19:00"] * 7,
                "groupId": 300,
                "moh": 53,
                "crmMode": "DONT_SEND",
                "clientCalledMode": "NEVER",
                "markAsBusySeconds": 60,
                "taskStatusInfo": {"status": "PAUSED"},
            }
        ),
        Autodialer,
    )
    assert autodialer.status is TaskStatus.PAUSED
    task = autodialer.to_task()
    assert isinstance(task, GuaranteedDialTask)
    assert (task.id, task.group_id, task.moh, task.mark_as_busy_seconds) == (7, 300, 53, 60)
    assert task.time_from == [time(9, 0)] * 7
