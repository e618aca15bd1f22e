"""Web Dialer: /widget/sendNotification and /widget/hideNotification."""

from __future__ import annotations

import itertools

import msgspec
from starlette.requests import Request
from starlette.responses import Response

from unitalk_async.sandbox._answers import SandboxError, success
from unitalk_async.sandbox.endpoints._request import SandboxView, json_body, sandbox_of


class NotificationBoard:
    """Notifications on display: notification id -> the users who see it."""

    def __init__(self) -> None:
        self.shown: dict[int, set[int]] = {}
        self._ids = itertools.count(1_234_567_890)

    def show(self, users: set[int]) -> int:
        notification_id = next(self._ids)
        self.shown[notification_id] = users
        return notification_id


class NotificationData(msgspec.Struct, rename="camel"):
    contact_name: str | None = None
    contact_link: str | None = None
    entity_name: str | None = None
    entity_link: str | None = None
    responsible: str | None = None


class SendRequest(msgspec.Struct, rename="camel"):
    user_ids: list[int] | None = None
    data: NotificationData | None = None


def _has_extension(sandbox: SandboxView, user_id: int) -> bool:
    project = sandbox.project
    return project.browser_extension_connected and project.users[user_id].chrome_extension


async def send_notification(request: Request) -> Response:
    """Shows the notification to the users with Web Dialer; answers its id."""
    sandbox = sandbox_of(request)
    body = await json_body(request, SendRequest)
    if not body.user_ids:
        raise SandboxError("No users was specified for notifications send")
    if body.data is None or not any(msgspec.structs.astuple(body.data)):
        raise SandboxError("Data fields is all null")
    users = sandbox.project.users
    for user_id in body.user_ids:
        if user_id not in users:
            raise SandboxError(f"User with id {user_id} not found")
    reached = {user_id for user_id in body.user_ids if _has_extension(sandbox, user_id)}
    if not reached:
        raise SandboxError("No users with connected chrome extension was found")
    notification_id = sandbox.endpoints.notifications.show(reached)
    return success(data={"notificationId": notification_id})


class HideRequest(msgspec.Struct, rename="camel"):
    user_ids: list[int] | None = None
    notification_id: int | None = None


async def hide_notification(request: Request) -> Response:
    """Hides a notification for the given users (an unknown id hides nothing)."""
    sandbox = sandbox_of(request)
    body = await json_body(request, HideRequest)
    if not body.user_ids:
        raise SandboxError("No users was specified for notifications hide")
    if body.notification_id is None:
        raise SandboxError("NotificationId not specified")
    users = sandbox.project.users
    reached = {
        user_id
        for user_id in body.user_ids
        if user_id in users and _has_extension(sandbox, user_id)
    }
    if not reached:
        raise SandboxError("The specified users are not found or chrome extension not connected")
    shown = sandbox.endpoints.notifications.shown.get(body.notification_id)
    if shown is not None:
        shown -= reached
    return success()
