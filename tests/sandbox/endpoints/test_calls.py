"""/phones/directCall, /calls/originateC2c, /calls/originateNew, /calls/hangup,
/calls/connectAsPrompter."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Api

pytestmark = pytest.mark.anyio


def line_with(api: Api, status: str) -> str:
    return next(line for line, s in api.sandbox.project.lines.items() if s == status)


def api_audio(api: Api, audio_type: str = "API") -> int:
    audio_id: int = next(iter(api.sandbox.project.audios_of(audio_type)))
    return audio_id


async def test_direct_call_takes_a_form_or_url_parameters(api: Api) -> None:
    online = line_with(api, "online")
    body = await api.ok("/phones/directCall", data={"sip": online, "number": "+380 50 444-33-22"})
    assert body == {"status": "Success", "message": "Called"}
    newest = api.state.history.rows[-1]
    assert (newest.direction, newest.caller, newest.callee) == ("OUT", online, "380504443322")
    # The line is now in a call: a second call from it is refused, by URL parameters too.
    await api.fails(
        "/phones/directCall", params={"sip": online, "number": "380504443322"},
        message="Sip not ready",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"sip": "999", "number": "380504443322"}, "Sip not found"),
        ({"sip": "<offline>", "number": "380504443322"}, "Sip not ready"),
        ({"sip": "<busy>", "number": "380504443322"}, "Sip not ready"),
        ({"sip": "<online>", "number": "12-34"}, "Wrong phone"),
        ({"sip": "<online>", "number": "380504443322", "meta": "m" * 1001}, "Meta info is too big"),
    ],
)
async def test_direct_call_errors(api: Api, params: dict[str, str], message: str) -> None:
    if params["sip"].startswith("<"):
        params = params | {"sip": line_with(api, params["sip"].strip("<>"))}
    await api.fails("/phones/directCall", data=params, message=message)


async def test_c2c_call_lands_in_the_call_history(api: Api) -> None:
    online = line_with(api, "online")
    steps = [
        {"type": "SIP", "to": online, "awaitingTime": 20},
        {"type": "GROUP", "to": str(next(iter(api.sandbox.project.groups))), "awaitingTime": 30},
        {"type": "GSM", "to": "380501112233", "awaitingTime": 300},
    ]
    body = await api.ok("/calls/originateC2c", {"clientNumber": "380971234567", "steps": steps})
    assert body == {"status": "Success"}
    everything = {"dateFrom": "2000-01-01 00:00:00", "dateTo": "2100-01-01 00:00:00"}
    newest = (await api.ok("/history/get", everything | {"limit": 1}))["calls"][0]
    assert newest["dbid"] == 601
    assert (newest["source"], newest["direction"], newest["from"], newest["to"]) == (
        "C2C_API", "IN", "380971234567", [online],
    )  # fmt: skip
    assert newest["date"] == "2026-03-02 12:00:00"
    # The call is in progress: it can be hung up by the id the history shows.
    hung_up = await api.ok("/calls/hangup", {"id": newest["id"]})
    assert hung_up["message"] == "Found: 1"


def c2c(step_type: str, to: object, awaiting: int = 5) -> dict[str, Any]:
    step = {"type": step_type, "to": to, "awaitingTime": awaiting}
    return {"clientNumber": "380971234567", "steps": [step]}


@pytest.mark.parametrize(
    ("request_body", "message"),
    [
        ({"clientNumber": "12", "steps": []}, "Wrong phone"),
        ({"clientNumber": "380971234567", "steps": []}, "Empty request"),
        ({"clientNumber": "380971234567"}, "Empty request"),
        (c2c("SIP", "9"), "Sip not found"),
        (c2c("GROUP", 1), "Group not found"),
        (c2c("GSM", "1"), "Wrong phone"),
        (
            c2c("GSM", "380501112233", awaiting=4),
            "Validation error: awaitingTime must be from 5 to 300 seconds",
        ),
    ],
)
async def test_c2c_errors(api: Api, request_body: dict[str, Any], message: str) -> None:
    await api.fails("/calls/originateC2c", request_body, message=message)


async def test_originate_new_with_audio_and_tts(api: Api) -> None:
    audios = [
        {"id": api_audio(api), "tts": None},
        {"id": None, "tts": {"text": "Hello", "settingsId": 18}},
        {"id": None, "tts": {"ssml": "<speak>Hi</speak>", "text": "x" * 9999, "settingsId": 16}},
    ]
    body = await api.ok("/calls/originateNew", {"phone": "380503332211", "audios": audios})
    assert body == {"status": "Success"}
    await api.fails(
        "/calls/originateNew", {"phone": "380503332211", "ivrId": 211},
        message="Call already in progress",
    )  # fmt: skip
    api.clock.advance(61)  # the first call has ended
    await api.ok("/calls/originateNew", {"phone": "380503332211", "ivrId": 211})


async def test_originate_new_limit_of_20_simultaneous_calls(api: Api) -> None:
    for n in range(20):
        await api.ok("/calls/originateNew", {"phone": f"3805000000{n:02d}", "ivrId": 211})
    await api.fails(
        "/calls/originateNew", {"phone": "380509999999", "ivrId": 211},
        message="Limit of Simultaneously calls has reached",
    )  # fmt: skip
    hung_up = await api.ok("/calls/hangup", {"number": "380500000000", "id": None})
    assert hung_up == {"status": "Success", "message": "Found: 1"}
    await api.ok("/calls/originateNew", {"phone": "380509999999", "ivrId": 211})


def tts(**fields: Any) -> dict[str, Any]:
    return {"phone": "380503332211", "audios": [{"id": None, "tts": fields}]}


@pytest.mark.parametrize(
    ("request_body", "message"),
    [
        ({"phone": "12", "ivrId": 211}, "Wrong phone"),
        ({"phone": "380503332211", "ivrId": 211, "meta": "m" * 1001}, "Meta info is too big"),
        (
            {"phone": "380503332211", "ivrId": 211, "outerLine": "380000000000"},
            "Outer line not found",
        ),
        ({"phone": "380503332211"}, "No audio and IVR"),
        ({"phone": "380503332211", "audios": []}, "No audio and IVR"),
        ({"phone": "380503332211", "ivrId": 1}, "IVR can be used for SIPs only"),
        ({"phone": "380503332211", "voiceSecretaryId": 1}, "Voice secretary not found"),
        ({"phone": "380503332211", "audios": [{"id": 46600}] * 6}, "audios: Too many audios"),
        (
            {"phone": "380503332211", "audios": [{"tts": {"text": "a", "settingsId": 18}}] * 3},
            "audios: Too many text to speech",
        ),
        ({"phone": "380503332211", "audios": [None]}, "audios: Audio is null"),
        (
            {"phone": "380503332211", "audios": [{"id": None, "tts": None}]},
            "audios: Audio is empty",
        ),
        ({"phone": "380503332211", "audios": [{"id": 1}]}, "audios: Audio not found by id"),
        (tts(settingsId=18), "audios: Text to speech ‘text’ and ‘ssml’ is null"),
        (tts(text="x" * 4961, settingsId=18), "audios: Text to speech ‘text’ not valid"),
        (tts(ssml="no speak tag", settingsId=18), "audios: Text to speech ‘ssml’ not valid"),
        (
            tts(ssml="<speak>" + "x" * 4990 + "</speak>", settingsId=18),
            "audios: Text to speech ‘ssml’ not valid",
        ),
        (tts(text="hi"), "audios: Text to speech ‘settingsId’ is null"),
        (tts(text="hi", settingsId=999), "audios: Text to speech settings not found by id"),
    ],
)
async def test_originate_new_errors(api: Api, request_body: dict[str, Any], message: str) -> None:
    await api.fails("/calls/originateNew", request_body, message=message)


async def test_originate_new_audio_rules_that_need_the_project(api: Api) -> None:
    project = api.sandbox.project
    tracked = next(n for n, line in project.outer_lines.items() if line.tracked)
    free = next(n for n, line in project.outer_lines.items() if not line.tracked)
    request = {"phone": "380503332211", "ivrId": 211}
    await api.fails("/calls/originateNew", request | {"outerLine": tracked},
                    message="Outer line is tracked")  # fmt: skip
    autodial_audio = {"id": api_audio(api, "AUTODIAL")}
    await api.fails(
        "/calls/originateNew", {"phone": "380503332211", "audios": [autodial_audio]},
        message="audios: Wrong type of audio",
    )  # fmt: skip
    await api.ok("/calls/originateNew", request | {"outerLine": free})
    project.balance_ok = False
    await api.fails("/calls/originateNew", {"phone": "380501110000", "ivrId": 211},
                    message="Service not paid")  # fmt: skip


async def test_hangup(api: Api) -> None:
    await api.fails("/calls/hangup", {"number": None, "id": None}, message="Empty request")
    assert await api.ok("/calls/hangup", {"id": 1}) == {"status": "Success", "message": "Found: 0"}
    online = line_with(api, "online")
    await api.ok("/phones/directCall", data={"sip": online, "number": "380504443322"})
    found = await api.ok("/calls/hangup", {"number": online, "id": None})
    assert found["message"] == "Found: 1"
    await api.ok("/phones/directCall", data={"sip": online, "number": "380504443322"})


async def test_connect_as_prompter(api: Api) -> None:
    online, busy, offline = (line_with(api, s) for s in ("online", "busy", "offline"))
    assert await api.ok("/calls/connectAsPrompter", {"target": busy, "source": online}) == {
        "status": "Success"
    }
    await api.fails("/calls/connectAsPrompter", {"target": "1", "source": online},
                    message="Target not found")  # fmt: skip
    await api.fails("/calls/connectAsPrompter", {"target": online, "source": busy},
                    message="Target is not in call")  # fmt: skip
    await api.fails("/calls/connectAsPrompter", {"target": busy, "source": "1"},
                    message="Source not found")  # fmt: skip
    await api.fails("/calls/connectAsPrompter", {"target": busy, "source": offline},
                    message="Source is offline")  # fmt: skip
    # A line in a call started through the API is "in call" too.
    await api.ok("/phones/directCall", data={"sip": online, "number": "380504443322"})
    await api.ok("/calls/connectAsPrompter", {"target": online, "source": busy})
