"""Every rule the reference states for /autodial/action is checked before anything is sent.

Each case calls the resource with a client that fails the test if a request is made, and
expects `ValidationError` naming the field by its Python path.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from resources._fake_autodial import FakeClient, NoRequests

from unitalk_async._exceptions import ValidationError
from unitalk_async.models.autodial import (
    AudioPart,
    AutodialTask,
    CompositeAudio,
    DynamicValueSynthesis,
    GuaranteedDialTask,
    NumberAudio,
    NumberTts,
    NumberWithData,
    RepeatCallsSettings,
    RepeatStateSettings,
    VoiceRobotTask,
)
from unitalk_async.models.enums import AutodialerType
from unitalk_async.resources.autodial import AutodialResource

pytestmark = pytest.mark.anyio

COMMON: dict[str, Any] = {
    "name": "Windows",
    "autodialer_mode": "FIXED",
    "start_date": date(2026, 3, 15),
    "end_date": date(2026, 5, 15),
    "time_from": ["09:00"] * 7,
    "time_to": ["19:00"] * 7,
    "crm_mode": "DONT_SEND",
    "client_called_mode": "NEVER",
    "thread_count": 1,
}
AUDIO = CompositeAudio(multi_audios=[AudioPart.audio(1)])


def autodial(**overrides: Any) -> AutodialTask:
    return AutodialTask(**({"composite_audio": AUDIO} | COMMON | overrides))


def days(*values: str | None) -> list[str | None]:
    return list(values)


def repeat(state: str, **rule: Any) -> RepeatCallsSettings:
    return RepeatCallsSettings(states_settings={state: RepeatStateSettings(**rule)})  # type: ignore[dict-item]


def autodialer() -> AutodialResource:
    return AutodialResource(NoRequests())


async def _refused(call: Any) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        await call
    return caught.value


TASK_CASES: list[tuple[str, Any, str]] = [
    ("empty name", lambda: autodial(name=""), "task.name"),
    ("name over 45", lambda: autodial(name="x" * 46), "task.name"),
    ("6 days", lambda: autodial(time_from=["09:00"] * 6), "task.time_from"),
    ("8 days", lambda: autodial(time_to=["19:00"] * 8), "task.time_to"),
    (
        "from not before to",
        lambda: autodial(
            time_from=days("09:00", "09:00", "09:00", "20:00", "09:00", None, None),
            time_to=days("19:00", "19:00", "19:00", "19:00", "19:00", None, None),
        ),
        "task.time_from[3]",
    ),
    (
        "every day null",
        lambda: autodial(time_from=[None] * 7, time_to=[None] * 7),
        "task.time_from",
    ),
    (
        "one end of a day null",
        lambda: autodial(time_from=[*["09:00"] * 6, None]),
        "task.time_from[6]",
    ),
    ("not a time", lambda: autodial(time_from=["25:00", *["09:00"] * 6]), "task.time_from[0]"),
    ("start after end", lambda: autodial(start_date="2026-06-01"), "task.start_date"),
    (
        "aware datetime",
        lambda: autodial(start_date=datetime(2026, 1, 1, tzinfo=UTC)),
        "task.start_date",
    ),
    ("prefix over 20", lambda: autodial(caller_id_prefix="x" * 21), "task.caller_id_prefix"),
    (
        "6 trigger actions for one event",
        lambda: autodial(trigger_actions={"AUTODIAL_NOANSWER": [1, 2, 3, 4, 5, 6]}),
        "task.trigger_actions[AUTODIAL_NOANSWER]",
    ),
    (
        "21 audio parts",
        lambda: autodial(composite_audio=CompositeAudio([AudioPart.silence(1)] * 21)),
        "task.composite_audio.multi_audios",
    ),
    (
        "silence 0",
        lambda: autodial(composite_audio=CompositeAudio([AudioPart.silence(0)])),
        "task.composite_audio.multi_audios[0].silence_millis",
    ),
    (
        "silence 10001",
        lambda: autodial(
            composite_audio=CompositeAudio([AudioPart.audio(1), AudioPart.silence(10_001)])
        ),
        "task.composite_audio.multi_audios[1].silence_millis",
    ),
    (
        "synthesis without dynamic value",
        lambda: autodial(
            composite_audio=CompositeAudio(
                [AudioPart(synthesis_from_dynamic_value=DynamicValueSynthesis(settings_id=1))]
            )
        ),
        "task.composite_audio.multi_audios[0].synthesis_from_dynamic_value.dynamic_value",
    ),
    (
        "a part that is two things",
        lambda: autodial(composite_audio=CompositeAudio([AudioPart(id=1, silence_millis=5)])),
        "task.composite_audio.multi_audios[0]",
    ),
    (
        "11 repeat attempts",
        lambda: autodial(repeat_calls_settings=repeat("NOANSWER", attempts=11)),
        "task.repeat_calls_settings.states_settings[NOANSWER].attempts",
    ),
    (
        "repeat interval 4",
        lambda: autodial(repeat_calls_settings=repeat("BUSY", attempts=1, interval_minutes=4)),
        "task.repeat_calls_settings.states_settings[BUSY].interval_minutes",
    ),
    (
        "repeat interval 1501",
        lambda: autodial(repeat_calls_settings=repeat("BUSY", interval_minutes=1501)),
        "task.repeat_calls_settings.states_settings[BUSY].interval_minutes",
    ),
    (
        "a state that cannot be repeated",
        lambda: autodial(repeat_calls_settings=repeat("CANCEL", attempts=1)),
        "task.repeat_calls_settings.states_settings[CANCEL]",
    ),
    ("smart speed 11", lambda: autodial(smart_speed=11), "task.smart_speed"),
    ("smart speed -11", lambda: autodial(smart_speed=-11), "task.smart_speed"),
    (
        "multiplier 0.05",
        lambda: autodial(cold_base_start_calls_multiplier=0.05),
        "task.cold_base_start_calls_multiplier",
    ),
    (
        "multiplier 1.6",
        lambda: autodial(cold_base_start_calls_multiplier=1.6),
        "task.cold_base_start_calls_multiplier",
    ),
    ("busy 3601 s", lambda: autodial(mark_as_busy_seconds=3601), "task.mark_as_busy_seconds"),
    (
        "busy talk -1 s",
        lambda: autodial(mark_as_busy_min_seconds_talk=-1),
        "task.mark_as_busy_min_seconds_talk",
    ),
    ("FIXED without threads", lambda: autodial(thread_count=None), "task.thread_count"),
    (
        "AUTODIAL without audio or scenario",
        lambda: autodial(composite_audio=None),
        "task.composite_audio",
    ),
    ("FREE without a group", lambda: autodial(autodialer_mode="FREE"), "task.group_id"),
    ("SMART without a group", lambda: autodial(autodialer_mode="SMART"), "task.group_id"),
    (
        "GUARANTEED_DIAL without a group",
        lambda: GuaranteedDialTask(**COMMON),
        "task.group_id",
    ),
    (
        "VOICE_ROBOT without a secretary",
        lambda: VoiceRobotTask(**COMMON),
        "task.voice_secretary_id",
    ),
    (
        "over 100,000 numbers on ADD",
        lambda: autodial(numbers=["380971111111"] * 100_001),
        "task.numbers",
    ),
]


@pytest.mark.parametrize(("case", "make", "field"), TASK_CASES, ids=[c[0] for c in TASK_CASES])
async def test_add_refuses_a_task_that_breaks_a_rule(case: str, make: Any, field: str) -> None:
    async def build_and_add() -> None:
        # dates and times are refused while the task is built, the rest by `add`
        await autodialer().add(make())

    error = await _refused(build_and_add())
    assert error.field == field, error
    assert error.rule


async def test_a_valid_task_of_each_type_passes() -> None:
    tasks = [
        autodial(),
        autodial(composite_audio=None, scenario_id=70),
        GuaranteedDialTask(**COMMON, pseudo_group_operators=["1000"]),
        VoiceRobotTask(
            **(COMMON | {"autodialer_mode": "SMART"}), voice_secretary_id=25, group_id=300
        ),
        autodial(
            repeat_calls_settings=repeat(
                "ANSWER", attempts=2, interval_minutes=15, seconds_threshold=20
            )
        ),
    ]
    for i, task in enumerate(tasks):
        client = FakeClient({"status": "Success", "data": i})
        assert (await AutodialResource(client).add(task)).id == i  # type: ignore[arg-type]


def test_crm_mode_and_client_called_mode_are_required_arguments() -> None:
    for missing in ("crm_mode", "client_called_mode"):
        fields = {k: v for k, v in COMMON.items() if k != missing}
        with pytest.raises(TypeError, match=missing):
            AutodialTask(**fields, composite_audio=AUDIO)


async def test_update_needs_the_autodialer_id() -> None:
    assert (await _refused(autodialer().update(autodial()))).field == "task.id"


# --- the other actions ---------------------------------------------------------------------------
async def test_refresh_states_must_be_refreshable_and_present() -> None:
    assert (await _refused(autodialer().refresh(1, ["ANSWER", "NEW"]))).field == "call_states[1]"
    assert (await _refused(autodialer().refresh(1, []))).field == "call_states"


async def test_get_number_refuses_what_is_not_a_number() -> None:
    error = await _refused(autodialer().get_number(1, "12-34"))
    assert (error.field, error.rule) == ("number", "too short: 4 digits, at least 7")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"limit": 0}, "limit"), ({"limit": 5001}, "limit"), ({"offset": -1}, "offset")],
)
async def test_get_numbers_limit_and_offset(kwargs: dict[str, Any], field: str) -> None:
    assert (await _refused(autodialer().get_numbers(1, **kwargs))).field == field


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"limit": 0}, "call_history_request.limit"),
        ({"limit": 1001}, "call_history_request.limit"),
        ({"offset": -1}, "call_history_request.offset"),
        # Refused at the call: the error names the argument as the caller spelled it.
        ({"date_from": "2023-10-24"}, "date_from"),
        ({"date_to": datetime(2023, 1, 1, tzinfo=UTC)}, "date_to"),
    ],
)
async def test_get_calls_history_limit_offset_and_dates(kwargs: dict[str, Any], field: str) -> None:
    assert (await _refused(autodialer().get_calls_history(1, **kwargs))).field == field


def test_pagers_check_their_page_size_before_the_first_request() -> None:
    with pytest.raises(ValidationError) as caught:
        autodialer().iter_numbers(1, page_size=5001)
    assert caught.value.field == "limit"
    with pytest.raises(ValidationError) as caught:
        autodialer().iter_calls_history(1, page_size=1001)
    assert caught.value.field == "call_history_request.limit"


async def test_add_numbers_refuses_more_than_a_million_known_up_front() -> None:
    numbers = ["380971111111"] * 1_000_001
    assert (await _refused(autodialer().add_numbers(1, numbers))).field == "numbers"


async def test_add_numbers_stops_before_the_chunk_that_would_pass_a_million() -> None:
    tasks = [{"id": 1, "statistics": {"totalCount": 999_999}}]
    client = FakeClient({"tasks": tasks}, {"status": "Success"})
    autodial_ = AutodialResource(client)
    await autodial_.get_with_data()
    stream = (str(380500000000 + i) for i in range(3))  # size unknown up front
    error = await _refused(autodial_.add_numbers(1, stream, chunk_size=1))
    assert error.field == "numbers"
    assert len(client.sent) == 2  # GET_WITH_DATA and the one chunk that still fitted


@pytest.mark.parametrize("size", [0, 100_001])
async def test_chunk_size_must_be_within_the_cap(size: int) -> None:
    error = await _refused(autodialer().add_numbers(1, ["380971111111"], chunk_size=size))
    assert error.field == "chunk_size"


async def test_add_numbers_needs_numbers() -> None:
    assert (await _refused(autodialer().add_numbers(1))).field == "numbers"


async def test_remove_numbers_needs_numbers_or_states() -> None:
    assert (await _refused(autodialer().remove_numbers(1))).field == "numbers"
    error = await _refused(autodialer().remove_numbers(1, ["380971111111"], call_states=["BUSY"]))
    assert error.field == "call_states"


# --- per-number rules of ADD_NUMBERS: rejects with a reason, not a failed upload -----------------
def tts(text: str | None = None, ssml: str | None = None) -> NumberAudio:
    return NumberAudio.synthesis(text=text, ssml=ssml)


NUMBER_CASES: list[tuple[str, NumberWithData, AutodialerType | None, str]] = [
    (
        "11 params",
        NumberWithData(phone="380971111111", params={i: "v" for i in range(1, 12)}),
        None,
        "params: at most 10 parameters",
    ),
    (
        "param key 0",
        NumberWithData(phone="380971111111", params={0: "v"}),
        None,
        "params[0]: keys are 1..10",
    ),
    (
        "6 audios",
        NumberWithData(phone="380971111111", audios=[NumberAudio.audio(1)] * 6),
        AutodialerType.AUTODIAL,
        "audios: at most 5 for this autodialer type",
    ),
    (
        "3 tts",
        NumberWithData(phone="380971111111", audios=[tts("a")] * 3),
        AutodialerType.AUTODIAL,
        "audios: at most 2 text-to-speech elements",
    ),
    (
        "2 audios on GUARANTEED_DIAL",
        NumberWithData(phone="380971111111", audios=[NumberAudio.audio(1)] * 2),
        AutodialerType.GUARANTEED_DIAL,
        "audios: at most 1 for this autodialer type",
    ),
    (
        "text over 2500",
        NumberWithData(phone="380971111111", audios=[tts("x" * 2501)]),
        None,
        "audios[0].tts.text: at most 2500 characters",
    ),
    (
        "ssml over 2500",
        NumberWithData(
            phone="380971111111", audios=[tts(ssml="<speak>" + "x" * 2500 + "</speak>")]
        ),
        None,
        "audios[0].tts.ssml: at most 2500 characters",
    ),
    (
        "ssml not in speak",
        NumberWithData(phone="380971111111", audios=[tts(ssml="hello")]),
        None,
        "audios[0].tts.ssml: must be wrapped in <speak>...</speak>",
    ),
    (
        "tts with neither",
        NumberWithData(phone="380971111111", audios=[NumberAudio(tts=NumberTts(settings_id=1))]),
        None,
        "audios[0].tts: text or ssml is required",
    ),
    (
        "neither id nor tts",
        NumberWithData(phone="380971111111", audios=[NumberAudio()]),
        None,
        "audios[0]: id or tts is required",
    ),
    ("bad phone", NumberWithData(phone="123"), None, "phone: too short: 3 digits, at least 7"),
]


@pytest.mark.parametrize(
    ("case", "number", "kind", "reason"), NUMBER_CASES, ids=[c[0] for c in NUMBER_CASES]
)
async def test_a_number_breaking_a_per_number_rule_is_rejected_with_its_reason(
    case: str, number: NumberWithData, kind: AutodialerType | None, reason: str
) -> None:
    autodial_ = AutodialResource(NoRequests())
    if kind is not None:
        autodial_._known.types[1] = kind
    result = await autodial_.add_numbers(1, numbers_with_data=[number])
    assert [(r.item, r.reason) for r in result.rejected] == [(number, reason)]
    assert result.requests == 0


async def test_voice_robot_numbers_may_carry_any_audios_the_service_ignores() -> None:
    client = FakeClient({"status": "Success"})
    autodial_ = AutodialResource(client)
    autodial_._known.types[1] = AutodialerType.VOICE_ROBOT
    number = NumberWithData(phone="380971111111", audios=[tts("a")] * 3)
    result = await autodial_.add_numbers(1, numbers_with_data=[number])
    assert result.rejected == []
    assert result.accepted == 1
