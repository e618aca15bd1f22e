"""`client.calls` against the sandbox, and what each method sends (fake client)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from resources._fake import FakeClient
from unitalk_async import (
    BadRequestError,
    ConflictError,
    NotFoundError,
    UnavailableError,
    ValidationError,
)
from unitalk_async import _operations as ops
from unitalk_async.models.calls import C2cStep, CallAudio, TextToSpeech
from unitalk_async.models.enums import C2cStepType, LineStatus, WebhookCallState
from unitalk_async.models.history import HistoryFilter
from unitalk_async.resources.calls import CallsResource
from unitalk_async.sandbox.pytest_plugin import SandboxHandle

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def line_with(handle: SandboxHandle, status: LineStatus) -> str:
    return next(line for line, s in handle.sandbox.project.lines.items() if s == status)


def api_audio(handle: SandboxHandle) -> int:
    return next(a.id for a in handle.sandbox.project.audios.values() if a.type == "API")


def tts_profile(handle: SandboxHandle) -> int:
    return next(iter(handle.sandbox.project.tts_profiles))


# --- against the sandbox -----------------------------------------------------------------
async def test_direct_call_rings_an_online_line(unitalk_sandbox: SandboxHandle) -> None:
    online = line_with(unitalk_sandbox, LineStatus.ONLINE)
    async with unitalk_sandbox.client() as client:
        await client.calls.direct_call(online, "+38 (050) 111-22-33", meta="deal 7")
        with pytest.raises(UnavailableError, match="Sip not ready"):
            await client.calls.direct_call(online, "380501112233")  # now in a call
        with pytest.raises(NotFoundError, match="Sip not found"):
            await client.calls.direct_call("99999", "380501112233")


async def test_originate_c2c_and_hangup(unitalk_sandbox: SandboxHandle) -> None:
    online = line_with(unitalk_sandbox, LineStatus.ONLINE)
    steps = [
        C2cStep(type=C2cStepType.SIP, to=online, awaiting_time=20),
        C2cStep(type=C2cStepType.GSM, to="+380 67 000 10 00", awaiting_time=30),
    ]
    async with unitalk_sandbox.client() as client:
        await client.calls.originate_c2c("380501112233", steps)
        assert await client.calls.hangup(number="380501112233") == 1
        assert await client.calls.hangup(number="380501112233") == 0


async def test_originate_new_plays_audios_and_refuses_a_second_call(
    unitalk_sandbox: SandboxHandle,
) -> None:
    audios = [
        CallAudio(id=api_audio(unitalk_sandbox)),
        CallAudio(
            tts=TextToSpeech(text="Your order is ready", settings_id=tts_profile(unitalk_sandbox))
        ),
    ]
    async with unitalk_sandbox.client() as client:
        await client.calls.originate_new("380501112233", audios=audios, meta="order 5")
        with pytest.raises(ConflictError, match="Call already in progress"):
            await client.calls.originate_new("380501112233", audios=audios)


async def test_originate_new_service_errors_are_typed(unitalk_sandbox: SandboxHandle) -> None:
    async with unitalk_sandbox.client() as client:
        with pytest.raises(BadRequestError, match="audios: Audio not found by id"):
            await client.calls.originate_new("380501112233", audios=[CallAudio(id=1)])


async def test_connect_as_prompter(unitalk_sandbox: SandboxHandle) -> None:
    busy = line_with(unitalk_sandbox, LineStatus.BUSY)
    online = line_with(unitalk_sandbox, LineStatus.ONLINE)
    offline = line_with(unitalk_sandbox, LineStatus.OFFLINE)
    async with unitalk_sandbox.client() as client:
        await client.calls.connect_as_prompter(busy, online)
        with pytest.raises(UnavailableError, match="Source is offline"):
            await client.calls.connect_as_prompter(busy, offline)
        with pytest.raises(ConflictError, match="Target is not in call"):
            await client.calls.connect_as_prompter(offline, online)


async def test_analytics_of_an_answered_call(unitalk_sandbox: SandboxHandle) -> None:
    profile = next(iter(unitalk_sandbox.sandbox.project.voice_analytics_profiles))
    async with unitalk_sandbox.client() as client:
        page = await client.history.get(
            datetime(2000, 1, 1),
            datetime(2100, 1, 1),
            limit=50,
            filter=HistoryFilter(answered=True),
        )
        call = next(c for c in page.calls if c.state is WebhookCallState.ANSWER)
        analytics = await client.calls.analytics(call.id, profile)
        assert analytics.profile_id == profile
        assert analytics.analytics()["dialogTopic"].metric_id == 1234
        assert analytics.schema()["type"] == "object"
        with pytest.raises(NotFoundError, match="Call does not exist"):
            await client.calls.analytics(1, profile)


# --- what is sent ------------------------------------------------------------------------
async def test_direct_call_is_form_encoded_and_never_resent() -> None:
    fake = FakeClient('{"status": "Success", "message": "Called"}')
    await CallsResource(fake.as_client()).direct_call("101", "+38 050 111 22 33")
    (sent,) = fake.sent
    assert sent.path == "/phones/directCall"
    assert sent.options["data"] == {"sip": "101", "number": "380501112233"}
    assert sent.op is ops.CALLS_DIRECT_CALL
    assert "json" not in sent.options


async def test_c2c_normalises_gsm_steps_only() -> None:
    fake = FakeClient()
    steps = [
        C2cStep(type=C2cStepType.GSM, to="+380 (67) 000-10-00", awaiting_time=5),
        C2cStep(type=C2cStepType.GROUP, to="455", awaiting_time=300),
    ]
    await CallsResource(fake.as_client()).originate_c2c("+380501112233", steps)
    assert fake.sent[0].body == {
        "clientNumber": "380501112233",
        "steps": [
            {"type": "GSM", "to": "380670001000", "awaitingTime": 5},
            {"type": "GROUP", "to": "455", "awaitingTime": 300},
        ],
    }


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda calls: calls.direct_call("101", "12", meta=None), "number"),
        (lambda calls: calls.direct_call("101", "380501112233", meta="m" * 1001), "meta"),
        (lambda calls: calls.originate_new("380501112233"), "audios"),
        (lambda calls: calls.originate_new("abc", ivr_id=1), "phone"),
        (
            lambda calls: calls.originate_new(
                "380501112233", audios=[CallAudio(tts=TextToSpeech(text="x", settings_id=1))] * 3
            ),
            "audios",
        ),
        (
            lambda calls: calls.originate_c2c(
                "380501112233", [C2cStep(type=C2cStepType.SIP, to="1", awaiting_time=301)]
            ),
            "steps[0].awaiting_time",
        ),
        (
            lambda calls: calls.originate_c2c(
                "380501112233", [C2cStep(type=C2cStepType.GSM, to="1", awaiting_time=30)]
            ),
            "steps[0].to",
        ),
        (lambda calls: calls.hangup(), "id"),
        (lambda calls: calls.connect_as_prompter("", "1"), "target"),
    ],
)
async def test_rule_breaks_are_refused_before_sending(call: Any, field: str) -> None:
    fake = FakeClient()
    with pytest.raises(ValidationError) as caught:
        await call(CallsResource(fake.as_client()))
    assert caught.value.field == field
    assert fake.sent == []


async def test_hangup_by_id_and_by_number_use_their_own_rows() -> None:
    fake = FakeClient('{"status": "Success", "message": "Found: 2"}')
    assert await CallsResource(fake.as_client()).hangup(id=1474427802) == 2
    assert fake.sent[0].body == {"id": 1474427802}
    assert fake.sent[0].op is ops.CALLS_HANGUP_BY_ID
    await CallsResource(fake.as_client()).hangup(number="101")
    assert fake.sent[1].op is ops.CALLS_HANGUP_BY_NUMBER


async def test_analytics_goes_on_the_long_lane_with_query_parameters() -> None:
    fake = FakeClient('{"profileId": 123, "profileName": "Sample", "analyticsJson": "{}"}')
    result = await CallsResource(fake.as_client()).analytics(55, 123, timeout=600)
    assert result.profile_name == "Sample"
    (sent,) = fake.sent
    assert sent.path == "/calls/analytics/create"
    assert sent.options["params"] == {"callId": 55, "profileId": 123}
    assert sent.op is ops.CALLS_ANALYTICS
    assert sent.options["timeout"] == 600
