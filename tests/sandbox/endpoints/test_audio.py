"""/audio/upload (multipart, 15 MB cap) and /audio/tts (one request at a time per project)."""

from __future__ import annotations

import functools
from typing import Any

import anyio
import pytest

from unitalk_async._reference import MAX_AUDIO_UPLOAD_BYTES

from .conftest import Api, ApiFactory, wait_until

pytestmark = pytest.mark.anyio
WAV = b"RIFF....WAVEfmt " + bytes(64)


def form(
    name: str | None = "greeting", audio_type: str | None = "API", **extra: str
) -> dict[str, str]:
    fields = {"name": name, "type": audio_type, **extra}
    return {key: value for key, value in fields.items() if value is not None}


async def test_upload_answers_the_new_id_in_message(api: Api) -> None:
    body = await api.ok(
        "/audio/upload", data=form(temp="true"), files={"file": ("a.wav", WAV, "audio/wav")}
    )
    assert body["status"] == "Success"
    audio_id = int(body["message"])
    assert api.sandbox.project.audios[audio_id].type == "API"
    assert audio_id in api.state.audio.temporary
    assert api.state.audio.uploaded_bytes[audio_id] == len(WAV)
    listed = await api.ok("/dictionary", params={"type": "AUDIO_API"})
    assert listed["data"][str(audio_id)] == "greeting"
    # The new audio can be played in an API call.
    await api.ok("/calls/originateNew", {"phone": "380501234567", "audios": [{"id": audio_id}]})


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (form(name=None), "Name is empty"),
        (form(name=" "), "Name is empty"),
        (form(name="n" * 201), "Name length more than 200 chars"),
        (form(name="api_audio_1"), "Same name already present"),
        (form(audio_type=None), "type is null"),
        (form(audio_type="VOICE"), "type is null"),
    ],
)
async def test_upload_errors(api: Api, fields: dict[str, str], message: str) -> None:
    await api.fails("/audio/upload", data=fields, files={"file": ("a.wav", WAV)}, message=message)


async def test_upload_needs_a_file(api: Api) -> None:
    await api.fails(
        "/audio/upload",
        files={"name": (None, "x"), "type": (None, "IVR")},
        message="Validation error: file is required",
    )


async def test_upload_caps_files_at_15_mb(api: Api) -> None:
    largest = bytes(MAX_AUDIO_UPLOAD_BYTES)
    body = await api.ok("/audio/upload", data=form(name="big"), files={"file": ("a", largest)})
    assert api.state.audio.uploaded_bytes[int(body["message"])] == MAX_AUDIO_UPLOAD_BYTES
    await api.fails(
        "/audio/upload",
        data=form(name="too big"),
        files={"file": ("a", largest + b"x")},
        message="Validation error: file is larger than 15 MB",
    )
    assert not any(a.name == "too big" for a in api.sandbox.project.audios.values())


def item(
    name: str | None = "hello", audio_type: str | None = "AUTODIAL", **tts: Any
) -> dict[str, Any]:
    return {"name": name, "type": audio_type, "tts": tts or {"text": "Hello", "settingsId": 18}}


async def test_tts_answers_one_result_per_item(api: Api) -> None:
    ssml = item(name="ssml", ssml="<speak>x</speak>", settingsId=16)
    body = await api.ok("/audio/tts", {"data": [item(), item(name="hello"), ssml]})
    assert body["status"] == "Success"
    assert body["message"] == "Success"
    first, duplicate, from_ssml = body["data"]
    assert first["name"] == "hello"
    assert first["error"] is None
    assert api.sandbox.project.audios[first["id"]].type == "AUTODIAL"
    assert duplicate == {"name": "hello", "id": None, "error": "Same name already present"}
    assert from_ssml["error"] is None
    assert isinstance(from_ssml["id"], int)


@pytest.mark.parametrize(
    ("entry", "error"),
    [
        (item(audio_type=None), "type is null"),
        (item(name=""), "Name is empty"),
        (item(name="n" * 201), "Name length more than 200 chars"),
        ({"name": "x", "type": "API", "tts": None}, "tts is null"),
        (item(settingsId=18), "Text to speech ‘text’ and ‘ssml’ is null"),
        (item(text="x" * 4961, settingsId=18), "Text to speech ‘text’ not valid"),
        (item(ssml="<p>x</p>", settingsId=18), "Text to speech ‘ssml’ not valid"),
        (item(text="x"), "Text to speech ‘settingsId’ is null"),
        (item(text="x", settingsId=1), "Text to speech settings not found by id"),
    ],
)
async def test_tts_item_errors(api: Api, entry: dict[str, Any], error: str) -> None:
    body = await api.ok("/audio/tts", {"data": [entry]})
    assert body["data"] == [{"name": entry["name"], "id": None, "error": error}]


@pytest.mark.parametrize(
    ("request_body", "message"),
    [
        ({}, "data is null"),
        ({"data": None}, "data is null"),
        ({"data": []}, "data is empty"),
        ({"data": [item(name=str(n)) for n in range(6)]}, "Too many elements in data"),
    ],
)
async def test_tts_errors(api: Api, request_body: dict[str, Any], message: str) -> None:
    await api.fails("/audio/tts", request_body, message=message)


async def test_tts_service_not_paid(api: Api) -> None:
    api.sandbox.project.balance_ok = False
    await api.fails("/audio/tts", {"data": [item()]}, message="Service not paid")


async def test_tts_one_request_at_a_time(make_api: ApiFactory) -> None:
    api: Api = await make_api(tts_delay=0.2)
    async with anyio.create_task_group() as tg:
        tg.start_soon(functools.partial(api.ok, "/audio/tts", {"data": [item(name="first")]}))
        await wait_until(lambda: api.state.audio.tts_running)
        await api.fails(
            "/audio/tts",
            {"data": [item(name="second")]},
            message="Allowed only one simultaneous text to speech request per project",
        )
    assert not api.state.audio.tts_running
    body = await api.ok("/audio/tts", {"data": [item(name="second")]})
    assert body["data"][0]["error"] is None
