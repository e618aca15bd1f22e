"""Validating an autodialer's settings for ADD and UPDATE, in the reference's own messages.

The checks run in the order of the reference's error list, so a request with several faults
gets the first documented one. What comes back is the task's settings in wire names, as
GET_WITH_DATA shows them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from unitalk_async._reference import (
    MAX_AUTODIALER_NAME,
    MAX_CALLER_ID_PREFIX,
    MAX_COMPOSITE_AUDIO_PARTS,
    MAX_SILENCE_MILLIS,
    MAX_TRIGGER_ACTIONS_PER_EVENT,
    MIN_SILENCE_MILLIS,
    REPEAT_RANGES,
    TASK_RANGES,
    TASK_REQUIRED_BY_MODE,
    out_of_range,
)
from unitalk_async.sandbox._answers import SandboxError
from unitalk_async.sandbox.dictionaries import (
    AUTODIALER_MODES,
    AUTODIALER_TYPES,
    CLIENT_CALLED_MODES,
    CRM_MODES,
    REPEATABLE_STATES,
    TRIGGER_ACTION_EVENTS,
)
from unitalk_async.sandbox.endpoints._request import validation_error
from unitalk_async.sandbox.project import Project

# Our texts where the reference documents none (an unknown type or mode, a repeat setting
# out of its documented range).
MSG_WRONG_TYPE = "Wrong autodialer type"
MSG_WRONG_MODE = "Wrong autodialer mode"
MSG_WRONG_REPEAT_SETTINGS = "Wrong repeat call settings"
# repeatCallsSettings' own example keys ANSWER (with secondsThreshold), which the callState
# table does not mark repeatable: we allow it there, and only there.
REPEAT_SETTINGS_STATES = REPEATABLE_STATES | {"ANSWER"}
GROUP_MODES = frozenset({"FREE", "SMART"})

# Fields kept per type / mode; everything else common is kept for all.
COMMON_FIELDS = (
    "startDate", "endDate", "timeFrom", "timeTo", "outScenarioId", "triggerActions",
    "repeatCallsSettings", "repeatCallAttempts", "repeatCallIntervalMinutes",
    "repeatCallHighPriority", "repeatCallStates", "repeatCallEarly", "callerIdPrefix",
    "crmMode", "clientCalledMode", "displayName", "displayNote", "removeAfterFinish",
)  # fmt: skip
TYPE_FIELDS = {
    "AUTODIAL": (
        "compositeAudio", "scenarioId", "ttsSettingsId", "useTaskAudioIfAudioError", "delay",
    ),
    "GUARANTEED_DIAL": (
        "moh", "groupId", "pseudoGroupOperators", "ttsSettingsId", "useTaskAudioIfAudioError",
    ),
    "VOICE_ROBOT": ("voiceSecretaryId",),
}  # fmt: skip
MODE_FIELDS = {
    "FIXED": ("threadCount", "callDelay", "callDelayOnlyAnswered"),
    "FREE": (
        "groupId", "pseudoGroupOperators", "coldBaseStartCallsMultiplier",
        "pauseOperatorNoAnswerLimit", "markAsBusySeconds", "markAsBusyMinSecondsTalk",
        "reservedSipsBusyOnlyForAutodials",
    ),
}  # fmt: skip
MODE_FIELDS["SMART"] = (*MODE_FIELDS["FREE"], "smartSpeed")


@dataclass(frozen=True, slots=True)
class TaskSettings:
    name: str
    autodialer_type: str
    autodialer_mode: str
    settings: dict[str, Any]


def validate_task(
    task: dict[str, Any], project: Project, *, autodialer_type: str, name_taken: bool
) -> TaskSettings:
    """Check `task` (ADD's or UPDATE's) against the project; raise the first error found.

    `autodialer_type` is the type to validate for: the request's on ADD, the existing
    autodialer's on UPDATE (where the request's is ignored).
    """
    if autodialer_type not in AUTODIALER_TYPES:
        raise SandboxError(MSG_WRONG_TYPE)
    mode = task.get("autodialerMode")
    if mode not in AUTODIALER_MODES:
        raise SandboxError(MSG_WRONG_MODE)
    name = task.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_AUTODIALER_NAME:
        raise SandboxError("Wrong name")
    if name_taken:
        raise SandboxError("Name already present")
    _check_dates(task)
    _check_times(task)
    needs_group = autodialer_type == "GUARANTEED_DIAL" or mode in GROUP_MODES
    if needs_group:
        _check_group(task, project)
    if autodialer_type == "GUARANTEED_DIAL":
        _check_moh(task, project)
    elif autodialer_type == "AUTODIAL":
        _check_audio_or_scenario(task, project)
    else:
        secretary = task.get("voiceSecretaryId")
        if secretary is None:
            raise SandboxError("voiceSecretaryId is null")
        if secretary not in project.voice_secretaries:
            raise SandboxError("Voice secretary not found")
    out_scenario = task.get("outScenarioId")
    if out_scenario is not None and out_scenario not in project.out_scenarios:
        raise SandboxError("Not found out scenario")
    tts = task.get("ttsSettingsId")
    if tts is not None and autodialer_type != "VOICE_ROBOT" and tts not in project.tts_profiles:
        raise SandboxError("Not found text to speech settings")
    _check_repeats(task)
    prefix = task.get("callerIdPrefix")
    if isinstance(prefix, str) and len(prefix) > MAX_CALLER_ID_PREFIX:
        raise SandboxError("Prefix is too long")
    _check_trigger_actions(task, project)
    if task.get("crmMode") not in CRM_MODES:
        raise SandboxError("crmMode is null")
    if task.get("clientCalledMode") not in CLIENT_CALLED_MODES:
        raise SandboxError("clientCalledMode is null")
    _check_ranges(task, mode)
    kept = (*COMMON_FIELDS, *TYPE_FIELDS[autodialer_type], *MODE_FIELDS[mode])
    settings = {key: task.get(key) for key in dict.fromkeys(kept)}
    return TaskSettings(name, autodialer_type, mode, settings)


def _parse_date(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _check_dates(task: dict[str, Any]) -> None:
    start, end = _parse_date(task.get("startDate")), _parse_date(task.get("endDate"))
    if start is None or end is None or start > end:
        raise SandboxError("Wrong dates")


def _minutes(value: Any) -> int | None:
    if not isinstance(value, str):
        raise SandboxError("Wrong time ranges")
    try:
        parsed = datetime.strptime(value, "%H:%M")
    except ValueError:
        raise SandboxError("Wrong time ranges") from None
    return parsed.hour * 60 + parsed.minute


def _check_times(task: dict[str, Any]) -> None:
    time_from, time_to = task.get("timeFrom"), task.get("timeTo")
    if not isinstance(time_from, list) or not isinstance(time_to, list):
        raise SandboxError("Wrong time ranges")
    if len(time_from) != 7 or len(time_to) != 7:
        raise SandboxError("Wrong time ranges")
    working_days = 0
    for start, end in zip(time_from, time_to, strict=True):
        if start is None and end is None:
            continue
        if start is None or end is None:
            raise SandboxError("Wrong time ranges")
        start_m, end_m = _minutes(start), _minutes(end)
        assert start_m is not None and end_m is not None
        if start_m >= end_m:
            raise SandboxError("Wrong time ranges")
        working_days += 1
    if not working_days:
        raise SandboxError("Wrong time ranges")


def _check_group(task: dict[str, Any], project: Project) -> None:
    group_id = task.get("groupId")
    operators = task.get("pseudoGroupOperators")
    if group_id is None and not operators:
        raise SandboxError("groupId and pseudoGroupOperators is null")
    if group_id is not None:  # "If groupId is used, pseudoGroupOperators are skipped"
        group = project.groups.get(group_id) if isinstance(group_id, int) else None
        if group is None:
            raise SandboxError("Group not found")
        if group.type != "SIP":
            raise SandboxError("Wrong group type")
        return
    if not isinstance(operators, list):
        raise SandboxError("groupId and pseudoGroupOperators is null")
    for line in operators:
        if str(line) not in project.lines:
            raise SandboxError(f"Operator not found: {line}")


def _check_moh(task: dict[str, Any], project: Project) -> None:
    moh = task.get("moh")
    if moh is None:
        return
    audio = project.audios.get(moh) if isinstance(moh, int) else None
    if audio is None:
        raise SandboxError("Moh not found")
    if audio.type != "MELODY":
        raise SandboxError("Wrong audio type: moh")


def _check_audio_or_scenario(task: dict[str, Any], project: Project) -> None:
    scenario = task.get("scenarioId")
    if scenario is not None and scenario not in project.scenarios:
        raise SandboxError("In scenario not found")
    composite = task.get("compositeAudio")
    parts = composite.get("multiAudios") if isinstance(composite, dict) else None
    if parts:
        _check_composite(parts, task, project)
    elif scenario is None:
        raise SandboxError("Not found in scenario and audio")


def _composite_error(reason: str) -> SandboxError:
    # The reference names the error "compositeAudio" and lists its reasons; we answer
    # "compositeAudio: <reason>" (the client matches the prefix).
    return SandboxError(f"compositeAudio: {reason}")


def _check_composite(parts: Any, task: dict[str, Any], project: Project) -> None:
    if not isinstance(parts, list):
        raise _composite_error("audio not found")
    if len(parts) > MAX_COMPOSITE_AUDIO_PARTS:
        raise _composite_error("too many audio parts")
    for part in parts:
        if not isinstance(part, dict):
            raise _composite_error("audio not found")
        if part.get("id") is not None:
            audio = project.audios.get(part["id"]) if isinstance(part["id"], int) else None
            if audio is None:
                raise _composite_error("audio not found")
            if audio.type != "AUTODIAL":
                raise _composite_error("audio type is not AUTODIAL")
        elif part.get("synthesisFromDynamicValue") is not None:
            synthesis = part["synthesisFromDynamicValue"]
            if not isinstance(synthesis, dict) or synthesis.get("dynamicValue") is None:
                raise _composite_error("synthesis dynamicValue is null")
            settings_id = synthesis.get("settingsId")
            if settings_id is None:
                settings_id = task.get("ttsSettingsId")
            if settings_id not in project.tts_profiles:
                raise _composite_error("speech synthesis settings not found")
        else:
            silence = part.get("silenceMillis")
            if (
                not isinstance(silence, int)
                or isinstance(silence, bool)
                or not MIN_SILENCE_MILLIS <= silence <= MAX_SILENCE_MILLIS
            ):
                raise _composite_error("invalid silenceMillis")


def _check_ranges(task: dict[str, Any], mode: str) -> None:
    """The ranges and required fields of the table the client also checks (`_reference`).

    The reference gives these rules no error message: "Validation error", the reason in
    `data` (README "API notes").
    """
    for name in TASK_REQUIRED_BY_MODE.get(mode, ()):
        if task.get(name) is None:
            raise validation_error(f"{name} is required in {mode} mode")
    for name in TASK_RANGES:
        problem = out_of_range(name, task.get(name))
        if problem:
            raise validation_error(f"{name} {problem}")


def _check_repeats(task: dict[str, Any]) -> None:
    attempts = task.get("repeatCallAttempts")
    if attempts:  # the deprecated form: attempts with a list of states
        states = task.get("repeatCallStates")
        if not states:
            raise SandboxError("Repeat call states is empty")
        if any(state not in REPEATABLE_STATES for state in states):
            raise SandboxError("Repeat call state is not allowed")
    settings = task.get("repeatCallsSettings")
    if not isinstance(settings, dict):
        return
    by_state = settings.get("statesSettings") or {}
    if not isinstance(by_state, dict):
        raise SandboxError(MSG_WRONG_REPEAT_SETTINGS)
    for state, rule in by_state.items():
        if state not in REPEAT_SETTINGS_STATES:
            raise SandboxError("Repeat call state is not allowed")
        if not isinstance(rule, dict):
            raise SandboxError(MSG_WRONG_REPEAT_SETTINGS)
        tries, interval = rule.get("attempts"), rule.get("intervalMinutes")
        if any(out_of_range(name, rule.get(name), REPEAT_RANGES) for name in REPEAT_RANGES):
            raise SandboxError(MSG_WRONG_REPEAT_SETTINGS)
        if tries and interval is None:  # repeats need their interval
            raise SandboxError(MSG_WRONG_REPEAT_SETTINGS)


def _check_trigger_actions(task: dict[str, Any], project: Project) -> None:
    bindings = task.get("triggerActions")
    if not bindings:
        return
    if not isinstance(bindings, dict):
        raise SandboxError("Wrong trigger action event")
    for event, ids in bindings.items():
        if event not in TRIGGER_ACTION_EVENTS:
            raise SandboxError("Wrong trigger action event")
        if ids is None or not isinstance(ids, list):
            raise SandboxError("triggerActionIds is null")
        if len(ids) > MAX_TRIGGER_ACTIONS_PER_EVENT:
            raise SandboxError("Too many trigger actions")
        seen_types: set[str] = set()
        for action_id in ids:
            action = project.trigger_actions.get(action_id) if isinstance(action_id, int) else None
            if action is None:
                raise SandboxError("Trigger action not found")
            if action.action_type in seen_types:
                raise SandboxError("Few trigger actions with same type")
            seen_types.add(action.action_type)
            if event not in action.events:
                raise SandboxError("Not compatible trigger action")
