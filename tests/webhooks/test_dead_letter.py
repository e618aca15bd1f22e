"""Events whose fields changed: the date forms a Java service writes decode; what still does
not decode is logged at WARNING by name and handed to the dead-letter hook, over real HTTP."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx
import pytest

from unitalk_async.webhooks import CallEvent, UnknownEvent, WebhookReceiver

from ._server import serving
from .test_receiver import SECRET, recording

pytestmark = pytest.mark.anyio

JAVA_DATES = {
    "2018-07-09 16:58:52": datetime(2018, 7, 9, 16, 58, 52),  # the reference's own form
    "2018-07-09T16:58:52": datetime(2018, 7, 9, 16, 58, 52),  # LocalDateTime.toString()
    "2018-07-09T16:58": datetime(2018, 7, 9, 16, 58),  # ... when the seconds are 0
    "2018-07-09T16:58:52.123": datetime(2018, 7, 9, 16, 58, 52, 123000),
    "2018-07-09T16:58:52.123456789": datetime(2018, 7, 9, 16, 58, 52, 123456),  # nanoseconds
    "2018-07-09 16:58:52.5": datetime(2018, 7, 9, 16, 58, 52, 500000),
    "2018-07-09T16:58:52Z": datetime(2018, 7, 9, 16, 58, 52, tzinfo=UTC),  # Instant
    "2018-07-09T16:58:52.1+03:00": datetime(  # OffsetDateTime
        2018, 7, 9, 16, 58, 52, 100000, tzinfo=timezone(timedelta(hours=3))
    ),
}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def _call_end(call_id: int, date: str) -> bytes:
    return b'{"event": "CALL_END", "call": {"id": %d, "date": "%s"}}' % (call_id, date.encode())


async def test_the_date_forms_a_java_service_writes_decode() -> None:
    receiver = WebhookReceiver(secret=SECRET)
    received = recording(receiver, CallEvent)
    async with serving(receiver.app) as url, httpx.AsyncClient(params={"token": SECRET}) as http:
        for n, text in enumerate(JAVA_DATES):
            assert (await http.post(url, content=_call_end(n, text))).status_code == 200
    assert [e.call.date for e in received] == list(JAVA_DATES.values())
    assert receiver.statistics().dead_letters == 0


UNDECODABLE = _call_end(1, "09.07.2018 16:58")
UNKNOWN_KIND = b'{"event": "CALL_HOLD", "call": {"id": 2}}'


async def test_without_a_hook_an_undecodable_event_is_a_warning_that_carries_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    receiver = WebhookReceiver(secret=SECRET)
    received = recording(receiver, CallEvent)
    async with serving(receiver.app) as url, httpx.AsyncClient(params={"token": SECRET}) as http:
        undecodable = await http.post(url, content=UNDECODABLE)
        unknown = await http.post(url, content=UNKNOWN_KIND)
    assert (undecodable.status_code, unknown.status_code) == (200, 200)
    assert received == []
    warnings = [
        r.getMessage()
        for r in caplog.records
        if r.name == "unitalk_async.webhooks" and r.levelno == logging.WARNING
    ]
    assert len(warnings) == 2, warnings
    assert "webhook CALL_END did not decode" in warnings[0]
    assert "09.07.2018 16:58" in warnings[0]  # the payload itself: nothing is lost
    assert "webhook CALL_HOLD is of an unknown kind" in warnings[1]
    assert '"id":2' in warnings[1]
    assert receiver.statistics().dead_letters == 2


async def test_the_dead_letter_hook_gets_what_no_handler_takes(
    caplog: pytest.LogCaptureFixture,
) -> None:
    receiver = WebhookReceiver(secret=SECRET)
    dead: list[UnknownEvent] = []
    by_name = recording(receiver, "CALL_HOLD")

    @receiver.on_dead_letter
    async def keep(event: UnknownEvent) -> None:
        if event.raw.get("fail"):
            raise RuntimeError("the dead-letter store is down")
        dead.append(event)

    failing = b'{"event": "CALL_NEW", "call": "x", "fail": true}'
    async with serving(receiver.app) as url, httpx.AsyncClient(params={"token": SECRET}) as http:
        undecodable = await http.post(url, content=UNDECODABLE)
        taken_by_name = await http.post(url, content=UNKNOWN_KIND)
        shapeless = await http.post(url, content=b'{"somethingNew": 1}')
        store_down = await http.post(url, content=failing)
        again = await http.post(url, content=UNDECODABLE)  # a redelivery: handled already
    assert [r.status_code for r in (undecodable, taken_by_name, shapeless, again)] == [200] * 4
    assert store_down.status_code == 500  # so that the sender delivers it again
    assert [(e.event, e.raw) for e in dead] == [
        ("CALL_END", {"event": "CALL_END", "call": {"id": 1, "date": "09.07.2018 16:58"}}),
        (None, {"somethingNew": 1}),
    ]
    assert dead[0].error is not None
    assert "call.date" in dead[0].error
    assert [e.event for e in by_name] == ["CALL_HOLD"]
    sent = [r.getMessage() for r in caplog.records if "dead-letter hook" in r.getMessage()]
    assert any(m.startswith("webhook CALL_END did not decode") for m in sent), sent
    stats = receiver.statistics()
    assert (stats.dead_letters, stats.failed, stats.duplicates) == (3, 1, 1)


def test_one_dead_letter_hook() -> None:
    from unitalk_async import ConfigurationError

    receiver = WebhookReceiver(secret=None)

    async def keep(event: Any) -> None: ...

    receiver.on_dead_letter(keep)
    with pytest.raises(ConfigurationError, match="dead-letter"):
        receiver.on_dead_letter(keep)
