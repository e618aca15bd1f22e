"""Calls: /phones/directCall, /calls/originateC2c, /calls/originateNew, /calls/hangup,
/calls/connectAsPrompter, and the text-to-speech part shared with /audio/tts.

Also the home of the request helpers the other M2 models and resources share:
`check_constraints` (apply a struct's `Meta` rules before sending), `require`,
`require_phone`, `wire_datetime` and `given` (None -> UNSET).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, TypeVar

import msgspec
from msgspec import Meta

from unitalk_async._arguments import check_request, date_time, known_member
from unitalk_async._codec import WireDateTime, to_wire_text
from unitalk_async._exceptions import ValidationError
from unitalk_async._phones import normalize_phone, phone_reject_reason
from unitalk_async._reference import (
    MAX_CALL_AUDIOS,
    MAX_CALL_TTS,
    MAX_META,
    MAX_TTS_SSML,
    MAX_TTS_TEXT,
)
from unitalk_async.models._base import UNSET, Maybe, Request, UnsetType
from unitalk_async.models.enums import C2cStepType, C2cStepTypeLike

__all__ = [
    "C2cStep",
    "CallAudio",
    "ConnectAsPrompterRequest",
    "DirectCallRequest",
    "HangupRequest",
    "Meta1000",
    "OriginateC2cRequest",
    "OriginateNewRequest",
    "TextToSpeech",
    "check_constraints",
    "given",
    "meta_text",
    "require",
    "require_phone",
    "wire_datetime",
]

#: The `meta` string shown in webhooks: at most 1000 characters.
Meta1000 = Annotated[str, Meta(max_length=MAX_META)]
AwaitingTime = Annotated[int, Meta(ge=5, le=300)]

T = TypeVar("T")


def check_constraints(request: msgspec.Struct) -> None:
    """Raise `ValidationError` when `request` breaks a `Meta` rule of its type.

    msgspec checks `Meta` only when decoding, so the request makes one trip through the
    codec; the error names the field in Python spelling (`carousel_items[0].title`).
    """
    check_request(request)


def wire_datetime(value: datetime | date | str, field: str) -> WireDateTime:
    """A caller's naive `datetime`/`date`/wire string as the wire's "yyyy-MM-dd HH:mm:ss"."""
    return date_time(value, field)


def require_phone(raw: object, field: str) -> str:
    """`raw` as the service stores it (digits only), or `ValidationError` if not a number."""
    number = normalize_phone(raw)
    if number is None:
        reason = phone_reject_reason(raw) or "invalid number"
        raise ValidationError(field, f"not a phone number ({reason})", value=raw)
    return number


def given(value: T | None) -> T | UnsetType:
    """`value`, or UNSET (left out of the request) when the caller passed None."""
    return UNSET if value is None else value


def meta_text(value: str | int | float | None, field: str = "meta") -> str | UnsetType:
    """`meta` as sent: text as given, a number as its text (42 -> "42"), None left out.

    The service coerces a number to text (README "API notes"); we send the text, so the
    1000-character rule and the call events read the same value.
    """
    if value is None:
        return UNSET
    try:
        return to_wire_text(value, field=field)
    except ValueError:
        raise ValidationError(field, "must be text or a number", value=value) from None


def require(condition: bool, field: str, rule: str, value: Any = None) -> None:
    """Raise `ValidationError(field, rule)` unless `condition` holds."""
    if not condition:
        raise ValidationError(field, rule, value=value)


class TextToSpeech(Request):
    """Text to synthesise (/calls/originateNew `audios[].tts`, /audio/tts `data[].tts`).

    Give `text` (at most 4960 characters) or `ssml` (at most 5000, wrapped in
    `<speak>...</speak>`); the service uses `ssml` when both are set.
    """

    text: Maybe[Annotated[str, Meta(max_length=MAX_TTS_TEXT)]] = UNSET
    ssml: Maybe[Annotated[str, Meta(max_length=MAX_TTS_SSML)]] = UNSET
    settings_id: Maybe[int] = UNSET

    def validate(self, field: str = "tts") -> None:
        """Check the rules `Meta` cannot state; `field` prefixes the error's field name."""
        has_text = isinstance(self.text, str) and bool(self.text)
        has_ssml = isinstance(self.ssml, str) and bool(self.ssml)
        require(has_text or has_ssml, f"{field}.text", "one of text or ssml is required")
        if isinstance(self.ssml, str) and has_ssml:
            stripped = self.ssml.strip()
            require(
                stripped.startswith("<speak") and stripped.endswith("</speak>"),
                f"{field}.ssml",
                "must start with <speak> and end with </speak>",
            )
        require(isinstance(self.settings_id, int), f"{field}.settings_id", "is required")


