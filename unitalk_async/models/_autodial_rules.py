"""The reference's rules for /autodial/action requests, checked before anything is sent.

`validate_request` raises `ValidationError(field, rule)` naming the field by its Python
path ("task.time_from[3]", "task.composite_audio.multi_audios[2].silence_millis"). Range
and length rules come from the `Meta` constraints on the request structs (checked by one
encode/decode round trip); the rules `Meta` cannot state are written out here.

Per-number rules of ADD_NUMBERS (`number_with_data_problem`) give a reason instead of
raising: a bad number among 100,000 becomes a reject, not a failed upload.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import msgspec
from msgspec import UNSET

from unitalk_async import _reference as ref
from unitalk_async._arguments import check_request, python_name
from unitalk_async._exceptions import ValidationError
from unitalk_async.models.autodial import (
    AddNumbersRequest,
    AddRequest,
    AudioPart,
    AutodialerTask,
    AutodialTask,
    CompositeAudio,
    NumberAudio,
    NumberWithData,
    RefreshRequest,
    RemoveNumbersRequest,
    RepeatCallsSettings,
    UpdateRequest,
    VoiceRobotTask,
)
from unitalk_async.models.enums import AutodialerMode, AutodialerType, CallState

__all__ = ["number_with_data_problem", "validate_request", "validate_task"]


def validate_request(request: msgspec.Struct, *, check_constraints: bool = True) -> None:
    """Raise `ValidationError` if `request` breaks a rule of the reference."""
    if check_constraints:
        request = check_request(request)
    if isinstance(request, (AddRequest, UpdateRequest)):
        validate_task(request.task, update=isinstance(request, UpdateRequest))
    elif isinstance(request, RefreshRequest):
        for i, state in enumerate(map(CallState, request.call_states)):
            if state.is_known and not state.refreshable:
                raise ValidationError(
                    f"call_states[{i}]", f"{state.value} is not allowed for REFRESH"
                )
    elif isinstance(request, AddNumbersRequest):
        if not request.numbers and not request.numbers_with_data:
            raise ValidationError("numbers", "numbers or numbers_with_data is required")
        count = len(request.numbers or ()) + len(request.numbers_with_data or ())
        if count > ref.MAX_ADD_NUMBERS_PER_REQUEST:
            raise ValidationError(
                "numbers", f"at most {ref.MAX_ADD_NUMBERS_PER_REQUEST} numbers per request"
            )
    elif isinstance(request, RemoveNumbersRequest) and not (request.numbers or request.call_states):
        raise ValidationError("numbers", "numbers or call_states is required")


def validate_task(task: AutodialerTask, *, update: bool = False, path: str = "task") -> None:
    """The cross-field rules of an ADD/UPDATE task (its `Meta` rules are checked apart)."""
    if update and not isinstance(task.id, int):
        raise ValidationError(f"{path}.id", "required on UPDATE: the autodialer to change")
    start, end = task.start_date, task.end_date
    if isinstance(start, date) and isinstance(end, date) and start > end:
        raise ValidationError(f"{path}.start_date", "must not be after end_date")
    _check_days(task.time_from, task.time_to, path)
    if isinstance(task.trigger_actions, dict):
        for event, ids in task.trigger_actions.items():
            if len(ids) > ref.MAX_TRIGGER_ACTIONS_PER_EVENT:
                raise ValidationError(
                    f"{path}.trigger_actions[{event}]",
                    f"at most {ref.MAX_TRIGGER_ACTIONS_PER_EVENT} handlers per event",
                )
    if isinstance(task.repeat_calls_settings, RepeatCallsSettings):
        _check_repeat(task.repeat_calls_settings, f"{path}.repeat_calls_settings")
    if isinstance(task.numbers, list) and len(task.numbers) > ref.MAX_ADD_NUMBERS_PER_REQUEST:
        raise ValidationError(
            f"{path}.numbers",
            f"at most {ref.MAX_ADD_NUMBERS_PER_REQUEST} numbers; add more with add_numbers",
        )
    _check_required_by_type_and_mode(task, path)
    if isinstance(task, AutodialTask) and isinstance(task.composite_audio, CompositeAudio):
        _check_composite_audio(task.composite_audio, f"{path}.composite_audio")
        _check_synthesis_settings(task, f"{path}.composite_audio")


def _check_days(time_from: list[Any], time_to: list[Any], path: str) -> None:
    if all(value is None for value in time_from):
        raise ValidationError(f"{path}.time_from", "at least one day must have hours")
    for day, (start, end) in enumerate(zip(time_from, time_to, strict=True)):
        if (start is None) != (end is None):
            # The reference says only "pairs": a day with one end set is not a range.
            raise ValidationError(
                f"{path}.time_to[{day}]" if end is None else f"{path}.time_from[{day}]",
                "time_from and time_to of a day must both be set or both be None",
            )
        if start is not None and not start < end:
            raise ValidationError(f"{path}.time_from[{day}]", "must be before time_to")


def _check_required_by_type_and_mode(task: AutodialerTask, path: str) -> None:
    kind = task.autodialer_type
    mode = AutodialerMode(task.autodialer_mode)
    needs_group = kind is AutodialerType.GUARANTEED_DIAL or mode in (
        AutodialerMode.FREE,
        AutodialerMode.SMART,
    )
    if needs_group and not isinstance(task.group_id, int) and not task.pseudo_group_operators:
        raise ValidationError(
            f"{path}.group_id",
            f"group_id or pseudo_group_operators is required for {kind.value} / {mode.value}",
        )
    for wire_name in ref.TASK_REQUIRED_BY_MODE.get(mode.value, ()):
        field = python_name(wire_name)
        if getattr(task, field) in (UNSET, None):
            raise ValidationError(f"{path}.{field}", f"required in {mode.value} mode")
    has_audio = isinstance(task, AutodialTask) and (
        isinstance(task.composite_audio, CompositeAudio) and bool(task.composite_audio.multi_audios)
    )
    if isinstance(task, AutodialTask) and not has_audio and not isinstance(task.scenario_id, int):
        raise ValidationError(
            f"{path}.composite_audio", "composite_audio or scenario_id is required"
        )
    if isinstance(task, VoiceRobotTask) and not isinstance(task.voice_secretary_id, int):
        raise ValidationError(f"{path}.voice_secretary_id", "required for VOICE_ROBOT")


def _check_composite_audio(audio: CompositeAudio, path: str) -> None:
    parts = audio.multi_audios
    if len(parts) > ref.MAX_COMPOSITE_AUDIO_PARTS:
        raise ValidationError(
            f"{path}.multi_audios", f"at most {ref.MAX_COMPOSITE_AUDIO_PARTS} parts"
        )
    for i, part in enumerate(parts):
        _check_audio_part(part, f"{path}.multi_audios[{i}]")


def _check_audio_part(part: AudioPart, path: str) -> None:
    given = [
        name
        for name in ("silence_millis", "id", "synthesis_from_dynamic_value")
        if getattr(part, name) not in (UNSET, None)
    ]
    if len(given) != 1:
        raise ValidationError(
            path, "exactly one of silence_millis, id, synthesis_from_dynamic_value"
        )
    if isinstance(part.silence_millis, int) and not (
        ref.MIN_SILENCE_MILLIS <= part.silence_millis <= ref.MAX_SILENCE_MILLIS
    ):
        raise ValidationError(
            f"{path}.silence_millis",
            f"must be {ref.MIN_SILENCE_MILLIS}..{ref.MAX_SILENCE_MILLIS} ms",
        )
    synthesis = part.synthesis_from_dynamic_value
    if synthesis is not UNSET and synthesis is not None and synthesis.dynamic_value is None:
        raise ValidationError(f"{path}.synthesis_from_dynamic_value.dynamic_value", "required")


def _check_synthesis_settings(task: AutodialTask, path: str) -> None:
    """The reference: "For correct audio synthesis, it is necessary to have one of the
    parameters settingsId of the synthesis part and ttsSettingsId of the autodialer"."""
    audio = task.composite_audio
    if isinstance(task.tts_settings_id, int) or not isinstance(audio, CompositeAudio):
        return
    for i, part in enumerate(audio.multi_audios):
        synthesis = part.synthesis_from_dynamic_value
        if synthesis is UNSET or synthesis is None or isinstance(synthesis.settings_id, int):
            continue
        raise ValidationError(
            f"{path}.multi_audios[{i}].synthesis_from_dynamic_value.settings_id",
            "required when the autodialer has no tts_settings_id",
        )


