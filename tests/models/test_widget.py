"""Web Dialer notifications: examples round-trip; users and at least one field required."""

from __future__ import annotations

import pytest

from models._examples import example, round_trip
from unitalk_async import ValidationError
from unitalk_async.models._envelope import Envelope
from unitalk_async.models.widget import (
    HideNotificationRequest,
    NotificationData,
    NotificationSent,
    SendNotificationRequest,
)


def test_send_examples_round_trip() -> None:
    request = round_trip(
        example("Relative path: /widget/sendNotification"), SendNotificationRequest
    )
    assert request.user_ids == [1234]
    assert request.data.responsible == "Manager #1"
    request.validate()
    answer = round_trip(
        example("Relative path: /widget/sendNotification", 1), Envelope[NotificationSent]
    )
    assert answer.data.notification_id == 1234567890


def test_hide_examples_round_trip() -> None:
    request = round_trip(
        example("Relative path: /widget/hideNotification"), HideNotificationRequest
    )
    assert request.notification_id == 1234567890
    request.validate()
    round_trip(example("Relative path: /widget/hideNotification", 1), Envelope[None])


def test_send_needs_users_and_a_field() -> None:
    with pytest.raises(ValidationError) as caught:
        SendNotificationRequest(user_ids=[], data=NotificationData(contact_name="J")).validate()
    assert caught.value.field == "user_ids"
    with pytest.raises(ValidationError) as caught:
        SendNotificationRequest(user_ids=[1], data=NotificationData()).validate()
    assert caught.value.field == "data"


def test_hide_needs_users() -> None:
    with pytest.raises(ValidationError) as caught:
        HideNotificationRequest(user_ids=[], notification_id=1).validate()
    assert caught.value.field == "user_ids"
