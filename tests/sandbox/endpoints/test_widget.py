"""/widget/sendNotification and /widget/hideNotification."""

from __future__ import annotations

import pytest

from .conftest import Api

pytestmark = pytest.mark.anyio
DATA = {"contactName": "John", "contactLink": "https://crm.example.com/leads/1"}


def user_ids(api: Api, *, extension: bool) -> list[int]:
    users = api.sandbox.project.users.values()
    return [user.id for user in users if user.chrome_extension == extension]


async def test_send_and_hide(api: Api) -> None:
    ids = user_ids(api, extension=True)[:2]
    body = await api.ok("/widget/sendNotification", {"userIds": ids, "data": DATA})
    notification_id = body["data"]["notificationId"]
    assert isinstance(notification_id, int)
    assert api.state.notifications.shown[notification_id] == set(ids)
    hidden = await api.ok(
        "/widget/hideNotification", {"userIds": ids[:1], "notificationId": notification_id}
    )
    assert hidden == {"status": "Success"}
    assert api.state.notifications.shown[notification_id] == set(ids[1:])


async def test_send_errors(api: Api) -> None:
    path = "/widget/sendNotification"
    await api.fails(path, {"data": DATA}, message="No users was specified for notifications send")
    await api.fails(
        path, {"userIds": [], "data": DATA}, message="No users was specified for notifications send"
    )
    known = user_ids(api, extension=True)[0]
    await api.fails(path, {"userIds": [known]}, message="Data fields is all null")
    await api.fails(
        path, {"userIds": [known], "data": {"contactName": None}}, message="Data fields is all null"
    )
    await api.fails(path, {"userIds": [known, 5], "data": DATA}, message="User with id 5 not found")
    api.sandbox.project.users[known].chrome_extension = False
    await api.fails(
        path,
        {"userIds": [known], "data": DATA},
        message="No users with connected chrome extension was found",
    )


async def test_hide_errors(api: Api) -> None:
    path = "/widget/hideNotification"
    await api.fails(
        path, {"notificationId": 1}, message="No users was specified for notifications hide"
    )
    known = user_ids(api, extension=True)[0]
    await api.fails(path, {"userIds": [known]}, message="NotificationId not specified")
    await api.fails(
        path,
        {"userIds": [5], "notificationId": 1},
        message="The specified users are not found or chrome extension not connected",
    )
