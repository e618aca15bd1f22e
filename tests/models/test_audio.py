"""Audio models: /audio/tts examples round-trip; names, types and item counts are checked."""

from __future__ import annotations

import pytest

from models._examples import example, round_trip
from unitalk_async import ValidationError
from unitalk_async.models._envelope import Envelope
from unitalk_async.models.audio import AudioUploadRequest, TtsItem, TtsRequest, TtsResult
from unitalk_async.models.calls import TextToSpeech
from unitalk_async.models.enums import AudioType

TTS = TextToSpeech(text="Hello", settings_id=18)


def item(name: str = "greeting", type: AudioType = AudioType.API) -> TtsItem:
    return TtsItem(name=name, type=type, tts=TTS)


def test_upload_answer_carries_the_id_in_message() -> None:
    answer = round_trip(example("If successful, message will return the id"), Envelope[None])
    assert answer.message == "432"


def test_tts_request_example_round_trips() -> None:
    request = round_trip(example("/audio/tts Mode"), TtsRequest)
    assert [entry.type for entry in request.data] == [AudioType.AUTODIAL, AudioType.API]
    assert request.data[1].tts.text is None


def test_tts_answer_example_round_trips_with_per_item_outcomes() -> None:
    answer = round_trip(example("/audio/tts Mode", 1), Envelope[list[TtsResult]])
    ok, failed = answer.data
    assert (ok.name, ok.id, ok.ok) == ("audio for calling", 4962, True)
    assert (failed.id, failed.error, failed.ok) == (None, "Same name already present", False)


@pytest.mark.parametrize("count", [1, 5])
def test_one_to_five_tts_items_are_accepted(count: int) -> None:
    TtsRequest(data=[item(f"a{i}") for i in range(count)]).validate()


@pytest.mark.parametrize("count", [0, 6])
def test_other_tts_item_counts_are_refused(count: int) -> None:
    with pytest.raises(ValidationError) as caught:
        TtsRequest(data=[item(f"a{i}") for i in range(count)]).validate()
    assert caught.value.field == "data"


def test_tts_item_name_is_1_to_200_characters() -> None:
    TtsRequest(data=[item("n" * 200)]).validate()
    for name in ("", "n" * 201):
        with pytest.raises(ValidationError) as caught:
            TtsRequest(data=[item(name)]).validate()
        assert caught.value.field == "data[0].name"


def test_tts_item_rules_name_the_item() -> None:
    bad = TtsItem(name="x", type=AudioType.API, tts=TextToSpeech(ssml="no tags", settings_id=1))
    with pytest.raises(ValidationError) as caught:
        TtsRequest(data=[item(), bad]).validate()
    assert caught.value.field == "data[1].tts.ssml"


def test_an_unknown_audio_type_is_refused_before_sending() -> None:
    with pytest.raises(ValidationError) as caught:
        TtsRequest(data=[item(type=AudioType("PODCAST"))]).validate()
    assert caught.value.field == "data[0].type"
    with pytest.raises(ValidationError) as caught:
        AudioUploadRequest(name="x", type=AudioType("PODCAST")).validate()
    assert caught.value.field == "type"


def test_upload_form_fields() -> None:
    request = AudioUploadRequest(name="hold music", type=AudioType.MELODY, temp=True)
    request.validate()
    assert request.form() == {"name": "hold music", "type": "MELODY", "temp": "true"}
    assert "temp" not in AudioUploadRequest(name="a", type=AudioType.IVR).form()
    with pytest.raises(ValidationError) as caught:
        AudioUploadRequest(name="n" * 201, type=AudioType.IVR).validate()
    assert caught.value.field == "name"
