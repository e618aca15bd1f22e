"""Constructing the client: keys, base URLs, insecure URLs, env vars, logging, lifecycle."""

from __future__ import annotations

import logging

import pytest
import respx

from unitalk_async import ConfigurationError, Limits, LocalGovernor, UnitalkClient, _logging

pytestmark = pytest.mark.anyio


def test_missing_key_is_a_clear_error_at_construction(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("UNITALK_API_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="UNITALK_API_KEY"):
        UnitalkClient()
    with pytest.raises(ConfigurationError):
        UnitalkClient("   ")


def test_key_and_base_url_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UNITALK_API_KEY", "env-key")
    monkeypatch.setenv("UNITALK_BASE_URL", "https://eu.example.test/api/")
    client = UnitalkClient()
    assert client.base_url == "https://eu.example.test/api"
    assert client._transport._authorization == "env-key"
    monkeypatch.delenv("UNITALK_BASE_URL")
    assert UnitalkClient().base_url == "https://api.unitalk.cloud/api"


@pytest.mark.parametrize(
    "url", ["http://api.unitalk.cloud/api", "http://10.0.0.5:8080/api", "http://example.test"]
)
def test_plain_http_is_refused_except_loopback_or_opt_in(url: str) -> None:
    with pytest.raises(ConfigurationError, match="unencrypted"):
        UnitalkClient("k", base_url=url)
    assert UnitalkClient("k", base_url=url, allow_insecure_http=True).base_url == url


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8000/api", "http://localhost:9/api", "http://[::1]:8000/api"]
)
def test_loopback_http_is_allowed(url: str) -> None:
    assert UnitalkClient("k", base_url=url).base_url == url


@pytest.mark.parametrize("url", ["ftp://x/api", "api.unitalk.cloud", "https://x/api?key=1"])
def test_malformed_base_urls(url: str) -> None:
    with pytest.raises(ConfigurationError, match="base_url"):
        UnitalkClient("k", base_url=url)


def test_bad_options_are_refused() -> None:
    with pytest.raises(ConfigurationError, match="timeout"):
        UnitalkClient("k", timeout=0)
    with pytest.raises(ConfigurationError, match="auth_scheme"):
        UnitalkClient("k", auth_scheme="token")  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match="governor"):
        UnitalkClient("k", governor=LocalGovernor(), limits=Limits())


def test_defaults() -> None:
    client = UnitalkClient("k")
    options = client._options
    assert options.analytics_timeout >= 15 * 60
    assert client.governor.limits == Limits()  # type: ignore[attr-defined]
    assert client.stats.requests == 0


async def test_context_manager_closes_the_pool() -> None:
    async with UnitalkClient("k") as client:
        assert not client._http.is_closed
    assert client._http.is_closed


def test_unitalk_log_env_turns_on_debug_logging(monkeypatch: pytest.MonkeyPatch) -> None:
    logger = logging.getLogger("unitalk_async")
    before = (logger.level, list(logger.handlers))
    monkeypatch.setattr(_logging, "_configured", False)
    monkeypatch.setenv("UNITALK_LOG", "debug")
    try:
        UnitalkClient("k")
        assert logger.level == logging.DEBUG
        assert logger.handlers
    finally:
        logger.setLevel(before[0])
        logger.handlers[:] = before[1]


@respx.mock
async def test_shared_governor_across_clients() -> None:
    respx.post("https://api.unitalk.cloud/api/users/list").respond(json=[])
    governor = LocalGovernor(Limits())
    async with (
        UnitalkClient("k", governor=governor) as a,
        UnitalkClient("k", governor=governor) as b,
    ):
        await a.post("/users/list")
        await b.post("/users/list")
    assert governor.statistics().admitted == 2
