"""/message/send, /message/sendBulk, /message/getStatus, and the sent-message counters."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Api

pytestmark = pytest.mark.anyio
SMS = {"messageType": "SMS", "to": "380971234567", "text": "Hello"}


async def test_send_answers_the_id_and_counts_the_message(api: Api) -> None:
    body = await api.ok("/message/send", SMS)
    assert body["status"] == "Success"
    message_id = body["data"]
    assert isinstance(message_id, int)
    messages = api.state.messages
    assert messages.sent_by_id == {message_id: 1}
    assert messages.sent_by_recipient_text == {("380971234567", "Hello"): 1}
    viber = await api.ok("/message/send", SMS | {"messageType": "VIBER", "alfaName": "Shop"})
    assert viber["data"] != message_id
    assert messages.sent_count == 2


async def test_status_progresses_from_sent(api: Api) -> None:
    ids = [(await api.ok("/message/send", SMS | {"text": f"t{n}"}))["data"] for n in range(40)]
    for message_id in ids:
        status = await api.ok("/message/getStatus", params={"id": message_id})
        assert status == {"status": "Success", "data": {"messageStatus": "SENT", "errorText": None}}
    api.clock.advance(3)
    finals = [
        (await api.ok("/message/getStatus", params={"id": message_id}))["data"]
        for message_id in ids
    ]
    assert {f["messageStatus"] for f in finals} <= {"DELIVERED", "NOT_DELIVERED", "ERROR"}
    assert [f["messageStatus"] for f in finals].count("DELIVERED") > 30
    assert all((f["errorText"] is None) == (f["messageStatus"] != "ERROR") for f in finals)
    # Deterministic: the same id gives the same outcome.
    again = (await api.ok("/message/getStatus", params={"id": ids[0]}))["data"]
    assert again == finals[0]


async def test_get_status_errors(api: Api) -> None:
    await api.fails("/message/getStatus", message="Invalid id")
    await api.fails("/message/getStatus", params={"id": "abc"}, message="Invalid id")
    await api.fails("/message/getStatus", params={"id": 1}, message="Message not found")
    # The form-encoded body works as well as URL parameters.
    message_id = (await api.ok("/message/send", SMS))["data"]
    assert (await api.ok("/message/getStatus", data={"id": str(message_id)}))["data"]


@pytest.mark.parametrize(
    ("request_body", "message"),
    [
        (SMS | {"messageType": None}, "Validation error: message type is not selected"),
        (SMS | {"messageType": "FAX"}, "Validation error: message type is not selected"),
        (SMS | {"to": "12"}, "Validation error: wrong recipient's phone number"),
        (SMS | {"text": ""}, "Validation error: message cannot be empty"),
        (
            SMS | {"messageType": "VIBER", "text": "x" * 1001},
            "Validation error: message is too long",
        ),
    ],
)
async def test_send_errors(api: Api, request_body: dict[str, Any], message: str) -> None:
    await api.fails("/message/send", request_body, message=message)
    assert api.state.messages.sent_count == 0


async def test_service_switches(api: Api) -> None:
    project = api.sandbox.project
    project.message_service_connected = False
    await api.fails("/message/send", SMS, message="Message service not connected")
    await api.fails("/message/sendBulk", {}, message="Message service not connected")
    project.message_service_connected = True
    project.balance_ok = False
    await api.fails("/message/send", SMS, message="UniTalk did not allow sending")


async def test_bulk_with_recipients_and_text(api: Api) -> None:
    body = await api.ok(
        "/message/sendBulk",
        {"messagesType": "SMS", "recipients": ["380971234567", "12"], "text": "Sale"},
    )
    sent, rejected = body["data"]["380971234567"], body["data"]["12"]
    assert sent["error"] is None
    assert rejected["error"] == "Validation error: wrong recipient's phone number"
    assert sent["id"] != rejected["id"]
    counters = api.state.messages
    assert counters.sent_by_id == {sent["id"]: 1}
    assert counters.sent_by_recipient_text == {("380971234567", "Sale"): 1}
    status = await api.ok("/message/getStatus", params={"id": rejected["id"]})
    assert status["data"]["messageStatus"] == "ERROR"


async def test_bulk_messages_win_over_recipients(api: Api) -> None:
    body = await api.ok(
        "/message/sendBulk",
        {
            "messagesType": "VIBER",
            "messages": {"380971234567": "one", "380981234567": "two"},
            "recipients": ["380991234567"],
            "text": "ignored",
        },
    )
    assert set(body["data"]) == {"380971234567", "380981234567"}
    assert api.state.messages.sent_by_recipient_text == {
        ("380971234567", "one"): 1,
        ("380981234567", "two"): 1,
    }


@pytest.mark.parametrize(
    ("request_body", "message"),
    [
        ({"recipients": ["380971234567"], "text": "x"}, "messagesType is null"),
        ({"messagesType": "SMS"}, "Messages not specified"),
        (
            {"messagesType": "SMS", "messages": {f"3809712{n:05d}": "x" for n in range(101)}},
            "Too many messages",
        ),
        ({"messagesType": "SMS", "messages": {}}, "messages is empty"),
        ({"messagesType": "SMS", "messages": {"": "x"}}, "messages contains null key"),
        (
            {"messagesType": "SMS", "messages": {"380971234567": None}},
            "messages contains null value",
        ),
        (
            {"messagesType": "SMS", "recipients": ["380971234567"] * 101, "text": "x"},
            "Too many recipients",
        ),
        ({"messagesType": "SMS", "recipients": [], "text": "x"}, "recipients is empty"),
        ({"messagesType": "SMS", "recipients": [None], "text": "x"}, "recipients contains null"),
        ({"messagesType": "SMS", "recipients": ["380971234567"]}, "text is null or empty"),
        (
            {"messagesType": "SMS", "recipients": ["380971234567"], "text": ""},
            "text is null or empty",
        ),
    ],
)
async def test_bulk_errors(api: Api, request_body: dict[str, Any], message: str) -> None:
    await api.fails("/message/sendBulk", request_body, message=message)
    assert api.state.messages.sent_count == 0
