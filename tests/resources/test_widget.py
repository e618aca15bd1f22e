"""`client.widget`: notifications in the Web Dialer."""

from __future__ import annotations

import pytest

from resources._fake import FakeClient
from unitalk_async import NotFoundError, ValidationError
from unitalk_async import _operations as ops
from unitalk_async.resources.widget import WidgetResource
from unitalk_async.sandbox.pytest_plugin import SandboxHandle

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def test_send_and_hide(unitalk_sandbox: SandboxHandle) -> None:
    users = unitalk_sandbox.sandbox.project.users
    reachable = [uid for uid, user in users.items() if user.chrome_extension]
    board = unitalk_sandbox.sandbox.endpoints.notifications
    async with unitalk_sandbox.client() as client:
        notification = await client.widget.send_notification(
            reachable, contact_name="John", contact_link="https://crm.example/leads/1"
        )
        assert board.shown[notification] == set(reachable)
        await client.widget.hide_notification(reachable, notification)
        with pytest.raises(NotFoundError, match="User with id 1 not found"):
            await client.widget.send_notification([1], responsible="Manager")


async def test_what_is_sent_and_refused() -> None:
    fake = FakeClient('{"status": "Success", "data": {"notificationId": 99}}')
    widget = WidgetResource(fake.as_client())
    assert await widget.send_notification((u for u in [7, 8]), entity_name="Best deal") == 99
    assert fake.sent[0].body == {"userIds": [7, 8], "data": {"entityName": "Best deal"}}
    assert fake.sent[0].op is ops.WIDGET_SEND_NOTIFICATION
    with pytest.raises(ValidationError) as caught:
        await widget.send_notification([7])
    assert caught.value.field == "data"
    with pytest.raises(ValidationError) as caught:
        await widget.hide_notification([], 99)
    assert caught.value.field == "user_ids"
    assert len(fake.sent) == 1
