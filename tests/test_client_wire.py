"""The client's promises about where its key goes, judged at independent stdlib servers."""

from __future__ import annotations

import logging

import httpx
import pytest
from _wire import json_answer, wire_server

from unitalk_async import (
    AuthenticationError,
    ConfigurationError,
    Limits,
    RetryPolicy,
    UnitalkClient,
    ValidationError,
)

pytestmark = pytest.mark.anyio

KEY = "k3y-0f-the-pr0ject"
OK = json_answer(b'{"status": "Success", "data": null}')


def _client(base_url: str) -> UnitalkClient:
    return UnitalkClient(KEY, base_url=base_url, limits=Limits.disabled(), retry=RetryPolicy.none())


async def test_the_key_goes_only_to_the_base_urls_origin() -> None:
    with wire_server(OK) as api, wire_server(OK) as elsewhere:
        async with _client(api.url + "/api") as client:
            await client.post("/users/list")
            for url in (elsewhere.url + "/x", elsewhere.url.replace("127.0.0.1", "localhost")):
                with pytest.raises(ValidationError, match="base URL") as refused:
                    await client.post(url)
                assert refused.value.field == "path"
            await client.post(api.url + "/api/users/list")  # absolute, same origin: fine
    assert [r.headers.get("Authorization") for r in api.received] == [KEY, KEY]
    assert elsewhere.received == []


async def test_incoming_webhook_links_are_posted_without_the_key() -> None:
    link = "/tracking/webhook/event?token=t0k&action=AUTODIAL_REMOVE&id=7&phones=380971234567"
    with wire_server(OK) as api, wire_server(OK) as tracking:
        async with _client(api.url + "/api") as client:
            await client.post(tracking.url + link)
    assert api.received == []
    [request] = tracking.received
    assert "Authorization" not in request.headers
    assert request.target == link


async def test_a_plain_http_loopback_base_url_never_goes_through_a_proxy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with wire_server(OK) as api, wire_server(OK) as proxy:
        for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.setenv("http_proxy", proxy.url)
        async with _client(api.url + "/api") as client:
            await client.post("/users/list")
    assert proxy.received == []
    assert [r.headers.get("Authorization") for r in api.received] == [KEY]


async def test_the_key_echoed_by_the_service_is_redacted(caplog: pytest.LogCaptureFixture) -> None:
    echo = f'{{"status": "Unauthorized", "message": "Unauthorized: key {KEY} is wrong", '
    echo += f'"data": {{"key": "{KEY}", "seen": ["Bearer {KEY}"]}}}}'
    caplog.set_level(logging.DEBUG, logger="unitalk_async")
    with wire_server(json_answer(echo.encode(), status=401)) as api:
        async with _client(api.url + "/api") as client:
            with pytest.raises(AuthenticationError) as raised:
                await client.post("/users/list")
    error = raised.value
    shown = " ".join([str(error), repr(error), error.message, repr(error.data), caplog.text])
    assert "Unauthorized: key <redacted> is wrong" in shown
    assert KEY not in shown
    assert error.data == {"key": "<redacted>", "seen": ["Bearer <redacted>"]}


def test_an_httpx_timeout_is_read_as_httpx_users_mean_it() -> None:
    options = UnitalkClient("k", timeout=httpx.Timeout(5.0, connect=2.0))._options
    assert (options.timeout, options.connect_timeout) == (5.0, 2.0)
    view = UnitalkClient("k").with_options(timeout=httpx.Timeout(7.0))._options
    assert (view.timeout, view.connect_timeout) == (7.0, 7.0)


@pytest.mark.parametrize("timeout", [httpx.Timeout(None), "5", True, float("nan"), -1])
def test_unusable_timeouts_are_a_configuration_error(timeout: object) -> None:
    with pytest.raises(ConfigurationError, match="timeout"):
        UnitalkClient("k", timeout=timeout)  # type: ignore[arg-type]
