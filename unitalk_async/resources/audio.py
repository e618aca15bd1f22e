"""`client.audio`: upload audio files, synthesise audio from text."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import IO, TypeAlias

import anyio.to_thread

from unitalk_async import _operations as ops
from unitalk_async._exceptions import ResponseDecodeError, ValidationError
from unitalk_async._reference import MAX_AUDIO_UPLOAD_BYTES, MAX_TTS_ITEMS_PER_REQUEST
from unitalk_async.models._base import UNSET
from unitalk_async.models.audio import AudioUploadRequest, TtsItem, TtsRequest, TtsResult
from unitalk_async.models.calls import require
from unitalk_async.models.enums import AudioType, AudioTypeLike
from unitalk_async.resources._base import Resource

__all__ = ["AudioFile", "AudioResource"]

#: A file to upload: a path, its bytes, or a binary file object open for reading.
AudioFile: TypeAlias = str | os.PathLike[str] | bytes | bytearray | memoryview | IO[bytes]

_TOO_BIG = f"must be at most {MAX_AUDIO_UPLOAD_BYTES} bytes (15 MB)"


def _read_limited(file: AudioFile) -> tuple[bytes, str]:
    """The file's bytes and name; refuses more than 15 MB without reading further."""
    if isinstance(file, bytes | bytearray | memoryview):
        content = bytes(file)
        name = "audio"
    elif isinstance(file, str | os.PathLike):
        path = Path(file)
        size = path.stat().st_size
        require(size <= MAX_AUDIO_UPLOAD_BYTES, "file", _TOO_BIG, size)
        content = path.read_bytes()
        name = path.name
    else:
        content = file.read(MAX_AUDIO_UPLOAD_BYTES + 1)
        name = os.path.basename(str(getattr(file, "name", "") or "")) or "audio"
    require(len(content) <= MAX_AUDIO_UPLOAD_BYTES, "file", _TOO_BIG, len(content))
    return content, name


class AudioResource(Resource):
    """Audio: /audio/upload, /audio/tts."""

    __slots__ = ()

    async def upload(
        self,
        name: str,
        type: AudioTypeLike,
        file: AudioFile,
        *,
        temp: bool | None = None,
        filename: str | None = None,
    ) -> int:
        """Add an audio (or video) file to section `type` under `name`; returns its id.

        `file` is a path, bytes or a binary file object (read in a worker thread); more than
        15 MB is refused before sending. `temp=True` marks it for deletion at 04:00.
        `filename` overrides the name sent for the file part.
        """
        request = AudioUploadRequest(
            name=name, type=AudioType(type), temp=UNSET if temp is None else temp
        )
        request.validate()
        content, default_name = await anyio.to_thread.run_sync(_read_limited, file)
        answer = await self._client._call(
            ops.AUDIO_UPLOAD,
            request.form(),
            files={"file": (filename or default_name, content, "application/octet-stream")},
        )
        # The new id comes back as a string in `message` ({"message": "432"}).
        message = answer.message if isinstance(answer.message, str) else ""
        try:
            return int(message)
        except ValueError:
            raise ResponseDecodeError(
                f"expected the new audio id in message, got {message!r}", path=ops.AUDIO_UPLOAD.path
            ) from None

    async def tts(self, items: Sequence[TtsItem]) -> list[TtsResult]:
        """Synthesise 1 to 5 audios into the project; one result per item, in order.

        A failed item has `id` None and `error` set (the request itself succeeds). The
        service allows one synthesis at a time per project: the client serialises these
        calls ("tts" mutex). Costs money: never resent after an ambiguous failure.
        """
        if not 1 <= len(items) <= MAX_TTS_ITEMS_PER_REQUEST:
            raise ValidationError(
                "items", f"must hold 1 to {MAX_TTS_ITEMS_PER_REQUEST} items", value=len(items)
            )
        request = TtsRequest(data=list(items))
        request.validate()
        answer = await self._client._call(ops.AUDIO_TTS, request)
        return answer.data if isinstance(answer.data, list) else []