def _check_repeat(settings: RepeatCallsSettings, path: str) -> None:
    if not isinstance(settings.states_settings, dict):
        return
    for state, rule in settings.states_settings.items():
        at = f"{path}.states_settings[{state.value}]"
        # ANSWER is not "repeatable" in the callState table, yet the reference's own
        # example repeats ANSWER calls shorter than secondsThreshold: we allow it.
        if state.is_known and not state.repeatable and state is not CallState.ANSWER:
            raise ValidationError(at, f"{state.value} is not allowed for repeat calls")
        attempts = None if rule.attempts is UNSET else rule.attempts
        interval = None if rule.interval_minutes is UNSET else rule.interval_minutes
        for wire_name, value in (("attempts", attempts), ("intervalMinutes", interval)):
            problem = ref.out_of_range(wire_name, value, ref.REPEAT_RANGES)
            if problem:
                raise ValidationError(f"{at}.{python_name(wire_name)}", problem)
        if attempts and interval is None:
            raise ValidationError(f"{at}.interval_minutes", "required when attempts is above 0")


# --- ADD_NUMBERS: per-number rules (a reason, not an exception) ---------------------------------
def number_with_data_problem(
    number: NumberWithData, autodialer_type: AutodialerType | None = None
) -> str | None:
    """Why the service would refuse this number's params or audios, or None if it would not.

    `autodialer_type` selects the audio limits (AUTODIAL: 5 with at most 2 tts;
    GUARANTEED_DIAL: 1; VOICE_ROBOT: ignored); unknown type: AUTODIAL's, the loosest.
    """
    params = number.params
    if isinstance(params, dict):
        if len(params) > ref.MAX_NUMBER_PARAMS:
            return f"params: at most {ref.MAX_NUMBER_PARAMS} parameters"
        for key in params:
            if not 1 <= key <= ref.MAX_NUMBER_PARAMS:
                return f"params[{key}]: keys are 1..{ref.MAX_NUMBER_PARAMS}"
    audios = number.audios
    if not isinstance(audios, list) or autodialer_type is AutodialerType.VOICE_ROBOT:
        return None
    if autodialer_type is AutodialerType.GUARANTEED_DIAL:
        limit, tts_limit = ref.MAX_NUMBER_AUDIOS_GUARANTEED, ref.MAX_NUMBER_AUDIOS_GUARANTEED
    else:
        limit, tts_limit = ref.MAX_NUMBER_AUDIOS_AUTODIAL, ref.MAX_NUMBER_TTS_AUTODIAL
    if len(audios) > limit:
        return f"audios: at most {limit} for this autodialer type"
    tts_count = 0
    for i, audio in enumerate(audios):
        problem = _number_audio_problem(audio)
        if problem:
            return f"audios[{i}]{problem}"
        if not isinstance(audio.id, int):
            tts_count += 1
    if tts_count > tts_limit:
        return f"audios: at most {tts_limit} text-to-speech elements"
    return None


def _number_audio_problem(audio: NumberAudio | None) -> str | None:
    if audio is None:
        return ": null audio"
    if isinstance(audio.id, int):
        return None  # "if both are specified, id will be used"
    tts = audio.tts
    if tts is UNSET or tts is None:
        return ": id or tts is required"
    # "if both are specified, ssml will be used"
    if isinstance(tts.ssml, str):
        if len(tts.ssml) > ref.MAX_NUMBER_TTS_TEXT:
            return f".tts.ssml: at most {ref.MAX_NUMBER_TTS_TEXT} characters"
        stripped = tts.ssml.strip()
        if not (stripped.startswith("<speak") and stripped.endswith("</speak>")):
            return ".tts.ssml: must be wrapped in <speak>...</speak>"
        return None
    if isinstance(tts.text, str) and tts.text:
        if len(tts.text) > ref.MAX_NUMBER_TTS_TEXT:
            return f".tts.text: at most {ref.MAX_NUMBER_TTS_TEXT} characters"
        return None
    return ".tts: text or ssml is required"
