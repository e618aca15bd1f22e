"""Documented errors of the M2 endpoints reach the caller as their typed exceptions.

Each case puts the sandbox in the state behind one error of the reference, makes the call
through the public client and checks the exception class and the service's message.
(Errors the client prevents by validating first are covered by the validation tests.)
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import pytest

from unitalk_async import (
    APIError,
    BadRequestError,
    BillingError,
    ConflictError,
    NotFoundError,
    UnavailableError,
)
from unitalk_async.models.calls import CallAudio
from unitalk_async.models.distributions import SmsDistribution
from unitalk_async.models.enums import WebhookCallState
from unitalk_async.models.history import HistoryFilter, HistoryPage
from unitalk_async.sandbox.pytest_plugin import SandboxHandle

pytestmark = pytest.mark.anyio
EVER = (datetime(2000, 1, 1), datetime(2100, 1, 1))

Setup = Callable[[SandboxHandle], Any]
Call = Callable[[Any, SandboxHandle], Awaitable[Any]]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def no_money(handle: SandboxHandle) -> None:
    handle.sandbox.project.balance_ok = False


def no_message_service(handle: SandboxHandle) -> None:
    handle.sandbox.project.message_service_connected = False


def no_chrome(handle: SandboxHandle) -> None:
    for user in handle.sandbox.project.users.values():
        user.chrome_extension = False


def outer_line(handle: SandboxHandle, tracked: bool) -> str:
    return next(
        line.number
        for line in handle.sandbox.project.outer_lines.values()
        if line.tracked is tracked
    )


async def a_call(client: Any, state: WebhookCallState | None = None) -> int:
    page: HistoryPage = await client.history.get(*EVER, limit=200)
    return next(c.id for c in page.calls if state is None or c.state is state)


async def analytics_of_unanswered(client: Any, handle: SandboxHandle) -> Any:
    call = next(
        c.id
        for c in (
            await client.history.get(*EVER, limit=200, filter=HistoryFilter(answered=False))
        ).calls
        if c.state is not WebhookCallState.ANSWER
    )
    return await client.calls.analytics(call, profile(handle))


def profile(handle: SandboxHandle) -> int:
    return next(iter(handle.sandbox.project.voice_analytics_profiles))


async def completed_distribution(client: Any, handle: SandboxHandle) -> Any:
    created = await client.distributions.create(
        SmsDistribution(name="done", numbers=["380971234567"], text="x")
    )
    distribution = handle.sandbox.endpoints.distributions.distributions[created.id]
    distribution.resumed = datetime(2000, 1, 1)  # started long ago: every number processed
    return await client.distributions.update(
        created.id, name="again", message_type="SMS", text="x", start_time=None
    )


CASES: list[tuple[str, Setup | None, Call, type[APIError], str]] = [
    (
        "originateNew: unknown outer line",
        None,
        lambda c, h: c.calls.originate_new(
            "380501112233", ivr_id=next(iter(h.sandbox.project.ivrs)), outer_line="380449999999"
        ),
        NotFoundError,
        "Outer line not found",
    ),
    (
        "originateNew: tracked outer line",
        None,
        lambda c, h: c.calls.originate_new(
            "380501112233",
            ivr_id=next(iter(h.sandbox.project.ivrs)),
            outer_line=outer_line(h, True),
        ),
        BadRequestError,
        "Outer line is tracked",
    ),
    (
        "originateNew: tariff not paid",
        no_money,
        lambda c, h: c.calls.originate_new(
            "380501112233",
            audios=[
                CallAudio(
                    id=next(a.id for a in h.sandbox.project.audios.values() if a.type == "API")
                )
            ],
        ),
        BillingError,
        "Service not paid",
    ),
    (
        "analytics: no separate records",
        None,
        analytics_of_unanswered,
        BadRequestError,
        "Analytics is not available for this call",
    ),
    (
        "analytics: unknown profile",
        None,
        lambda c, h: _then(
            a_call(c, WebhookCallState.ANSWER), lambda call: c.calls.analytics(call, 1)
        ),
        NotFoundError,
        "Profile does not exist",
    ),
    (
        "analytics: insufficient funds",
        no_money,
        lambda c, h: _then(
            a_call(c, WebhookCallState.ANSWER), lambda call: c.calls.analytics(call, profile(h))
        ),
        BillingError,
        "Insufficient funds",
    ),
    (
        "sendBulk: message service off",
        no_message_service,
        lambda c, h: c.messages.send_bulk("SMS", ["380971234567"], "x"),
        UnavailableError,
        "Message service not connected",
    ),
    (
        "distribution create: message service off",
        no_message_service,
        lambda c, h: c.distributions.create(
            SmsDistribution(name="n", numbers=["380971234567"], text="x")
        ),
        UnavailableError,
        "The project does not have a messaging service connected",
    ),
    (
        "distribution update: completed",
        None,
        completed_distribution,
        ConflictError,
        "Message distribution completed",
    ),
    (
        "widget: no Web Dialer connected",
        no_chrome,
        lambda c, h: c.widget.send_notification(list(h.sandbox.project.users), contact_name="J"),
        NotFoundError,
        "No users with connected chrome extension was found",
    ),
    (
        "widget hide: no Web Dialer connected",
        no_chrome,
        lambda c, h: c.widget.hide_notification(list(h.sandbox.project.users), 1),
        NotFoundError,
        "The specified users are not found or chrome extension not connected",
    ),
]


async def _then(first: Awaitable[Any], then: Callable[[Any], Awaitable[Any]]) -> Any:
    return await then(await first)


@pytest.mark.parametrize(
    ("setup", "call", "error", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
async def test_documented_error(
    unitalk_sandbox: SandboxHandle,
    setup: Setup | None,
    call: Call,
    error: type[APIError],
    message: str,
) -> None:
    if setup is not None:
        setup(unitalk_sandbox)
    async with unitalk_sandbox.client() as client:
        with pytest.raises(error) as caught:
            await call(client, unitalk_sandbox)
    assert caught.value.message.startswith(message)
