"""Audio: /audio/upload (multipart, 15 MB) and /audio/tts (one request at a time per project).

New audios join `project.audios`, so autodialers, calls and dictionaries see them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import anyio
import msgspec
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

from unitalk_async._reference import (
    MAX_AUDIO_NAME,
    MAX_AUDIO_UPLOAD_BYTES,
    MAX_TTS_ITEMS_PER_REQUEST,
    MAX_TTS_SSML,
    MAX_TTS_TEXT,
)
from unitalk_async.sandbox._answers import SandboxError, success
from unitalk_async.sandbox.endpoints._request import json_body, sandbox_of, validation_error
from unitalk_async.sandbox.project import AUDIO_TYPES, Audio, AudioType, Project

# Room for the other multipart fields and boundaries on top of the file's 15 MB.
_MULTIPART_OVERHEAD = 64 * 1024
_SPEAK_OPEN, _SPEAK_CLOSE = "<speak", "</speak>"


@dataclass
class AudioLibrary:
    """What the sandbox knows of audios beyond `project.audios`."""

    uploaded_bytes: dict[int, int] = field(default_factory=dict)  # audio id -> file size
    temporary: set[int] = field(default_factory=set)  # deleted at 04:00 by the service
    tts_running: bool = False  # one /audio/tts at a time per project


class TtsSpec(msgspec.Struct, rename="camel"):
    text: str | None = None
    ssml: str | None = None
    settings_id: int | None = None


def tts_problem(tts: TtsSpec, project: Project) -> str | None:
    """The reference's message for what is wrong with a text-to-speech item, if anything."""
    if tts.text is None and tts.ssml is None:
        return "Text to speech ‘text’ and ‘ssml’ is null"
    if tts.ssml is not None:  # "If both text and ssml fields are specified, ssml will be used"
        ssml = tts.ssml.strip()
        if (
            len(tts.ssml) > MAX_TTS_SSML
            or not ssml.startswith(_SPEAK_OPEN)
            or not ssml.endswith(_SPEAK_CLOSE)
        ):
            return "Text to speech ‘ssml’ not valid"
    elif tts.text is not None and len(tts.text) > MAX_TTS_TEXT:
        return "Text to speech ‘text’ not valid"
    if tts.settings_id is None:
        return "Text to speech ‘settingsId’ is null"
    if tts.settings_id not in project.tts_profiles:
        return "Text to speech settings not found by id"
    if not project.speech_synthesis_working:  # a switch of sandbox/account.py
        return "Text to speech failed"
    return None


def _name_problem(name: str | None, project: Project) -> str | None:
    if not name or not name.strip():
        return "Name is empty"
    if len(name) > MAX_AUDIO_NAME:
        return "Name length more than 200 chars"
    if any(audio.name == name for audio in project.audios.values()):
        return "Same name already present"
    return None


def _audio_type(value: object) -> AudioType | None:
    for audio_type in AUDIO_TYPES:
        if value == audio_type:
            return audio_type
    return None


async def upload(request: Request) -> Response:
    """/audio/upload: multipart `name`, `type`, `file`, `temp`; answers the new id in `message`."""
    sandbox = sandbox_of(request)
    project = sandbox.project
    # Our decision: the reference gives no message for an oversized or missing file; they
    # are answered "Validation error: ..." and the name and type checks reuse /audio/tts's.
    too_big = validation_error("file is larger than 15 MB")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_AUDIO_UPLOAD_BYTES + _MULTIPART_OVERHEAD:
        raise too_big
    async with request.form(max_files=1, max_fields=10) as form:
        name = form.get("name")
        name_text = name if isinstance(name, str) else None
        problem = _name_problem(name_text, project)
        if problem is not None:
            raise SandboxError(problem)
        audio_type = _audio_type(form.get("type"))
        if audio_type is None:
            raise SandboxError("type is null")
        file = form.get("file")
        if not isinstance(file, UploadFile):
            raise validation_error("file is required")
        size = file.size if file.size is not None else len(await file.read())
        if size > MAX_AUDIO_UPLOAD_BYTES:
            raise too_big
        if size == 0:
            raise validation_error("file is empty")
        temp = str(form.get("temp", "false")).lower() == "true"
    assert name_text is not None
    audio_id = project.next_id("audio")
    project.audios[audio_id] = Audio(audio_id, name_text, audio_type)
    library = sandbox.endpoints.audio
    library.uploaded_bytes[audio_id] = size
    if temp:
        library.temporary.add(audio_id)
    return success(message=str(audio_id))


class TtsItem(msgspec.Struct, rename="camel"):
    name: str | None = None
    type: str | None = None
    tts: TtsSpec | None = None


class TtsRequest(msgspec.Struct, rename="camel"):
    data: list[TtsItem] | None = None


async def text_to_speech(request: Request) -> Response:
    """/audio/tts: synthesise up to 5 audios; per-item errors travel in `data`."""
    sandbox = sandbox_of(request)
    project, library = sandbox.project, sandbox.endpoints.audio
    if library.tts_running:
        raise SandboxError("Allowed only one simultaneous text to speech request per project")
    body = await json_body(request, TtsRequest)
    if body.data is None:
        raise SandboxError("data is null")
    if not body.data:
        raise SandboxError("data is empty")
    if len(body.data) > MAX_TTS_ITEMS_PER_REQUEST:
        raise SandboxError("Too many elements in data")
    if not (project.service_paid and project.balance_ok and project.billing_allowed):
        raise SandboxError("Service not paid")
    if library.tts_running:  # another request started while this body was being read
        raise SandboxError("Allowed only one simultaneous text to speech request per project")
    library.tts_running = True
    try:
        await anyio.sleep(sandbox.config.tts_delay)
        results = [_synthesise(item, project) for item in body.data]
    finally:
        library.tts_running = False
    return success(message="Success", data=results)


def _synthesise(item: TtsItem, project: Project) -> dict[str, object]:
    audio_type = _audio_type(item.type)
    problem: str | None
    if audio_type is None:
        problem = "type is null"
    else:
        problem = _name_problem(item.name, project)
        if problem is None:
            problem = "tts is null" if item.tts is None else tts_problem(item.tts, project)
    if problem is not None or audio_type is None or item.name is None:
        return {"name": item.name, "id": None, "error": problem}
    audio_id = project.next_id("audio")
    project.audios[audio_id] = Audio(audio_id, item.name, audio_type)
    return {"name": item.name, "id": audio_id, "error": None}
