"""Audio: /audio/upload (multipart) and /audio/tts (synthesis into project audios)."""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta

from unitalk_async._arguments import known_member
from unitalk_async._reference import MAX_AUDIO_NAME, MAX_TTS_ITEMS_PER_REQUEST
from unitalk_async.models._base import UNSET, Maybe, Request, Response
from unitalk_async.models.calls import TextToSpeech, check_constraints, require
from unitalk_async.models.enums import AudioType, AudioTypeLike

__all__ = [
    "AudioName",
    "AudioUploadRequest",
    "TtsItem",
    "TtsRequest",
    "TtsResult",
]

AudioName = Annotated[str, Meta(min_length=1, max_length=MAX_AUDIO_NAME)]


class AudioUploadRequest(Request):
    """The text parts of /audio/upload's multipart form (the file travels beside them)."""

    name: AudioName
    type: AudioTypeLike
    temp: Maybe[bool] = UNSET

    def __post_init__(self) -> None:
        self.type = known_member(AudioType, self.type, "type")

    def validate(self) -> None:
        check_constraints(self)
        require(AudioType(self.type).is_known, "type", "must be one of " + ", ".join(AudioType))

    def form(self) -> dict[str, str]:
        """The multipart text fields as sent; `temp` as "true"/"false" when given."""
        fields = {"name": self.name, "type": str(self.type)}
        if isinstance(self.temp, bool):
            fields["temp"] = "true" if self.temp else "false"
        return fields


class TtsItem(Request):
    """One audio to synthesise: saved under `name` in section `type`."""

    name: AudioName
    type: AudioTypeLike
    tts: TextToSpeech

    def __post_init__(self) -> None:
        self.type = known_member(AudioType, self.type, "type")


class TtsRequest(Request):
    """/audio/tts: 1 to 5 audios synthesised in one request."""

    data: Annotated[list[TtsItem], Meta(min_length=1, max_length=MAX_TTS_ITEMS_PER_REQUEST)]

    def validate(self) -> None:
        check_constraints(self)
        for index, item in enumerate(self.data):
            require(
                AudioType(item.type).is_known,
                f"data[{index}].type",
                "must be one of " + ", ".join(AudioType),
            )
            item.tts.validate(f"data[{index}].tts")


class TtsResult(Response):
    """The outcome for one synthesised audio: the new `id`, or `error` (id null)."""

    name: str
    id: Maybe[int] = UNSET
    error: Maybe[str] = UNSET

    @property
    def ok(self) -> bool:
        """True when the audio was synthesised and saved."""
        return isinstance(self.id, int)
