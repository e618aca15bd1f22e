"""The request path over respx-mocked HTTP: auth, envelope, errors, retries, redaction, stats."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import msgspec
import pytest
import respx

from unitalk_async import (
    AuthenticationError,
    BusyError,
    ConfigurationError,
    InvalidItemsError,
    Limits,
    NotFoundError,
    OutcomeUnknownError,
    PermanentlyBlockedError,
    RequestTimeoutError,
    ResponseDecodeError,
    RetryPolicy,
    TransportError,
    UnitalkClient,
    UnitalkError,
)
from unitalk_async import _operations as ops
from unitalk_async._operations import Operation, Resend
from unitalk_async.models._envelope import Envelope

pytestmark = pytest.mark.anyio

BASE = "https://api.unitalk.cloud/api"
KEY = "sk-test-0123456789abcdef"
FAST = RetryPolicy(max_retries=3, budget=5.0, base_delay=0.001, max_delay=0.005, busy_delay=0.001)


class Row(msgspec.Struct):
    id: int


SAFE, NP = Resend.SAFE, Resend.NOT_PROCESSED_ONLY


def row(path: str, answer: Any = Any, resend: Resend = NP) -> Operation[Any]:
    """An operation row for a test path; the real rows are tested in test_operations.py."""
    return Operation(f"test{path}", path, None, None, answer, resend, "a test row")


def client(**kwargs: Any) -> UnitalkClient:
    kwargs.setdefault("retry", FAST)
    kwargs.setdefault("limits", Limits.disabled())
    return UnitalkClient(KEY, **kwargs)


@respx.mock
async def test_plain_and_bearer_authorization_headers() -> None:
    route = respx.post(f"{BASE}/users/list").respond(json=[])
    async with client() as c:
        await c.post("/users/list")
    assert route.calls.last.request.headers["Authorization"] == KEY
    async with client(auth_scheme="bearer") as c:
        await c.post("/users/list")
    assert route.calls.last.request.headers["Authorization"] == f"Bearer {KEY}"


@respx.mock
async def test_every_call_is_a_post_with_a_msgspec_encoded_json_body() -> None:
    route = respx.post(f"{BASE}/autodial/action").respond(json={"status": "Success", "data": 5})
    async with client() as c:
        body = await c._call(row("/autodial/action", Envelope[int]), {"action": "ADD"})
    assert body.data == 5
    request = route.calls.last.request
    assert request.method == "POST"
    assert request.headers["Content-Type"] == "application/json"
    assert msgspec.json.decode(request.content) == {"action": "ADD"}


@respx.mock
async def test_bare_bodies_decode_into_the_requested_type() -> None:
    respx.post(f"{BASE}/users/list").respond(json=[{"id": 1}, {"id": 2}])
    async with client() as c:
        rows = await c._call(row("/users/list", list[Row]))
    assert rows == [Row(1), Row(2)]


@pytest.mark.parametrize("http_status", [200, 400])
@respx.mock
async def test_a_status_other_than_success_is_an_error_whatever_the_http_code(
    http_status: int,
) -> None:
    respx.post(f"{BASE}/autodial/action").respond(
        http_status, json={"status": "Error", "message": "Task not found"}
    )
    async with client() as c:
        for response in (Any, Envelope[int], Row):
            with pytest.raises(NotFoundError) as caught:
                await c._call(row("/autodial/action", response), {})
            assert caught.value.message == "Task not found"
            assert caught.value.path == "/autodial/action"
            assert caught.value.http_status == http_status


@respx.mock
async def test_invalid_items_come_with_the_rejected_elements() -> None:
    respx.post(f"{BASE}/autodial/action").respond(
        400, json={"status": "Error", "message": "Wrong numbers", "data": ["12", "abc"]}
    )
    async with client() as c:
        # The error's data (a list) does not fit the success type (int): still the error.
        with pytest.raises(InvalidItemsError) as caught:
            await c._call(row("/autodial/action", Envelope[int]), {})
    assert caught.value.items == ["12", "abc"]


@respx.mock
async def test_unknown_messages_keep_their_text_and_are_bad_requests() -> None:
    respx.post(f"{BASE}/x").respond(200, json={"status": "Error", "message": "Brand new error"})
    async with client() as c:
        with pytest.raises(UnitalkError) as caught:
            await c.post("/x")
    assert type(caught.value).__name__ == "BadRequestError"
    assert caught.value.message == "Brand new error"


@respx.mock
async def test_http_401_is_an_authentication_error_and_403_block_is_permanent() -> None:
    respx.post(f"{BASE}/a").respond(401, json={"status": "Error", "message": "whatever"})
    respx.post(f"{BASE}/b").respond(
        403, json={"status": "Error", "message": "API key is permanently blocked"}
    )
    async with client() as c:
        with pytest.raises(AuthenticationError):
            await c.post("/a")
        with pytest.raises(PermanentlyBlockedError):
            await c.post("/b")


@respx.mock
async def test_mismatched_bodies_are_decode_errors_and_pages_unknown_outcomes() -> None:
    respx.post(f"{BASE}/html").respond(200, text="<html>oops</html>")
    respx.post(f"{BASE}/shape").respond(200, json=[{"id": "not-an-int"}])
    respx.post(f"{BASE}/proxy").respond(502, text="Bad gateway")
    async with client(max_retries=0) as c:
        with pytest.raises(ResponseDecodeError, match="not JSON"):
            await c._call(row("/html", list[Row], SAFE))
        with pytest.raises(OutcomeUnknownError, match="not JSON"):
            await c._call(row("/html", list[Row]))
        with pytest.raises(ResponseDecodeError, match="documented shape"):
            await c._call(row("/shape", list[Row], SAFE))
        with pytest.raises(UnitalkError) as caught:
            await c._call(row("/proxy", list[Row], SAFE))
    assert caught.value.http_status == 502


@respx.mock
async def test_busy_answers_are_retried_until_processed() -> None:
    route = respx.post(f"{BASE}/autodial/action")
    route.side_effect = [
        httpx.Response(
            200, json={"status": "Error", "message": "Handler is busy, try again later"}
        ),
        httpx.Response(
            200, json={"status": "Error", "message": "Handler is busy, try again later"}
        ),
        httpx.Response(200, json={"status": "Success", "message": "Numbers added"}),
    ]
    retries: list[Any] = []
    async with client(on_retry=[retries.append]) as c:
        body = await c._call(row("/autodial/action", Envelope[None]), {})
        assert body.message == "Numbers added"
        assert c.stats.paths["/autodial/action"].retries == 2
    assert route.call_count == 3
    assert [type(e.error) for e in retries] == [BusyError, BusyError]


@respx.mock
async def test_rate_limit_pauses_the_governor_and_retries_transparently() -> None:
    route = respx.post(f"{BASE}/users/list")
    route.side_effect = [
        httpx.Response(
            429,
            headers={"Retry-After": "0.05"},
            json={"status": "Error", "message": "Too many requests, temporarily blocked"},
        ),
        httpx.Response(200, json=[]),
    ]
    async with client() as c:
        assert await c.post("/users/list") == []
        assert c.stats.governor.blocks_seen == 1
        assert c.stats.governor.waits["blocked"] > 0


@respx.mock
async def test_connect_errors_are_retried_for_every_operation() -> None:
    route = respx.post(f"{BASE}/message/send")
    route.side_effect = [
        httpx.ConnectError("refused"),
        httpx.Response(200, json={"status": "Success", "data": 7}),
    ]
    async with client() as c:
        body = await c._call(row("/message/send", Envelope[int]), {})
    assert body.data == 7


@pytest.mark.parametrize(
    "failure",
    [
        httpx.ReadTimeout("slow"),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
        httpx.Response(500, json={"status": "Error", "message": "Internal server error"}),
    ],
)
@respx.mock
async def test_ambiguous_failures_are_never_retried_for_sends(failure: Any) -> None:
    route = respx.post(f"{BASE}/message/send")
    route.side_effect = [failure, httpx.Response(200, json={"status": "Success", "data": 1})]
    async with client() as c:
        with pytest.raises(OutcomeUnknownError, match="may have been processed"):
            await c._call(row("/message/send", Envelope[int]), {})
    assert route.call_count == 1


@respx.mock
async def test_ambiguous_failures_are_retried_for_idempotent_calls_and_flagged() -> None:
    route = respx.post(f"{BASE}/autodial/action")
    route.side_effect = [
        httpx.RemoteProtocolError("peer closed connection"),
        httpx.Response(200, json={"status": "Error", "message": "Numbers not added"}),
    ]
    async with client() as c:
        with pytest.raises(UnitalkError) as caught:
            await c._call(row("/autodial/action", Envelope[None], SAFE), {})
    assert caught.value.message == "Numbers not added"
    assert caught.value.ambiguous_prior_attempt is True


@respx.mock
async def test_timeouts_become_request_timeout_errors_after_the_budget() -> None:
    respx.post(f"{BASE}/users/list").mock(side_effect=httpx.ReadTimeout("slow"))
    async with client() as c:
        with pytest.raises(RequestTimeoutError) as caught:
            await c._call(row("/users/list", Any, SAFE))
        assert c.stats.paths["/users/list"].requests == 4  # 1 + max_retries
        assert c.stats.paths["/users/list"].errors == 4
        assert c.stats.cost_units == 0  # nothing was answered, nothing billed
    assert isinstance(caught.value, TransportError)


@respx.mock
async def test_with_options_overrides_timeout_and_retries_and_shares_stats() -> None:
    route = respx.post(f"{BASE}/users/list").mock(side_effect=httpx.ConnectError("refused"))
    async with client() as c:
        quick = c.with_options(timeout=3.5, max_retries=0)
        with pytest.raises(TransportError):
            await quick.post("/users/list")
        assert route.call_count == 1
        assert route.calls.last.request.extensions["timeout"]["read"] == 3.5
        assert c.stats.paths["/users/list"].requests == 1
        await quick.aclose()  # a view closes nothing
        route.mock(return_value=httpx.Response(200, json=[]))
        assert await c.post("/users/list") == []


@respx.mock
async def test_query_form_and_multipart_bodies() -> None:
    route = respx.post(url__startswith=f"{BASE}/")
    route.respond(json={"status": "Success", "message": "432"})
    async with client() as c:
        await c.post("/message/getStatus", params={"id": 12, "flag": True})
        assert route.calls.last.request.url.query == b"id=12&flag=true"
        await c.post("/phones/directCall", data={"sip": "101", "number": "380501112233"})
        request = route.calls.last.request
        assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
        assert request.content == b"sip=101&number=380501112233"
        await c.post("/audio/upload", data={"name": "a"}, files={"file": ("a.mp3", b"ID3")})
        assert route.calls.last.request.headers["Content-Type"].startswith("multipart/form-data")


@respx.mock
async def test_hooks_raw_responses_and_stats() -> None:
    respx.post(f"{BASE}/users/list").respond(json=[], headers={"X-Request-Id": "r1"})
    seen: list[str] = []

    async def on_response(event: Any) -> None:
        seen.append(f"response {event.status_code} {event.cost_units}")

    async with client(on_request=[lambda e: seen.append(f"request {e.attempt}")]) as c:
        c.hooks.on_response.append(on_response)
        with c.raw_responses() as answers:
            await c.post("/users/list")
        stats = c.stats
    assert seen == ["request 1", "response 200 1"]
    assert answers[0].status_code == 200 and answers[0].headers["X-Request-Id"] == "r1"
    assert stats.requests == 1 and stats.cost_units == 1
    assert stats.paths["/users/list"].mean_elapsed_ms > 0


@respx.mock
async def test_the_key_never_appears_in_errors_reprs_or_logs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    respx.post(f"{BASE}/a").respond(401, json={"status": "Error", "message": "Unauthorized"})
    respx.post(f"{BASE}/b").mock(side_effect=httpx.ConnectError("refused"))
    async with client(max_retries=1) as c:
        texts = [repr(c), str(c), repr(c._transport)]
        for path in ("/a", "/b"):
            with pytest.raises(UnitalkError) as caught:
                await c.post(path)
            texts += [str(caught.value), repr(caught.value), repr(caught.value.data)]
    texts += [record.getMessage() for record in caplog.records]
    assert any("/a" in t for t in texts)  # the logs did record the requests
    assert not [t for t in texts if KEY in t]


async def test_debug_log_line_per_request(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="unitalk_async")
    with respx.mock:
        respx.post(f"{BASE}/users/list").respond(json=[])
        async with client() as c:
            await c.post("/users/list")
    lines = [r for r in caplog.records if r.name == "unitalk_async"]
    assert len(lines) == 1
    assert lines[0].levelno == logging.DEBUG
    assert "/users/list -> 200" in lines[0].getMessage() and "units" in lines[0].getMessage()


@respx.mock
async def test_absolute_links_obey_the_tls_rule_and_may_skip_the_api_key() -> None:
    route = respx.post("https://hooks.example.test:8443/tracking/webhook/event").respond(
        json={"status": "Success"}
    )
    async with client() as c:
        await c._call(
            ops.INCOMING_WEBHOOK,
            {"token": "t"},
            url="https://hooks.example.test:8443/tracking/webhook/event",
        )
        assert "Authorization" not in route.calls.last.request.headers
        assert "/tracking/webhook/event" in c.stats.paths
        with pytest.raises(ConfigurationError, match="unencrypted"):
            await c._call(
                ops.INCOMING_WEBHOOK, url="http://hooks.example.test/tracking/webhook/event"
            )


@respx.mock
async def test_busy_answers_back_off_exponentially_above_the_floor() -> None:
    busy = {"status": "Error", "message": "Handler is busy, try again later"}
    route = respx.post(f"{BASE}/autodial/action")
    route.side_effect = [httpx.Response(200, json=busy)] * 6 + [
        httpx.Response(200, json={"status": "Success"})
    ]
    policy = RetryPolicy(budget=60, base_delay=0.001, max_delay=0.05, busy_delay=0.002)
    delays: list[float] = []
    async with client(retry=policy, on_retry=[lambda e: delays.append(e.delay)]) as c:
        await c._call(row("/autodial/action", Envelope[Any]), {})
    assert len(delays) == 6
    assert all(d >= policy.busy_delay for d in delays)
    caps = [max(policy.busy_delay, min(policy.max_delay, 0.001 * 2**n)) for n in range(6)]
    assert all(d <= cap for d, cap in zip(delays, caps, strict=True))
    assert caps[-1] > caps[0]  # the window grows: later tries may wait longer


@respx.mock
async def test_retry_policy_none_retries_nothing_not_even_busy_answers() -> None:
    route = respx.post(f"{BASE}/autodial/action").respond(
        json={"status": "Error", "message": "Handler is busy, try again later"}
    )
    async with client(retry=RetryPolicy.none()) as c:
        with pytest.raises(BusyError):
            await c._call(row("/autodial/action", Envelope[Any]), {})
    assert route.call_count == 1


@pytest.mark.parametrize("bad", ["key\nX-Injected: 1", "ключ", "a key"])
def test_a_malformed_key_is_refused_at_construction_without_echoing_it(bad: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        UnitalkClient(bad)
    assert bad not in str(caught.value)
    assert bad not in repr(caught.value)


@respx.mock
async def test_a_request_that_cannot_be_written_fails_at_once_without_details() -> None:
    route = respx.post(f"{BASE}/message/send").mock(
        side_effect=httpx.LocalProtocolError("Illegal header value b'secret-value'")
    )
    async with client() as c:
        with pytest.raises(TransportError) as caught:
            await c._call(row("/message/send", Envelope[int]), {})
    assert not isinstance(caught.value, OutcomeUnknownError)  # nothing was sent
    assert "secret-value" not in str(caught.value)
    assert route.call_count == 1


@respx.mock
async def test_stats_count_each_operation_under_its_label_and_its_path() -> None:
    respx.post(f"{BASE}/autodial/action").respond(json={"status": "Success"})
    async with client() as c:
        await c.autodial.pause(7)
        await c.autodial.add_numbers(7, ["380971111111"])
        await c.autodial.add_numbers(7, ["380971111112"], refresh_duplicates=True)
        stats = c.stats
    assert stats.operations["autodial.add_numbers"].requests == 2
    assert stats.operations["autodial.pause"].requests == 1
    assert stats.paths["/autodial/action"].requests == 3


ALREADY_DONE = [
    (lambda c: c.autodial.remove(7), "Task not found"),
    (lambda c: c.autodial.cancel(7), "Task is canceled"),
    (lambda c: c.autodial.remove_all_numbers(7), "Numbers not found"),
    (lambda c: c.groups.remove_number(3, "101"), "Numbers not found"),
    (lambda c: c.distributions.remove(12), "Message distribution not found"),
]


@pytest.mark.parametrize(("call", "message"), ALREADY_DONE)
@respx.mock
async def test_an_already_done_answer_to_a_resend_after_a_lost_answer_is_success(
    call: Any, message: str
) -> None:
    route = respx.post(url__startswith=f"{BASE}/")
    done = httpx.Response(400, json={"status": "Error", "message": message})
    route.side_effect = [httpx.RemoteProtocolError("peer closed connection"), done]
    async with client() as c:
        await call(c)
        assert route.call_count == 2
        # ... but the same answer to a first attempt is the error it says
        route.side_effect = [done]
        with pytest.raises(UnitalkError) as caught:
            await call(c)
    assert caught.value.message == message
