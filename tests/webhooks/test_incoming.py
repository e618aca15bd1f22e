"""`IncomingWebhooks`: the AUTODIAL_ADD / AUTODIAL_REMOVE links, sent through a client."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from unitalk_async import (
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    Limits,
    NotFoundError,
    UnitalkClient,
    ValidationError,
)
from unitalk_async.webhooks import IncomingWebhooks

from ._examples import INCOMING_ANSWERS, REFERENCE

pytestmark = pytest.mark.anyio

_LINK = re.compile(r"https://api\.unitalk\.cloud:8443/tracking/webhook/event\?\S+")
# The reference's text turned "&note=" into "¬e=" (an HTML entity, "&not", eaten on the way).
LINKS = [link.replace("¬", "&not") for link in _LINK.findall(REFERENCE.read_text("utf-8"))]
GENERATED_ADD, COMPLETED_ADD, GENERATED_REMOVE, COMPLETED_REMOVE = LINKS
TOKEN = parse_qs(urlsplit(GENERATED_ADD).query)["token"][0]
SUCCESS = INCOMING_ANSWERS[0].text.encode()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class FakeTracking:
    """An httpx transport standing in for the tracking host: records requests, answers."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.answer = SUCCESS

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(200, content=self.answer)

    def params(self, index: int = -1) -> dict[str, list[str]]:
        return parse_qs(self.requests[index].url.query.decode(), keep_blank_values=True)


@pytest.fixture
def tracking() -> FakeTracking:
    return FakeTracking()


@pytest.fixture
async def client(tracking: FakeTracking) -> AsyncIterator[UnitalkClient]:
    async with UnitalkClient(
        "api-key", http_transport=httpx.MockTransport(tracking), limits=Limits.disabled()
    ) as client:
        yield client


def _query(link: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(link).query)  # blank parameters dropped


def test_the_reference_has_four_links_with_one_token() -> None:
    assert len(LINKS) == 4
    assert {_query(link)["token"][0] for link in LINKS} == {TOKEN}
    assert [e.value for e in INCOMING_ANSWERS] == [{"status": "Success"}] * 2


async def test_add_sends_the_completed_link_of_the_reference(
    client: UnitalkClient, tracking: FakeTracking
) -> None:
    hooks = IncomingWebhooks.from_link(client, GENERATED_ADD)
    await hooks.add(["+380 (97) 123-45-67"], name="vasya", note="okna")
    (request,) = tracking.requests
    assert request.method == "POST"
    assert str(request.url).split("?")[0] == COMPLETED_ADD.split("?")[0]
    assert tracking.params() == _query(COMPLETED_ADD)
    assert "authorization" not in request.headers
    assert client.governor.statistics().admitted == 1


async def test_remove_sends_the_completed_link_of_the_reference(
    client: UnitalkClient, tracking: FakeTracking
) -> None:
    hooks = IncomingWebhooks(client, token=TOKEN, autodialer_id=20461)
    await hooks.remove("380971234567, 380670001000")
    assert tracking.params() == _query(COMPLETED_REMOVE)
    assert str(tracking.requests[0].url).startswith(
        "https://api.unitalk.cloud:8443/tracking/webhook/event?"
    )


async def test_add_with_every_field(client: UnitalkClient, tracking: FakeTracking) -> None:
    hooks = IncomingWebhooks.from_link(client, GENERATED_REMOVE)  # either link serves both
    await hooks.add(["380971234567", "380670001000"], name="n", note="o", link="https://x/y?a=1")
    assert tracking.params() == {
        "token": [TOKEN],
        "action": ["AUTODIAL_ADD"],
        "id": ["20461"],
        "phones": ["380971234567,380670001000"],
        "name": ["n"],
        "note": ["o"],
        "link": ["https://x/y?a=1"],
    }


@pytest.mark.parametrize(
    ("message", "error"),
    [
        ("Token not found", AuthenticationError),
        ("Action not found", BadRequestError),
        ("Id is null", BadRequestError),
        ("Autodial not found", NotFoundError),
        ("Empty phones", BadRequestError),
        ("Phones not found", BadRequestError),
        ("Phones not added", ConflictError),
        ("Calls not found", NotFoundError),
    ],
)
async def test_documented_errors_are_typed_and_never_show_the_token(
    client: UnitalkClient,
    tracking: FakeTracking,
    caplog: pytest.LogCaptureFixture,
    message: str,
    error: type[Exception],
) -> None:
    caplog.set_level(logging.DEBUG)
    tracking.answer = b'{"status": "Error", "message": "%s"}' % message.encode()
    hooks = IncomingWebhooks.from_link(client, GENERATED_ADD)
    with pytest.raises(error) as caught:
        await hooks.add(["380971234567"])
    assert caught.value.message == message  # type: ignore[attr-defined]
    assert len(tracking.requests) == 1  # a final answer: not retried
    for text in (str(caught.value), repr(caught.value), caplog.text, repr(hooks), str(hooks)):
        assert TOKEN not in text
    assert "HTTP Request: POST" in caplog.text  # httpx did log the request, token masked


async def test_arguments_are_checked_before_sending(
    client: UnitalkClient, tracking: FakeTracking
) -> None:
    hooks = IncomingWebhooks.from_link(client, GENERATED_ADD)
    with pytest.raises(ValidationError, match="phones"):
        await hooks.add(["380971234567", "12"])
    with pytest.raises(ValidationError, match="phones"):
        await hooks.remove([])
    with pytest.raises(ValidationError, match="name"):
        await hooks.add(["380971234567"], name="x" * 101)
    with pytest.raises(ValidationError, match="note"):
        await hooks.add(["380971234567"], note="x" * 501)
    assert tracking.requests == []


async def test_configuration_errors(client: UnitalkClient) -> None:
    with pytest.raises(ConfigurationError, match="token"):
        IncomingWebhooks.from_link(
            client, "https://api.unitalk.cloud:8443/tracking/webhook/event?id=1"
        )
    with pytest.raises(ConfigurationError, match="id"):
        IncomingWebhooks.from_link(client, GENERATED_ADD.replace("id=20461", "id="))
    with pytest.raises(ConfigurationError, match="unencrypted"):
        IncomingWebhooks(client, token=TOKEN, autodialer_id=1, url="http://example.com/t")
    local = IncomingWebhooks(client, token=TOKEN, autodialer_id=1, url="http://127.0.0.1:9/t")
    assert TOKEN not in repr(local)
