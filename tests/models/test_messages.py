"""Messages: every example round-trips (`alfaName` kept as spelled); rules are checked."""

from __future__ import annotations

import pytest

from models._examples import example, round_trip
from unitalk_async import ValidationError
from unitalk_async._codec import to_builtins
from unitalk_async.models._envelope import Envelope
from unitalk_async.models.enums import MessageStatus, MessageType
from unitalk_async.models.messages import (
    BulkMessageResult,
    MessageStatusInfo,
    SendBulkRequest,
    SendMessageRequest,
)


def test_send_examples_round_trip_with_alfa_name() -> None:
    sms = round_trip(example("JSON request example for SMS:"), SendMessageRequest)
    viber = round_trip(example("JSON request example for Viber:"), SendMessageRequest)
    assert (sms.message_type, sms.alfa_name) == (MessageType.SMS, "YourSmsAlphaName")
    assert viber.message_type is MessageType.VIBER
    assert "alfaName" in to_builtins(sms)


def test_bulk_request_examples_round_trip_in_both_forms() -> None:
    common = round_trip(example("JSON request examples:"), SendBulkRequest)
    assert common.recipients == ["380971234567", "380981234567"]
    paired = round_trip(example("JSON request examples:", 1), SendBulkRequest)
    assert paired.messages["380981234567"].endswith("2")


def test_bulk_answer_example_round_trips() -> None:
    answer = round_trip(
        example("JSON request examples:", 2),  # the two requests, then the answer
        Envelope[dict[str, BulkMessageResult]],
    )
    sent, failed = answer.data["380971234567"], answer.data["380981234567"]
    assert (sent.id, sent.ok) == (123451, True)
    assert (failed.id, failed.error, failed.ok) == (123452, "Sample error text", False)


def test_get_status_example_round_trips() -> None:
    answer = round_trip(example("Relative path: /message/getStatus"), Envelope[MessageStatusInfo])
    assert answer.data.message_status is MessageStatus.ERROR
    assert answer.data.error_text.startswith("Service response")


def test_viber_text_is_limited_to_1000_characters_sms_is_not() -> None:
    SendMessageRequest(message_type=MessageType.VIBER, to="1234567", text="v" * 1000).validate()
    with pytest.raises(ValidationError) as caught:
        SendMessageRequest(message_type=MessageType.VIBER, to="1234567", text="v" * 1001).validate()
    assert caught.value.field == "text"
    SendMessageRequest(message_type=MessageType.SMS, to="1234567", text="s" * 1001).validate()


def test_empty_text_and_unknown_type_are_refused() -> None:
    with pytest.raises(ValidationError, match="empty"):
        SendMessageRequest(message_type=MessageType.SMS, to="1234567", text="").validate()
    with pytest.raises(ValidationError) as caught:
        SendMessageRequest(message_type=MessageType("FAX"), to="1234567", text="x").validate()
    assert caught.value.field == "message_type"


def test_bulk_is_at_most_100_per_request_in_either_form() -> None:
    numbers = [f"38050{n:07d}" for n in range(101)]
    SendBulkRequest(messages_type=MessageType.SMS, recipients=numbers[:100], text="x").validate()
    with pytest.raises(ValidationError) as caught:
        SendBulkRequest(messages_type=MessageType.SMS, recipients=numbers, text="x").validate()
    assert caught.value.field == "recipients"
    with pytest.raises(ValidationError) as caught:
        SendBulkRequest(
            messages_type=MessageType.SMS, messages=dict.fromkeys(numbers, "x")
        ).validate()
    assert caught.value.field == "messages"


def test_bulk_text_form_needs_text_and_per_number_texts_follow_viber_rules() -> None:
    with pytest.raises(ValidationError) as caught:
        SendBulkRequest(messages_type=MessageType.SMS, recipients=["1234567"]).validate()
    assert caught.value.field == "text"
    with pytest.raises(ValidationError) as caught:
        SendBulkRequest(
            messages_type=MessageType.VIBER, messages={"1234567": "v" * 1001}
        ).validate()
    assert caught.value.field == "messages[1234567]"
