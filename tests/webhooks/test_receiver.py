"""The receiver over real HTTP: uvicorn on loopback, httpx posting, handlers recording."""

from __future__ import annotations

import logging
import ssl
from collections.abc import AsyncIterator
from typing import Any

import anyio
import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount, Route

from unitalk_async._exceptions import ConfigurationError
from unitalk_async.webhooks import (
    AutodialCallEvent,
    AutodialEvent,
    BalanceMovement,
    CallEvent,
    RouteAnswer,
    RouteRequest,
    UnknownEvent,
    VoiceMenuEvent,
    VoiceQueueAnswer,
    VoiceQueueEvent,
    VoiceQueueRequest,
    WebhookReceiver,
    parse,
)
from unitalk_async.webhooks._guard import SourceAllowList

from ._examples import INBOUND, payload_class
from ._server import serving

pytestmark = pytest.mark.anyio

SECRET = "s3cret-Token_value"
WRONG = "wrong-Token-value"
NOTIFICATIONS = (
    BalanceMovement,
    CallEvent,
    VoiceMenuEvent,
    AutodialCallEvent,
    AutodialEvent,
    VoiceQueueEvent,
    UnknownEvent,
)
CALL_END = b'{"event": "CALL_END", "call": {"id": 1, "from": "380505557182"}}'
CALL_NEW = CALL_END.replace(b"CALL_END", b"CALL_NEW")
ROUTE = b'{"event": "ROUTE", "call": {"from": "380505557182", "outerNumber": "380442949168"}}'
QUEUE = b'{"outerNumber": "380440000001", "from": "380501234567"}'
NO_OPERATOR = {"operatorNumber": None, "ivrId": None}
_TLS = ssl.create_default_context()


def recording(receiver: WebhookReceiver, *keys: type[Any] | str) -> list[Any]:
    """Register a handler per type or event name; it appends each event to the list returned."""
    received: list[Any] = []

    async def record(event: Any) -> None:
        received.append(event)

    for key in keys:
        receiver.on(key)(record)
    return received


def _http(**kwargs: Any) -> httpx.AsyncClient:
    # One TLS context for every client: building one per client loads the CA bundle each time.
    return httpx.AsyncClient(verify=_TLS, **kwargs)


async def _post(url: str, body: bytes, **kwargs: Any) -> httpx.Response:
    async with _http() as http:
        return await http.post(url, content=body, **kwargs)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


# --- every example ------------------------------------------------------------------------------
async def test_every_reference_example_reaches_its_handler_typed() -> None:
    receiver = WebhookReceiver(secret=SECRET)
    received = recording(receiver, *NOTIFICATIONS)

    @receiver.on_route
    async def route(request: RouteRequest) -> RouteAnswer:
        received.append(request)
        return RouteAnswer(operator_number="2048", caller_name="Alex", ivr_id=487)

    @receiver.on_voice_queue
    async def queue(request: VoiceQueueRequest) -> VoiceQueueAnswer:
        received.append(request)
        return VoiceQueueAnswer(priority=7)

    answers = []
    async with serving(receiver.app) as url, _http(base_url=url) as http:
        for example in INBOUND:
            response = await http.post("/", params={"token": SECRET}, content=example.text)
            assert response.status_code == 200, example.intro
            assert response.headers["content-type"] == "application/json"
            answers.append((payload_class(example), response.json()))

    assert [type(event) for event in received] == [payload_class(e) for e in INBOUND]
    assert received == [parse(e.text) for e in INBOUND]
    for cls, answer in answers:
        if cls is RouteRequest:
            assert answer == {"operatorNumber": "2048", "callerName": "Alex", "ivrId": 487}
        elif cls is VoiceQueueRequest:
            assert answer == {"setPriority": 7}
        else:
            assert answer == {}
    assert receiver.statistics().handled == len(INBOUND)


