"""What goes on the wire for each M2 endpoint (respx under a real `UnitalkClient`).

README "API notes": methods marked `Content-Type: —` or form-encoded take URL query
parameters, /phones/directCall is a form, /audio/upload multipart, the rest JSON.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from unitalk_async import UnitalkClient
from unitalk_async.models.audio import TtsItem
from unitalk_async.models.calls import C2cStep, CallAudio, TextToSpeech
from unitalk_async.models.distributions import SmsDistribution
from unitalk_async.models.enums import AudioType, C2cStepType, ListName, MessageType

pytestmark = pytest.mark.anyio
BASE = "https://api.unitalk.cloud/api"
OK: dict[str, Any] = {"status": "Success"}

Call = Callable[[UnitalkClient], Awaitable[Any]]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def send(call: Call, answer: Any) -> httpx.Request:
    with respx.mock(base_url=BASE, assert_all_called=True) as router:
        route = router.post(url__regex=r".*").respond(json=answer)
        async with UnitalkClient("test-key") as client:
            await call(client)
    request: httpx.Request = route.calls.last.request
    assert request.headers["Authorization"] == "test-key"
    return request


QUERY_CASES: list[tuple[str, Call, Any, dict[str, str]]] = [
    (
        "/users/workHistory",
        lambda c: c.users.work_history(date(2024, 1, 1)),
        {"users": {}},
        {"date": "2024-01-01"},
    ),
    (
        "/phones/inner/setStatus",
        lambda c: c.phones.set_status("101", "STOP", status_name="Day off"),
        OK,
        {"number": "101", "status": "STOP", "statusName": "Day off"},
    ),
    (
        "/calls/analytics/create",
        lambda c: c.calls.analytics(5, 6),
        {"profileId": 6},
        {"callId": "5", "profileId": "6"},
    ),
    (
        "/message/getStatus",
        lambda c: c.messages.get_status(12345),
        {"status": "Success", "data": {"messageStatus": "SENT", "errorText": None}},
        {"id": "12345"},
    ),
    ("/messageDistribution/remove", lambda c: c.distributions.remove(1234), OK, {"id": "1234"}),
    (
        "/messageDistribution/setPaused",
        lambda c: c.distributions.set_paused(1234, True),
        OK,
        {"id": "1234", "paused": "true"},
    ),
    (
        "/dictionary",
        lambda c: c.dictionary("IVR"),
        {"status": "Success", "data": {}},
        {"type": "IVR"},
    ),
]


@pytest.mark.parametrize(
    ("path", "call", "answer", "query"), QUERY_CASES, ids=[c[0] for c in QUERY_CASES]
)
async def test_query_parameter_methods(
    path: str, call: Call, answer: Any, query: dict[str, str]
) -> None:
    request = await send(call, answer)
    assert request.url.path == "/api" + path
    assert dict(request.url.params) == query
    assert request.content == b""


EMPTY_CASES: list[tuple[str, Call, Any]] = [
    ("/users/list", lambda c: c.users.list(), []),
    ("/users/getStatus", lambda c: c.users.get_status(), []),
    ("/phones/inner", lambda c: c.phones.inner(), {"status": "Success", "data": {}}),
    ("/messageDistribution/getAll", lambda c: c.distributions.get_all(), []),
]


@pytest.mark.parametrize(("path", "call", "answer"), EMPTY_CASES, ids=[c[0] for c in EMPTY_CASES])
async def test_empty_request_methods(path: str, call: Call, answer: Any) -> None:
    request = await send(call, answer)
    assert request.url.path == "/api" + path
    assert request.content == b""
    assert not request.url.params


JSON_CASES: list[tuple[str, Call, Any, dict[str, Any]]] = [
    (
        "/calls/originateC2c",
        lambda c: c.calls.originate_c2c(
            "380501112233", [C2cStep(type=C2cStepType.SIP, to="101", awaiting_time=30)]
        ),
        OK,
        {
            "clientNumber": "380501112233",
            "steps": [{"type": "SIP", "to": "101", "awaitingTime": 30}],
        },
    ),
    (
        "/calls/originateNew",
        lambda c: c.calls.originate_new(
            "380501112233", audios=[CallAudio(id=4953)], outer_line="380440000001"
        ),
        OK,
        {"phone": "380501112233", "outerLine": "380440000001", "audios": [{"id": 4953}]},
    ),
    (
        "/calls/hangup",
        lambda c: c.calls.hangup(number="101"),
        {"status": "Success", "message": "Found: 1"},
        {"number": "101"},
    ),
    (
        "/calls/connectAsPrompter",
        lambda c: c.calls.connect_as_prompter("1111", "2222"),
        OK,
        {"target": "1111", "source": "2222"},
    ),
    (
        "/audio/tts",
        lambda c: c.audio.tts(
            [TtsItem(name="a", type=AudioType.API, tts=TextToSpeech(text="t", settings_id=18))]
        ),
        {"status": "Success", "data": []},
        {"data": [{"name": "a", "type": "API", "tts": {"text": "t", "settingsId": 18}}]},
    ),
    (
        "/lists",
        lambda c: c.lists.get(ListName.BLOCKED_PHONES),
        {"status": "Success", "data": []},
        {"list": "BLOCKED_PHONES", "operation": "GET"},
    ),
    (
        "/groups/action",
        lambda c: c.groups.list(),
        {"status": "Success", "data": []},
        {"action": "GET_LIST"},
    ),
    (
        "/operator/statistic",
        lambda c: c.operators.statistic(datetime(2024, 1, 1), datetime(2024, 1, 2)),
        [],
        {"from": "2024-01-01 00:00:00", "to": "2024-01-02 00:00:00"},
    ),
    (
        "/history/get",
        lambda c: c.history.get(datetime(2024, 1, 1), datetime(2024, 1, 2), limit=10),
        {"count": 0, "calls": []},
        {
            "dateFrom": "2024-01-01 00:00:00",
            "dateTo": "2024-01-02 00:00:00",
            "limit": 10,
            "offset": 0,
        },
    ),
    (
        "/eventHandlers/removeScheduledByPhones",
        lambda c: c.event_handlers.remove_scheduled_by_phones(["380501112233"]),
        {"status": "Success", "data": 1},
        {"phones": ["380501112233"]},
    ),
    (
        "/message/send",
        lambda c: c.messages.send(MessageType.SMS, "380971234567", "Hi", alfa_name="Shop"),
        {"status": "Success", "data": 1},
        {"messageType": "SMS", "to": "380971234567", "text": "Hi", "alfaName": "Shop"},
    ),
    (
        "/message/sendBulk",
        lambda c: c.messages.send_bulk("VIBER", ["380971234567"], "Hi"),
        {"status": "Success", "data": {"380971234567": {"id": 1, "error": None}}},
        {"messagesType": "VIBER", "recipients": ["380971234567"], "text": "Hi"},
    ),
    (
        "/messageDistribution/create",
        lambda c: c.distributions.create(
            SmsDistribution(
                name="n", numbers=["380971234567"], text="t", start_time=datetime(2030, 1, 1)
            )
        ),
        {"status": "Success", "data": 5},
        {
            "messageType": "SMS",
            "name": "n",
            "numbers": ["380971234567"],
            "text": "t",
            "startTime": "2030-01-01 00:00:00",
        },
    ),
    (
        "/messageDistribution/update",
        lambda c: c.distributions.update(
            1, name="n", message_type="SMS", text="t", start_time=None
        ),
        OK,
        {"id": 1, "name": "n", "messageType": "SMS", "text": "t", "startTime": None},
    ),
    (
        "/widget/sendNotification",
        lambda c: c.widget.send_notification([1234], contact_name="John"),
        {"status": "Success", "data": {"notificationId": 9}},
        {"userIds": [1234], "data": {"contactName": "John"}},
    ),
    (
        "/widget/hideNotification",
        lambda c: c.widget.hide_notification([1234], 9),
        OK,
        {"userIds": [1234], "notificationId": 9},
    ),
]


@pytest.mark.parametrize(
    ("path", "call", "answer", "body"), JSON_CASES, ids=[c[0] for c in JSON_CASES]
)
async def test_json_methods(path: str, call: Call, answer: Any, body: dict[str, Any]) -> None:
    request = await send(call, answer)
    assert request.url.path == "/api" + path
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.content) == body
    assert not request.url.params


async def test_direct_call_is_a_form() -> None:
    request = await send(
        lambda c: c.calls.direct_call("101", "+380 50 111 22 33", meta="a b&c"),
        {"status": "Success", "message": "Called"},
    )
    assert request.url.path == "/api/phones/directCall"
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert dict(httpx.QueryParams(request.content.decode())) == {
        "sip": "101",
        "number": "380501112233",
        "meta": "a b&c",
    }


async def test_upload_is_multipart(tmp_path: Path) -> None:
    path = tmp_path / "intro.wav"
    path.write_bytes(b"RIFF-audio-bytes")
    request = await send(
        lambda c: c.audio.upload("intro", "IVR", path, temp=True),
        {"status": "Success", "message": "432"},
    )
    assert request.url.path == "/api/audio/upload"
    assert request.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    body = request.content.decode()
    for name, value in (("name", "intro"), ("type", "IVR"), ("temp", "true")):
        assert re.search(rf'name="{name}"\r\n\r\n{value}\r\n', body)
    assert 'name="file"; filename="intro.wav"' in body
    assert "RIFF-audio-bytes" in body


def test_every_path_of_the_reference_outside_autodial_has_a_method() -> None:
    reference = (Path(__file__).parent.parent / "reference" / "unitalk-api.txt").read_text()
    start = reference.index("Calls initiation")
    groups = "phones|calls|audio|lists|users|groups|operator|history|eventHandlers|message"
    groups += "|messageDistribution|widget|dictionary"
    path = rf"(?<![\w./])(?:/api)?(/(?:{groups})(?:/[A-Za-z0-9]+)*)(?=[\s?]|$)"
    documented = set(re.findall(path, reference[start:]))
    covered = {c[0] for c in QUERY_CASES} | {c[0] for c in EMPTY_CASES} | {c[0] for c in JSON_CASES}
    covered |= {"/phones/directCall", "/audio/upload"}
    assert documented - covered == set()
