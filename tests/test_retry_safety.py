"""Nothing is sent twice that must not be: judged by a fake server that counts arrivals.

The server is a small Starlette app written here, sharing nothing with the client; it
answers from a script and records every request that reached it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import msgspec
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from unitalk_async import (
    BusyError,
    Limits,
    OutcomeUnknownError,
    RateLimitError,
    ResponseDecodeError,
    RetryPolicy,
    UnitalkClient,
)

pytestmark = pytest.mark.anyio

BASE = "https://api.unitalk.test/api"
QUICK = RetryPolicy(max_retries=3, budget=5.0, base_delay=0.001, max_delay=0.002, busy_delay=0.001)
GATEWAY_PAGE = b"<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>"
SUCCESS = b'{"status": "Success", "data": 42, "message": "Found: 1"}'
BUSY = b'{"status": "Error", "message": "Handler is busy, try again later"}'


class FakeService:
    """Answers each POST with the next scripted (status, body); the last one repeats."""

    def __init__(self, *answers: tuple[int, bytes]) -> None:
        self.answers = list(answers)
        self.arrivals: list[tuple[str, Any]] = []
        self.app = Starlette(routes=[Route("/api/{path:path}", self.answer, methods=["POST"])])

    async def answer(self, request: Request) -> Response:
        body = await request.body()
        self.arrivals.append((request.url.path, msgspec.json.decode(body) if body else None))
        status, content = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        return Response(content, status_code=status, headers={"Retry-After": "0"})


@asynccontextmanager
async def connected(service: FakeService, retry: RetryPolicy = QUICK) -> Any:
    transport = httpx.ASGITransport(app=service.app)
    async with UnitalkClient(
        "key", base_url=BASE, limits=Limits.disabled(), retry=retry, http_transport=transport
    ) as client:
        yield client


Call = Callable[[UnitalkClient], Awaitable[Any]]

#: operations that reach a person or cost money: never resent once they may have landed
NOT_IDEMPOTENT: list[tuple[str, Call]] = [
    ("messages.send", lambda c: c.messages.send("SMS", "380501112233", "hi")),
    ("calls.originate_new", lambda c: c.calls.originate_new("380501112233", ivr_id=5)),
    ("autodial.refresh", lambda c: c.autodial.refresh(7, ["NOANSWER"])),
    ("calls.hangup by number", lambda c: c.calls.hangup(number="101")),
]


def _ids(cases: list[tuple[str, Call]]) -> Iterator[str]:
    return (name for name, _ in cases)


@pytest.mark.parametrize("status", [502, 503, 504, 507, 520, 521, 522, 523, 524])
@pytest.mark.parametrize(("name", "call"), NOT_IDEMPOTENT, ids=list(_ids(NOT_IDEMPOTENT)))
async def test_a_gateway_page_instead_of_the_service_answer_is_an_unknown_outcome(
    status: int, name: str, call: Call
) -> None:
    service = FakeService((status, GATEWAY_PAGE), (200, SUCCESS))
    async with connected(service) as client:
        with pytest.raises(OutcomeUnknownError) as caught:
            await call(client)
    assert len(service.arrivals) == 1
    assert caught.value.http_status == status


@pytest.mark.parametrize("body", [b"<html>ok</html>", b'{"status": "Succ', b""])
@pytest.mark.parametrize(("name", "call"), NOT_IDEMPOTENT, ids=list(_ids(NOT_IDEMPOTENT)))
async def test_a_200_that_is_not_json_is_an_unknown_outcome_not_a_decode_error(
    body: bytes, name: str, call: Call
) -> None:
    service = FakeService((200, body), (200, SUCCESS))
    async with connected(service) as client:
        with pytest.raises(OutcomeUnknownError):
            await call(client)
    assert len(service.arrivals) == 1


async def test_reads_are_resent_after_a_gateway_page_and_the_service_envelope_is_trusted() -> None:
    service = FakeService((503, GATEWAY_PAGE), (200, b"[]"))
    async with connected(service) as client:
        assert await client.users.list() == []
    assert len(service.arrivals) == 2
    # The service's own 503 envelope says "not processed": even a send is resent.
    unavailable = b'{"status": "Error", "message": "Service is unavailable"}'
    service = FakeService((503, unavailable), (200, SUCCESS))
    async with connected(service) as client:
        assert await client.messages.send("SMS", "380501112233", "hi") == 42
    assert len(service.arrivals) == 2


async def test_a_read_answered_with_pages_only_ends_in_a_decode_error() -> None:
    service = FakeService((200, b"<html>maintenance</html>"))
    async with connected(service) as client:
        with pytest.raises(ResponseDecodeError, match="not JSON"):
            await client.users.list()
    assert len(service.arrivals) == 1 + QUICK.max_retries


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        ((200, BUSY), BusyError),
        ((429, b'{"status": "Error", "message": "Too many requests per second"}'), RateLimitError),
        ((503, GATEWAY_PAGE), Exception),
    ],
)
async def test_max_retries_zero_is_exactly_one_attempt(
    answer: tuple[int, bytes], error: type[Exception]
) -> None:
    service = FakeService(answer, (200, SUCCESS))
    async with connected(service) as client:
        with pytest.raises(error):
            await client.with_options(max_retries=0).autodial.pause(7)
    assert len(service.arrivals) == 1


async def test_max_retries_bounds_try_again_later_answers_too() -> None:
    service = FakeService((200, BUSY))
    async with connected(service) as client:
        with pytest.raises(BusyError):
            await client.with_options(max_retries=2).autodial.pause(7)
    assert len(service.arrivals) == 3


async def test_hangup_by_number_is_sent_once_even_when_the_service_was_busy() -> None:
    # By the time a resend arrives the line may be on its next call: never resent.
    service = FakeService((200, BUSY), (200, SUCCESS))
    async with connected(service) as client:
        with pytest.raises(BusyError):
            await client.calls.hangup(number="101")
        assert len(service.arrivals) == 1
        # By id the call is named exactly: resending cannot end another one.
        service.answers = [(502, GATEWAY_PAGE), (200, SUCCESS)]
        assert await client.calls.hangup(id=1474427802) == 1
    assert [body for _, body in service.arrivals] == [
        {"number": "101"},
        {"id": 1474427802},
        {"id": 1474427802},
    ]