# --- protection ---------------------------------------------------------------------------------
async def test_shared_secret_in_query_or_header_and_never_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="httpx")  # the sender's own log shows its URL
    caplog.set_level(logging.INFO, logger="uvicorn.access")  # another server may have raised it
    caplog.set_level(logging.INFO)  # last: set_level also sets the capture handler's level
    receiver = WebhookReceiver(secret=SECRET)
    received = recording(receiver, CallEvent)
    async with serving(receiver.app) as url, _http(base_url=url) as http:
        by_query = await http.post("/", params={"token": SECRET, "x": "1"}, content=CALL_END)
        by_header = await http.post("/", headers={"X-Webhook-Token": SECRET}, content=CALL_NEW)
        missing = await http.post("/", content=CALL_END)
        wrong_query = await http.post("/", params={"token": WRONG}, content=CALL_END)
        wrong_header = await http.post("/", headers={"X-Webhook-Token": WRONG}, content=CALL_END)
    assert (by_query.status_code, by_header.status_code) == (200, 200)
    assert missing.status_code == 401
    assert (wrong_query.status_code, wrong_header.status_code) == (403, 403)
    assert len(received) == 2
    assert receiver.statistics().rejected == 3
    access = [r.getMessage() for r in caplog.records if r.name == "uvicorn.access"]
    assert any("token=***" in line and "x=1" in line for line in access), access
    assert SECRET not in caplog.text
    assert WRONG not in caplog.text
    assert SECRET not in repr(receiver)


async def test_source_allow_list() -> None:
    elsewhere = WebhookReceiver(secret=SECRET, allowed_sources=["10.0.0.0/8", "2001:db8::/32"])
    loopback = WebhookReceiver(secret=SECRET, allowed_sources=["127.0.0.1"])
    recording(loopback, CallEvent)
    async with serving(elsewhere.app) as url:
        refused = await _post(url, CALL_END, params={"token": SECRET})
    async with serving(loopback.app) as url:
        allowed = await _post(url, CALL_END, params={"token": SECRET})
    assert refused.status_code == 403
    assert allowed.status_code == 200


def test_bad_configuration_is_refused() -> None:
    with pytest.raises(ConfigurationError):
        WebhookReceiver(secret="")
    with pytest.raises(ConfigurationError):
        WebhookReceiver(secret=SECRET, allowed_sources=["not a network"])
    with pytest.raises(ConfigurationError):
        WebhookReceiver(secret=SECRET, handler_timeout=0)
    receiver = WebhookReceiver(secret=None)
    recording(receiver, CallEvent)
    with pytest.raises(ConfigurationError, match="CallEvent"):
        recording(receiver, CallEvent)


async def test_wrong_method_is_405() -> None:
    receiver = WebhookReceiver(secret=SECRET)
    put_too = WebhookReceiver(secret=SECRET, methods=("POST", "PUT"))
    received = recording(put_too, CallEvent)
    async with serving(receiver.app) as url, _http() as http:
        get = await http.get(url, params={"token": SECRET})
        put = await http.put(url, params={"token": SECRET}, content=CALL_END)
    async with serving(put_too.app) as url, _http() as http:
        accepted = await http.put(url, params={"token": SECRET}, content=CALL_END)
    assert (get.status_code, put.status_code) == (405, 405)
    assert get.headers["allow"] == "POST"
    assert accepted.status_code == 200
    assert len(received) == 1


async def test_bodies_over_the_cap_are_413_counted_while_reading() -> None:
    small = WebhookReceiver(secret=SECRET, max_body_size=1000)
    received = recording(small, CallEvent)
    at_cap = CALL_END + b" " * (1000 - len(CALL_END))

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: chunked encoding
        yield b'{"event": "CALL_END", "call": {"comment": "' + b"x" * 600
        yield b"x" * 600 + b'"}}'

    async with serving(small.app) as url, _http(params={"token": SECRET}) as http:
        declared = await http.post(url, content=at_cap + b" ")
        streamed = await http.post(url, content=chunks())
        fits = await http.post(url, content=at_cap)
    assert declared.status_code == 413
    assert streamed.status_code == 413
    assert fits.status_code == 200
    assert len(received) == 1

    default = WebhookReceiver(secret=SECRET)
    recording(default, CallEvent)
    async with serving(default.app) as url:
        over = await _post(url, b" " * (1024 * 1024) + b"{}", params={"token": SECRET})
    assert over.status_code == 413


async def test_malformed_json_is_400() -> None:
    receiver = WebhookReceiver(secret=SECRET)
    async with serving(receiver.app) as url, _http(params={"token": SECRET}) as http:
        answers = [await http.post(url, content=body) for body in (b"", b"{", b"event=CALL_END")]
    assert [a.status_code for a in answers] == [400, 400, 400]
    assert answers[0].json() == {"error": "body is not JSON"}


