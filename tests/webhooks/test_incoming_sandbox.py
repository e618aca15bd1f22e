"""`IncomingWebhooks` against the sandbox's tracking link, through a real client."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from unitalk_async import AuthenticationError, Limits, NotFoundError, UnitalkClient
from unitalk_async.models.autodial import AutodialTask
from unitalk_async.models.enums import AutodialerMode, ClientCalledMode, CrmMode
from unitalk_async.webhooks import IncomingWebhooks

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def _task() -> AutodialTask:
    return AutodialTask(
        name="Incoming",
        autodialer_mode=AutodialerMode.FIXED,
        start_date=date(2026, 1, 1),
        end_date=date(2026, 12, 31),
        time_from=["09:00"] * 7,
        time_to=["19:00"] * 7,
        crm_mode=CrmMode.DONT_SEND,
        client_called_mode=ClientCalledMode.NEVER,
        thread_count=1,
        scenario_id=70,  # the sandbox project's "Main with IVR"
    )


async def test_add_and_remove_through_the_link(unitalk_sandbox: Any) -> None:
    link = unitalk_sandbox.server.root_url + "/tracking/webhook/event"
    token = unitalk_sandbox.sandbox.endpoints.incoming_token
    client: UnitalkClient
    async with unitalk_sandbox.client(limits=Limits.disabled()) as client:
        autodialer = (await client.autodial.add(_task())).id
        hooks = IncomingWebhooks.from_link(
            client, f"{link}?token={token}&action=AUTODIAL_ADD&id={autodialer}&name=&phones="
        )
        await hooks.add(["+380 97 123 45 67", "380670001000"], name="vasya", note="okna")
        added = await client.autodial.get_number(autodialer, "380971234567")
        assert (added.name, added.note) == ("vasya", "okna")

        await hooks.remove("380971234567")
        with pytest.raises(NotFoundError, match="Call not found"):
            await client.autodial.get_number(autodialer, "380971234567")
        with pytest.raises(NotFoundError, match="Calls not found"):
            await hooks.remove("380971234567")

        stranger = IncomingWebhooks(
            client, token="not-" + token, autodialer_id=autodialer, url=link
        )
        with pytest.raises(AuthenticationError, match="Token not found") as caught:
            await stranger.add(["380971234567"])
        assert token not in str(caught.value)