class DirectCallRequest(Request):
    """/phones/directCall (form-encoded): ring internal line `sip`, then dial `number`."""

    sip: str
    number: str
    meta: Maybe[Meta1000] = UNSET

    def validate(self) -> None:
        check_constraints(self)

    def form(self) -> dict[str, str]:
        """The form fields as sent (`meta` left out when unset or None)."""
        fields = {"sip": self.sip, "number": self.number}
        if isinstance(self.meta, str):
            fields["meta"] = self.meta
        return fields


class C2cStep(Request):
    """One redirect step of a click-to-call: GSM number, SIP line or GROUP id in `to`."""

    type: C2cStepTypeLike
    to: str
    awaiting_time: AwaitingTime

    def __post_init__(self) -> None:
        self.type = known_member(C2cStepType, self.type, "type")


class OriginateC2cRequest(Request):
    """/calls/originateC2c: call `client_number` and connect the first answering step."""

    client_number: str
    steps: Annotated[list[C2cStep], Meta(min_length=1)]

    def validate(self) -> None:
        check_constraints(self)
        for index, step in enumerate(self.steps):
            require(
                C2cStepType(step.type).is_known,
                f"steps[{index}].type",
                "must be one of GSM, SIP, GROUP",
                step.type,
            )


class CallAudio(Request):
    """One element of `audios`: a preloaded API audio by `id`, or text to synthesise."""

    id: Maybe[int] = UNSET
    tts: Maybe[TextToSpeech] = UNSET

    @property
    def is_tts(self) -> bool:
        """True when the element will be synthesised (the service prefers `id` when both)."""
        return self.id in (None, UNSET) and isinstance(self.tts, TextToSpeech)


class OriginateNewRequest(Request):
    """/calls/originateNew: call `phone` and play audios / an IVR / a voice secretary."""

    phone: str
    outer_line: Maybe[str] = UNSET
    meta: Maybe[Meta1000] = UNSET
    ivr_id: Maybe[int] = UNSET
    voice_secretary_id: Maybe[int] = UNSET
    audios: Maybe[Annotated[list[CallAudio], Meta(max_length=MAX_CALL_AUDIOS)]] = UNSET

    def validate(self) -> None:
        check_constraints(self)
        require(
            bool(self.audios)
            or isinstance(self.ivr_id, int)
            or isinstance(self.voice_secretary_id, int),
            "audios",
            "one of audios, ivr_id, voice_secretary_id is required",
        )
        if not isinstance(self.audios, list):
            return
        for index, audio in enumerate(self.audios):
            field = f"audios[{index}]"
            require(isinstance(audio, CallAudio), field, "must not be null")
            if isinstance(audio.id, int):
                continue
            require(isinstance(audio.tts, TextToSpeech), field, "needs an id or a tts")
            assert isinstance(audio.tts, TextToSpeech)
            audio.tts.validate(f"{field}.tts")
        tts_count = sum(1 for audio in self.audios if audio.is_tts)
        require(
            tts_count <= MAX_CALL_TTS,
            "audios",
            f"at most {MAX_CALL_TTS} elements may be tts",
            tts_count,
        )


class HangupRequest(Request):
    """/calls/hangup: end an active call by its id (from webhooks) or by line number."""

    number: Maybe[str] = UNSET
    id: Maybe[int] = UNSET

    def validate(self) -> None:
        check_constraints(self)
        require(isinstance(self.id, int) or bool(self.number), "id", "id or number is required")


class ConnectAsPrompterRequest(Request):
    """/calls/connectAsPrompter: connect line `source` as prompter to `target`'s call."""

    target: str
    source: str

    def validate(self) -> None:
        check_constraints(self)
        require(bool(self.target), "target", "must not be empty")
        require(bool(self.source), "source", "must not be empty")