# --- dispatch -----------------------------------------------------------------------------------
async def test_unknown_and_unhandled_events_are_answered_200() -> None:
    receiver = WebhookReceiver(secret=SECRET)
    received = recording(receiver, UnknownEvent)
    async with serving(receiver.app) as url, _http(params={"token": SECRET}) as http:
        unknown = await http.post(url, content=b'{"event": "CALL_HOLD", "call": {}}')
        unhandled = await http.post(url, content=CALL_END)
        route = await http.post(url, content=ROUTE)
        queue = await http.post(url, content=QUEUE)
    assert unknown.status_code == unhandled.status_code == 200
    assert received == [UnknownEvent(raw={"event": "CALL_HOLD", "call": {}}, event="CALL_HOLD")]
    assert route.json() == NO_OPERATOR
    assert queue.json() == {"setPriority": 5}
    stats = receiver.statistics()
    assert (stats.handled, stats.unhandled, stats.default_answers) == (1, 3, 2)


async def test_a_handler_by_event_name_comes_before_one_by_type() -> None:
    receiver = WebhookReceiver(secret=SECRET)
    by_type = recording(receiver, CallEvent)
    by_name = recording(receiver, "CALL_END")
    async with serving(receiver.app) as url, _http(params={"token": SECRET}) as http:
        await http.post(url, content=CALL_END)
        await http.post(url, content=CALL_END.replace(b"CALL_END", b"CALL_NEW"))
    assert [e.event for e in by_name] == ["CALL_END"]
    assert [e.event for e in by_type] == ["CALL_NEW"]


async def test_slow_handlers_get_the_default_answer_or_500() -> None:
    receiver = WebhookReceiver(secret=SECRET, handler_timeout=0.2)
    cancelled: list[str] = []

    async def hang(event: Any) -> Any:
        try:
            await anyio.sleep_forever()
        finally:
            cancelled.append(type(event).__name__)

    receiver.on_route(hang)
    receiver.on_voice_queue(hang)
    receiver.on(CallEvent)(hang)
    async with (
        serving(receiver.app) as url,
        _http(params={"token": SECRET}) as http,
        anyio.create_task_group() as tg,
    ):
        answers: dict[bytes, httpx.Response] = {}

        async def post(body: bytes) -> None:
            answers[body] = await http.post(url, content=body)

        for body in (ROUTE, QUEUE, CALL_END):
            tg.start_soon(post, body)
    assert (answers[ROUTE].status_code, answers[ROUTE].json()) == (200, NO_OPERATOR)
    assert (answers[QUEUE].status_code, answers[QUEUE].json()) == (200, {"setPriority": 5})
    assert answers[CALL_END].status_code == 500
    assert sorted(cancelled) == ["CallEvent", "RouteRequest", "VoiceQueueRequest"]
    assert receiver.statistics().timed_out == 3


async def test_failing_handlers_are_logged_and_never_crash_the_app(
    caplog: pytest.LogCaptureFixture,
) -> None:
    receiver = WebhookReceiver(secret=SECRET)
    calls = 0

    @receiver.on_route
    async def route(request: RouteRequest) -> RouteAnswer:
        raise RuntimeError("route bug")

    @receiver.on_voice_queue
    async def queue(request: VoiceQueueRequest) -> VoiceQueueAnswer:
        return {"setPriority": 9}  # type: ignore[return-value]  # not a VoiceQueueAnswer

    @receiver.on(CallEvent)
    async def call(event: CallEvent) -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise TimeoutError("the handler's own timeout, not the receiver's")

    async with serving(receiver.app) as url, _http(params={"token": SECRET}) as http:
        route_answer = await http.post(url, content=ROUTE)
        queue_answer = await http.post(url, content=QUEUE)
        failed = await http.post(url, content=CALL_END)
        after = await http.post(url, content=CALL_END)
    assert (route_answer.status_code, route_answer.json()) == (200, NO_OPERATOR)
    assert (queue_answer.status_code, queue_answer.json()) == (200, {"setPriority": 5})
    assert (failed.status_code, failed.json()) == (500, {"error": "handler failed"})
    assert after.status_code == 200
    stats = receiver.statistics()
    assert (stats.failed, stats.timed_out, stats.handled) == (3, 0, 1)
    ours = [r for r in caplog.records if r.name == "unitalk_async.webhooks"]
    assert any(r.exc_info and "route bug" in str(r.exc_info[1]) for r in ours)
    assert any("VoiceQueueAnswer" in r.getMessage() for r in ours)
    assert SECRET not in caplog.text


async def test_a_route_request_that_does_not_decode_still_gets_an_answer(
    caplog: pytest.LogCaptureFixture,
) -> None:
    receiver = WebhookReceiver(secret=SECRET)
    received = recording(receiver, UnknownEvent)
    async with serving(receiver.app) as url:
        answer = await _post(
            url, b'{"event": "ROUTE", "call": "380505557182"}', params={"token": SECRET}
        )
    assert (answer.status_code, answer.json()) == (200, NO_OPERATOR)
    assert [e.event for e in received] == ["ROUTE"]
    assert "not a RouteRequest" in caplog.text


