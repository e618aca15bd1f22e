"""`client.audio`: uploads (path, bytes, file object; 15 MB cap) and synthesis."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from resources._fake import FakeClient
from unitalk_async import ResponseDecodeError, ValidationError
from unitalk_async import _operations as ops
from unitalk_async._reference import MAX_AUDIO_UPLOAD_BYTES
from unitalk_async.models.audio import TtsItem
from unitalk_async.models.calls import TextToSpeech
from unitalk_async.models.enums import AudioType
from unitalk_async.resources.audio import AudioResource
from unitalk_async.sandbox.pytest_plugin import SandboxHandle

pytestmark = pytest.mark.anyio
UPLOAD_OK = '{"status": "Success", "message": "432"}'


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def tts_item(name: str, settings_id: int, type: AudioType = AudioType.API) -> TtsItem:
    return TtsItem(
        name=name, type=type, tts=TextToSpeech(text=f"Say {name}", settings_id=settings_id)
    )


# --- against the sandbox -----------------------------------------------------------------
async def test_upload_from_path_bytes_and_file_object(
    unitalk_sandbox: SandboxHandle, tmp_path: Path
) -> None:
    path = tmp_path / "hold.mp3"
    path.write_bytes(b"ID3" + b"\0" * 1000)
    audios = unitalk_sandbox.sandbox.project.audios
    async with unitalk_sandbox.client() as client:
        from_path = await client.audio.upload("hold music", AudioType.MELODY, path)
        from_bytes = await client.audio.upload("greeting", "API", b"RIFF....WAVE", temp=True)
        with path.open("rb") as file:
            from_file = await client.audio.upload("ivr intro", AudioType.IVR, file)
    assert len({from_path, from_bytes, from_file}) == 3
    assert audios[from_path].name == "hold music"
    assert audios[from_bytes].type == "API"
    assert from_bytes in unitalk_sandbox.sandbox.endpoints.audio.temporary
    assert unitalk_sandbox.sandbox.endpoints.audio.uploaded_bytes[from_file] == 1003


async def test_tts_reports_each_item(unitalk_sandbox: SandboxHandle) -> None:
    profile = next(iter(unitalk_sandbox.sandbox.project.tts_profiles))
    async with unitalk_sandbox.client() as client:
        first = await client.audio.tts([tts_item("welcome", profile)])
        again = await client.audio.tts(
            [tts_item("welcome", profile), tts_item("goodbye", profile, AudioType.AUTODIAL)]
        )
    assert first[0].ok and first[0].name == "welcome"
    assert (again[0].id, again[0].error) == (None, "Same name already present")
    assert again[1].ok
    assert unitalk_sandbox.sandbox.project.audios[again[1].id].type == "AUTODIAL"


# --- what is sent ------------------------------------------------------------------------
async def test_upload_is_multipart_with_text_fields_and_the_file() -> None:
    fake = FakeClient(UPLOAD_OK)
    assert (
        await AudioResource(fake.as_client()).upload(
            "greeting", "API", io.BytesIO(b"abc"), temp=False, filename="g.wav"
        )
        == 432
    )
    (sent,) = fake.sent
    assert sent.path == "/audio/upload"
    assert sent.options["data"] == {"name": "greeting", "type": "API", "temp": "false"}
    assert sent.options["files"] == {"file": ("g.wav", b"abc", "application/octet-stream")}
    assert sent.op is ops.AUDIO_UPLOAD


async def test_more_than_15_mb_is_refused_before_sending(tmp_path: Path) -> None:
    fake = FakeClient(UPLOAD_OK)
    audio = AudioResource(fake.as_client())
    big = tmp_path / "big.wav"
    with big.open("wb") as file:
        file.truncate(MAX_AUDIO_UPLOAD_BYTES + 1)
    for source in (big, io.BytesIO(b"\0" * (MAX_AUDIO_UPLOAD_BYTES + 1))):
        with pytest.raises(ValidationError) as caught:
            await audio.upload("big", AudioType.API, source)
        assert caught.value.field == "file"
    big.write_bytes(b"\0" * MAX_AUDIO_UPLOAD_BYTES)  # exactly 15 MB is fine
    assert await audio.upload("big", AudioType.API, big) == 432
    assert len(fake.sent) == 1


@pytest.mark.parametrize(
    ("name", "type", "field"),
    [("", "API", "name"), ("n" * 201, "API", "name"), ("x", "PODCAST", "type")],
)
async def test_upload_name_and_type_are_checked(name: str, type: str, field: str) -> None:
    fake = FakeClient(UPLOAD_OK)
    with pytest.raises(ValidationError) as caught:
        await AudioResource(fake.as_client()).upload(name, type, b"abc")
    assert caught.value.field == field
    assert fake.sent == []


async def test_an_upload_answer_without_an_id_is_a_decode_error() -> None:
    fake = FakeClient('{"status": "Success", "message": "Success"}')
    with pytest.raises(ResponseDecodeError):
        await AudioResource(fake.as_client()).upload("x", "API", b"abc")


async def test_tts_takes_1_to_5_items_under_the_tts_mutex() -> None:
    fake = FakeClient('{"status": "Success", "data": [{"name": "a", "id": 1, "error": null}]}')
    audio = AudioResource(fake.as_client())
    (result,) = await audio.tts([tts_item("a", 1)])
    assert result.id == 1
    assert fake.sent[0].op is ops.AUDIO_TTS
    for count in (0, 6):
        with pytest.raises(ValidationError) as caught:
            await audio.tts([tts_item(f"a{i}", 1) for i in range(count)])
        assert caught.value.field == "items"
    assert len(fake.sent) == 1


@pytest.mark.parametrize("anyio_backend", ["trio"])
async def test_upload_reads_the_file_in_a_worker_thread_under_trio_too(
    unitalk_sandbox: SandboxHandle, tmp_path: Path
) -> None:
    path = tmp_path / "menu.ogg"
    path.write_bytes(b"OggS" * 10)
    async with unitalk_sandbox.client() as client:
        new_id = await client.audio.upload("menu", AudioType.IVR, path)
    assert unitalk_sandbox.sandbox.endpoints.audio.uploaded_bytes[new_id] == 40
