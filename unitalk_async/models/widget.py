"""Web Dialer (Chrome widget) notifications: /widget/sendNotification, /widget/hideNotification."""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta

from unitalk_async.models._base import UNSET, Maybe, Request, Response
from unitalk_async.models.calls import check_constraints, require

__all__ = [
    "HideNotificationRequest",
    "NotificationData",
    "NotificationSent",
    "SendNotificationRequest",
]

UserIds = Annotated[list[int], Meta(min_length=1)]


class NotificationData(Request):
    """What the notification shows; at least one field must be set."""

    contact_name: Maybe[str] = UNSET
    contact_link: Maybe[str] = UNSET
    entity_name: Maybe[str] = UNSET
    entity_link: Maybe[str] = UNSET
    responsible: Maybe[str] = UNSET

    def is_empty(self) -> bool:
        return all(not isinstance(getattr(self, name), str) for name in self.__struct_fields__)


class SendNotificationRequest(Request):
    """/widget/sendNotification: show `data` to the users `user_ids` in their Web Dialer."""

    user_ids: UserIds
    data: NotificationData

    def validate(self) -> None:
        check_constraints(self)
        require(not self.data.is_empty(), "data", "at least one field must be set")


class NotificationSent(Response):
    """`data` of /widget/sendNotification's answer."""

    notification_id: int


class HideNotificationRequest(Request):
    """/widget/hideNotification: hide notification `notification_id` from `user_ids`."""

    user_ids: UserIds
    notification_id: int

    def validate(self) -> None:
        check_constraints(self)