async def test_mounted_in_another_app_or_served_as_is() -> None:
    receiver = WebhookReceiver(secret=SECRET)
    received = recording(receiver, CallEvent)
    service = Starlette(
        routes=[
            Route("/unitalk", receiver.handle, methods=["POST"]),
            Mount("/hooks", app=receiver.app),
        ]
    )
    async with serving(service) as url, _http(base_url=url, params={"token": SECRET}) as http:
        routed = await http.post("/unitalk", content=CALL_END)
        mounted = await http.post("/hooks/", content=CALL_NEW)
        elsewhere = await http.post("/other", content=CALL_END)
    async with serving(receiver) as url:  # the receiver is an ASGI app itself
        direct = await _post(url, CALL_END.replace(b"1", b"2"), params={"token": SECRET})
    assert (routed.status_code, mounted.status_code, direct.status_code) == (200, 200, 200)
    assert elsewhere.status_code == 404
    assert len(received) == 3


async def test_dispatch_runs_handlers_without_http() -> None:
    receiver = WebhookReceiver(secret=SECRET)

    @receiver.on_route
    async def route(request: RouteRequest) -> RouteAnswer:
        return RouteAnswer(operator_number="2048")

    assert await receiver.dispatch(parse(ROUTE)) == (200, RouteAnswer(operator_number="2048"))
    assert await receiver.dispatch(parse(QUEUE)) == (200, VoiceQueueAnswer())
    assert await receiver.dispatch(parse(CALL_END)) == (200, {})


@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        ("10.1.2.3", True),
        ("::ffff:10.1.2.3", True),
        ("2001:db8::1", True),
        ("11.0.0.1", False),
        ("::1", False),
        ("unix-socket", False),
        (None, False),
    ],
)
def test_source_allow_list_matching(host: str | None, allowed: bool) -> None:
    assert SourceAllowList(["10.0.0.0/8", "2001:db8::/32"]).allows(host) is allowed


# --- load ---------------------------------------------------------------------------------------
async def test_2000_posts_from_50_senders_none_lost() -> None:
    receiver = WebhookReceiver(secret=SECRET)
    seen: list[int] = []

    @receiver.on(CallEvent)
    async def call(event: CallEvent) -> None:
        assert isinstance(event.call.id, int)
        seen.append(event.call.id)

    statuses: list[int] = []
    async with serving(receiver.app) as url:

        async def sender(first: int) -> None:
            # Each sender its own client and connection, as 50 independent senders would be.
            async with _http(params={"token": SECRET}) as http:
                for n in range(first, 2000, 50):
                    body = b'{"event": "CALL_END", "call": {"id": %d}}' % n
                    statuses.append((await http.post(url, content=body)).status_code)

        async with anyio.create_task_group() as tg:
            for first in range(50):
                tg.start_soon(sender, first)
    assert statuses == [200] * 2000
    assert sorted(seen) == list(range(2000))
    assert receiver.statistics().handled == 2000


async def test_a_voice_queue_request_with_an_odd_field_still_gets_the_default_answer() -> None:
    receiver = WebhookReceiver(secret=None)
    calls: list[object] = []

    @receiver.on(UnknownEvent)
    async def catch_all(event: UnknownEvent) -> None:
        calls.append(event)
        raise RuntimeError("a bug in user code")

    transport = httpx.ASGITransport(app=receiver.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://hooks") as http:
        # `from` as a number: the shape of a voice-queue request, a field of the wrong type.
        answer = await http.post("/", json={"from": 380501234567, "outerNumber": "380440000001"})
    assert answer.status_code == 200
    assert answer.json() == {"setPriority": 5}
    assert len(calls) == 1


async def test_the_secret_is_masked_before_routing_so_no_access_log_line_shows_it() -> None:
    receiver = WebhookReceiver(secret=SECRET)
    seen: dict[str, bytes] = {}

    async def logged(scope: Any, receive: Any, send: Any) -> None:
        await receiver.app(scope, receive, send)
        seen["query"] = scope["query_string"]  # what uvicorn's access log prints

    transport = httpx.ASGITransport(app=logged)
    async with httpx.AsyncClient(transport=transport, base_url="http://hooks") as http:
        answer = await http.post("/elsewhere", params={"token": SECRET}, json={})
    assert answer.status_code == 404
    assert SECRET.encode() not in seen["query"]
