"""Reading the numbers of ADD and ADD_NUMBERS: normalisation, per-number data and audios.

Any invalid number rejects the whole request with "Wrong numbers" and the invalid inputs in
`data` (README "API notes"). Per-number audios follow the autodialer's type: 5 elements (2
of them tts) for AUTODIAL, 1 for GUARANTEED_DIAL, ignored for VOICE_ROBOT.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from unitalk_async._reference import (
    MAX_ADD_NUMBERS_PER_REQUEST,
    MAX_NUMBER_AUDIOS_AUTODIAL,
    MAX_NUMBER_AUDIOS_GUARANTEED,
    MAX_NUMBER_LINK,
    MAX_NUMBER_NAME,
    MAX_NUMBER_NOTE,
    MAX_NUMBER_PARAMS,
    MAX_NUMBER_TTS_AUTODIAL,
    MAX_NUMBER_TTS_TEXT,
)
from unitalk_async.sandbox._answers import SandboxError
from unitalk_async.sandbox.numbers import NumberData
from unitalk_async.sandbox.phones import normalize_phone, normalize_phones
from unitalk_async.sandbox.project import Project

if TYPE_CHECKING:
    from unitalk_async.sandbox.state import Sandbox

PARAM_KEYS = frozenset(str(n) for n in range(1, MAX_NUMBER_PARAMS + 1))
MAX_PARAM_VALUE = 500
AUDIO_SECTION = {"AUTODIAL": "AUTODIAL", "GUARANTEED_DIAL": "MELODY"}


@dataclass(frozen=True, slots=True)
class NumberBatch:
    """The valid, normalised numbers of one request, in order, without duplicates."""

    phones: list[str]
    data: dict[str, NumberData] | None

    @property
    def count(self) -> int:
        return len(self.phones)


def _clip(value: Any, limit: int) -> str | None:
    # "The first N characters are taken into account"
    return value[:limit] if isinstance(value, str) else None


def parse_numbers(
    numbers: Any, with_data: Any, sandbox: Sandbox, autodialer_type: str
) -> NumberBatch:
    plain: list[Any] = numbers if isinstance(numbers, list) else []
    rich: list[Any] = with_data if isinstance(with_data, list) else []
    if len(plain) + len(rich) > MAX_ADD_NUMBERS_PER_REQUEST:
        raise SandboxError("Too many numbers")
    normalized = normalize_phones(plain)
    phones: dict[str, None] = dict.fromkeys(p for p in normalized if p is not None)
    invalid: list[Any] = []
    if len(phones) < len(plain) and None in normalized:
        invalid = [raw for raw, p in zip(plain, normalized, strict=True) if p is None]
    normalize = normalize_phone
    data: dict[str, NumberData] = {}
    given: dict[str, Any] = {}  # normalised -> as the caller wrote it
    for item in rich:
        raw = item.get("phone") if isinstance(item, dict) else item
        phone = normalize(raw)
        if phone is None:
            invalid.append(raw)
            continue
        phones[phone] = None
        given[phone] = raw
        data[phone] = _number_data(item, sandbox.project, autodialer_type, phone)
    if invalid:
        raise SandboxError("Wrong numbers", data=invalid)
    _check_audios(data, given, sandbox.project, autodialer_type)
    return NumberBatch(list(phones), data or None)


def _number_data(
    item: dict[str, Any], project: Project, autodialer_type: str, phone: str
) -> NumberData:
    params = item.get("params")
    clipped: dict[str, str | None] | None = None
    if isinstance(params, dict) and params:
        if len(params) > MAX_NUMBER_PARAMS:
            raise SandboxError("Too many params")
        if any(key not in PARAM_KEYS for key in params):
            raise SandboxError("Wrong parameter key")
        clipped = {key: _clip(value, MAX_PARAM_VALUE) for key, value in params.items()}
    audios = item.get("audios")
    return NumberData(
        name=_clip(item.get("name"), MAX_NUMBER_NAME),
        note=_clip(item.get("note"), MAX_NUMBER_NOTE),
        link=_clip(item.get("link"), MAX_NUMBER_LINK),
        params=clipped,
        audios=audios if isinstance(audios, list) and autodialer_type != "VOICE_ROBOT" else None,
    )


def _check_audios(
    data: dict[str, NumberData], given: dict[str, Any], project: Project, autodialer_type: str
) -> None:
    """Raise "Wrong audios" listing each number whose audios break a rule, with its reason.

    Each item is `{"phone": <as given>, "error": <reason>}`: the reference shows no example;
    the phone as the caller wrote it lets the caller match its own input.
    """
    if autodialer_type not in AUDIO_SECTION:
        return
    wrong = []
    for phone, item in data.items():
        if item.audios:
            reason = audio_error(item.audios, project, autodialer_type)
            if reason is not None:
                wrong.append({"phone": given[phone], "error": reason})
    if wrong:
        raise SandboxError("Wrong audios", data=wrong)


def audio_error(audios: list[Any], project: Project, autodialer_type: str) -> str | None:
    """The reference's reason why a number's `audios` are wrong, or None when they are fine."""
    limit = (
        MAX_NUMBER_AUDIOS_AUTODIAL
        if autodialer_type == "AUTODIAL"
        else MAX_NUMBER_AUDIOS_GUARANTEED
    )
    if len(audios) > limit:
        return "Too many audios"
    tts_count = sum(
        1 for a in audios if isinstance(a, dict) and a.get("id") is None and a.get("tts")
    )
    if autodialer_type == "AUTODIAL" and tts_count > MAX_NUMBER_TTS_AUTODIAL:
        return "Too many text to speech"
    for audio in audios:
        if audio is None:
            return "Audio is null"
        if not isinstance(audio, dict):
            return "Audio is empty"
        audio_id, tts = audio.get("id"), audio.get("tts")
        if audio_id is not None:  # "if both are specified, id will be used"
            found = project.audios.get(audio_id) if isinstance(audio_id, int) else None
            if found is None:
                return "Audio not found by id"
            if found.type != AUDIO_SECTION[autodialer_type]:
                return "Wrong type of audio"
            continue
        if not isinstance(tts, dict):
            return "Audio is empty"
        reason = _tts_error(tts, project)
        if reason is not None:
            return reason
    return None


def _tts_error(tts: dict[str, Any], project: Project) -> str | None:
    text, ssml = tts.get("text"), tts.get("ssml")
    if not text and not ssml:
        return "Text to speech ‘text’ and ‘ssml’ is null"
    if ssml:  # "if both are specified, ssml will be used"
        valid = (
            isinstance(ssml, str)
            and len(ssml) <= MAX_NUMBER_TTS_TEXT
            and ssml.strip().startswith("<speak>")
            and ssml.strip().endswith("</speak>")
        )
        if not valid:
            return "Text to speech ‘ssml’ not valid"
    elif not isinstance(text, str) or len(text) > MAX_NUMBER_TTS_TEXT:
        return "Text to speech ‘text’ not valid"
    settings_id = tts.get("settingsId")
    if settings_id is not None and settings_id not in project.tts_profiles:
        return "Text to speech settings not found by id"
    return None
