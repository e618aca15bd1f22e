"""`client.widget`: notifications in the Web Dialer (Chrome widget)."""

from __future__ import annotations

from collections.abc import Iterable

from unitalk_async import _operations as ops
from unitalk_async._exceptions import ResponseDecodeError
from unitalk_async.models.calls import given
from unitalk_async.models.widget import (
    HideNotificationRequest,
    NotificationData,
    NotificationSent,
    SendNotificationRequest,
)
from unitalk_async.resources._base import Resource

__all__ = ["WidgetResource"]


class WidgetResource(Resource):
    """Web Dialer: /widget/sendNotification, /widget/hideNotification."""

    __slots__ = ()

    async def send_notification(
        self,
        user_ids: Iterable[int],
        *,
        contact_name: str | None = None,
        contact_link: str | None = None,
        entity_name: str | None = None,
        entity_link: str | None = None,
        responsible: str | None = None,
    ) -> int:
        """Show a notification to `user_ids`; at least one field is required.

        Returns the notification id, for `hide_notification`.
        """
        request = SendNotificationRequest(
            user_ids=list(user_ids),
            data=NotificationData(
                contact_name=given(contact_name),
                contact_link=given(contact_link),
                entity_name=given(entity_name),
                entity_link=given(entity_link),
                responsible=given(responsible),
            ),
        )
        request.validate()
        answer = await self._client._call(ops.WIDGET_SEND_NOTIFICATION, request)
        if not isinstance(answer.data, NotificationSent):
            raise ResponseDecodeError(
                "no notificationId in data", path=ops.WIDGET_SEND_NOTIFICATION.path
            )
        return answer.data.notification_id

    async def hide_notification(self, user_ids: Iterable[int], notification_id: int) -> None:
        """Hide notification `notification_id` from `user_ids`."""
        request = HideNotificationRequest(user_ids=list(user_ids), notification_id=notification_id)
        request.validate()
        await self._client._call(ops.WIDGET_HIDE_NOTIFICATION, request)
