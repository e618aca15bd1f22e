"""Call models: the reference's examples round-trip; the rules are checked before sending."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from models._examples import example, round_trip
from unitalk_async import ValidationError
from unitalk_async.models._envelope import Envelope
from unitalk_async.models.calls import (
    C2cStep,
    CallAudio,
    ConnectAsPrompterRequest,
    DirectCallRequest,
    HangupRequest,
    OriginateC2cRequest,
    OriginateNewRequest,
    TextToSpeech,
    require_phone,
    wire_datetime,
)
from unitalk_async.models.enums import C2cStepType

TTS = TextToSpeech(text="Hello", settings_id=18)


# --- examples ----------------------------------------------------------------------------
def test_direct_call_answer_round_trips() -> None:
    answer = round_trip(example("/phones/directCall Mode"), Envelope[None])
    assert answer.message == "Called"


def test_originate_new_request_example_round_trips() -> None:
    request = round_trip(example("/calls/originateNew Mode"), OriginateNewRequest)
    assert request.phone == "380503332211"
    assert request.outer_line is None
    assert request.audios[0] == CallAudio(id=4953, tts=None)
    assert request.audios[1].tts == TextToSpeech(
        text="text for voiceover", ssml="text for voiceover", settings_id=18
    )


def test_originate_new_answer_round_trips() -> None:
    text = example("/calls/originateNew Mode", 1)
    assert round_trip(text, Envelope[None]).status == "Success"


def test_hangup_examples_round_trip() -> None:
    request = round_trip(example("/calls/hangup Mode"), HangupRequest)
    assert request == HangupRequest(number=None, id=1474427802)
    answer = round_trip(example("/calls/hangup Mode", 1), Envelope[None])
    assert answer.message == "Found: 1"


def test_prompter_examples_round_trip() -> None:
    request = round_trip(
        example("Relative path: /calls/connectAsPrompter"), ConnectAsPrompterRequest
    )
    assert (request.target, request.source) == ("1111", "2222")
    round_trip(example("Relative path: /calls/connectAsPrompter", 1), Envelope[None])


# --- direct call -------------------------------------------------------------------------
def test_direct_call_form_leaves_out_unset_meta() -> None:
    assert DirectCallRequest(sip="101", number="380501112233").form() == {
        "sip": "101",
        "number": "380501112233",
    }
    with_meta = DirectCallRequest(sip="101", number="380501112233", meta="deal 7")
    assert with_meta.form()["meta"] == "deal 7"


def test_meta_over_1000_characters_is_refused() -> None:
    DirectCallRequest(sip="1", number="380501112233", meta="m" * 1000).validate()
    with pytest.raises(ValidationError) as caught:
        DirectCallRequest(sip="1", number="380501112233", meta="m" * 1001).validate()
    assert caught.value.field == "meta"
    assert "1000" in caught.value.rule


# --- click to call -----------------------------------------------------------------------
@pytest.mark.parametrize("seconds", [5, 300])
def test_c2c_awaiting_time_bounds_are_accepted(seconds: int) -> None:
    step = C2cStep(type=C2cStepType.SIP, to="101", awaiting_time=seconds)
    OriginateC2cRequest(client_number="380501112233", steps=[step]).validate()


@pytest.mark.parametrize("seconds", [4, 301])
def test_c2c_awaiting_time_out_of_range_names_the_step(seconds: int) -> None:
    step = C2cStep(type=C2cStepType.GSM, to="380501112233", awaiting_time=seconds)
    request = OriginateC2cRequest(client_number="380501112233", steps=[step])
    with pytest.raises(ValidationError) as caught:
        request.validate()
    assert caught.value.field == "steps[0].awaiting_time"


def test_c2c_needs_a_step_of_a_known_type() -> None:
    with pytest.raises(ValidationError, match="steps"):
        OriginateC2cRequest(client_number="380501112233", steps=[]).validate()
    odd = C2cStep(type=C2cStepType("FAX"), to="1", awaiting_time=30)
    with pytest.raises(ValidationError) as caught:
        OriginateC2cRequest(client_number="380501112233", steps=[odd]).validate()
    assert caught.value.field == "steps[0].type"


def test_c2c_encodes_the_readme_shape() -> None:
    from unitalk_async._codec import to_builtins

    step = C2cStep(type=C2cStepType.GROUP, to="455", awaiting_time=20)
    assert to_builtins(OriginateC2cRequest(client_number="380501112233", steps=[step])) == {
        "clientNumber": "380501112233",
        "steps": [{"type": "GROUP", "to": "455", "awaitingTime": 20}],
    }


# --- originateNew ------------------------------------------------------------------------
def test_originate_new_needs_audios_ivr_or_voice_secretary() -> None:
    with pytest.raises(ValidationError) as caught:
        OriginateNewRequest(phone="380501112233").validate()
    assert caught.value.field == "audios"
    OriginateNewRequest(phone="380501112233", ivr_id=1).validate()
    OriginateNewRequest(phone="380501112233", voice_secretary_id=2).validate()
    OriginateNewRequest(phone="380501112233", audios=[CallAudio(id=1)]).validate()


def test_originate_new_allows_five_audios_of_which_two_tts() -> None:
    audios = [
        CallAudio(id=1),
        CallAudio(id=2),
        CallAudio(id=3),
        CallAudio(tts=TTS),
        CallAudio(tts=TTS),
    ]
    OriginateNewRequest(phone="380501112233", audios=audios).validate()
    with pytest.raises(ValidationError) as caught:
        OriginateNewRequest(phone="380501112233", audios=[*audios, CallAudio(id=4)]).validate()
    assert caught.value.field == "audios"
    three_tts = [CallAudio(tts=TTS)] * 3
    with pytest.raises(ValidationError, match="at most 2"):
        OriginateNewRequest(phone="380501112233", audios=three_tts).validate()


def test_an_audio_with_both_id_and_tts_plays_the_id_and_is_not_counted_as_tts() -> None:
    both = CallAudio(id=5, tts=TTS)
    assert not both.is_tts
    OriginateNewRequest(
        phone="380501112233", audios=[both, both, both, CallAudio(tts=TTS)]
    ).validate()


def test_an_empty_audio_element_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        OriginateNewRequest(phone="380501112233", audios=[CallAudio()]).validate()
    assert caught.value.field == "audios[0]"


# --- text to speech ----------------------------------------------------------------------
def test_tts_text_is_limited_to_4960_characters() -> None:
    ok = CallAudio(tts=TextToSpeech(text="a" * 4960, settings_id=1))
    OriginateNewRequest(phone="380501112233", audios=[ok]).validate()
    long = CallAudio(tts=TextToSpeech(text="a" * 4961, settings_id=1))
    with pytest.raises(ValidationError) as caught:
        OriginateNewRequest(phone="380501112233", audios=[long]).validate()
    assert caught.value.field == "audios[0].tts.text"


def test_tts_ssml_is_limited_to_5000_characters_and_wrapped_in_speak() -> None:
    body = "a" * (5000 - len("<speak></speak>"))
    ok = CallAudio(tts=TextToSpeech(ssml=f"<speak>{body}</speak>", settings_id=1))
    OriginateNewRequest(phone="380501112233", audios=[ok]).validate()
    too_long = CallAudio(tts=TextToSpeech(ssml=f"<speak>{body}a</speak>", settings_id=1))
    with pytest.raises(ValidationError) as caught:
        OriginateNewRequest(phone="380501112233", audios=[too_long]).validate()
    assert caught.value.field == "audios[0].tts.ssml"
    with pytest.raises(ValidationError, match="speak"):
        TextToSpeech(ssml="plain words", settings_id=1).validate()


def test_tts_needs_text_or_ssml_and_settings_id() -> None:
    with pytest.raises(ValidationError) as caught:
        TextToSpeech(settings_id=1).validate()
    assert caught.value.field == "tts.text"
    with pytest.raises(ValidationError) as caught:
        TextToSpeech(text="hi").validate("data[2].tts")
    assert caught.value.field == "data[2].tts.settings_id"


# --- hangup, prompter --------------------------------------------------------------------
def test_hangup_needs_an_id_or_a_number() -> None:
    with pytest.raises(ValidationError):
        HangupRequest().validate()
    HangupRequest(id=1).validate()
    HangupRequest(number="101").validate()


def test_prompter_needs_both_lines() -> None:
    with pytest.raises(ValidationError) as caught:
        ConnectAsPrompterRequest(target="", source="2").validate()
    assert caught.value.field == "target"


# --- shared helpers ----------------------------------------------------------------------
def test_require_phone_normalises_or_names_the_field() -> None:
    assert require_phone("+38 (050) 111-22-33", "to") == "380501112233"
    with pytest.raises(ValidationError) as caught:
        require_phone("12-34", "to")
    assert caught.value.field == "to"
    assert caught.value.value == "12-34"


def test_wire_datetime_refuses_aware_datetimes_as_a_validation_error() -> None:
    assert str(wire_datetime(datetime(2024, 1, 2, 3, 4, 5), "x")) == "2024-01-02 03:04:05"
    with pytest.raises(ValidationError) as caught:
        wire_datetime(datetime(2024, 1, 2, tzinfo=UTC), "date_from")
    assert caught.value.field == "date_from"
