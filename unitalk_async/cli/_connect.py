"""How a command reaches the API: the client it gets, the URL and key checks said in the
CLI's words, and retries shown as they happen.

The library's own messages advise Python callers ("pass allow_insecure_http=True"); a CLI
user can only change options and environment variables, so these checks run first and
name those.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from unitalk_async import (
    BusyError,
    Limits,
    RateLimitError,
    RetryEvent,
    RetryPolicy,
    TransportError,
    UnitalkClient,
    UnitalkError,
)
from unitalk_async._config import ENV_API_KEY, is_loopback
from unitalk_async.cli._output import err_console

if TYPE_CHECKING:
    from unitalk_async.cli._session import Settings

#: Retries of a refused connection before giving up: a configured URL that refuses three
#: times in a row (about 1.5 s) has no server behind it; other failures get the full
#: `--max-retries`.
REFUSED_RETRIES = 2


class ConnectionRefused(Exception):
    """Raised (from the retry hook) to stop retrying a URL that refuses connections."""


def check_settings(settings: Settings) -> str | None:
    """What is wrong with the key or base URL, in terms of options and variables; or None."""
    if settings.server is not None:
        return None
    if not (os.environ.get(ENV_API_KEY) or "").strip():
        return (
            f"no API key: set {ENV_API_KEY} (the key on the 'API' page of your Unitalk "
            "account), or add --sandbox to try a local sandbox without one"
        )
    url = settings.base_url
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return (
            f"--base-url / UNITALK_BASE_URL: expected an http(s) URL such as "
            f"http://127.0.0.1:8765/api, got {url!r}"
        )
    if (
        parts.scheme == "http"
        and not settings.allow_insecure_http
        and not is_loopback(parts.hostname)
    ):
        return (
            f"--base-url / UNITALK_BASE_URL: refusing plain http to {parts.hostname}: the API "
            "key would travel unencrypted; use https, or add --allow-insecure-http if you "
            "mean it (a sandbox reached by host name, say)"
        )
    return None


def is_refusal(error: UnitalkError) -> bool:
    """A connect that failed: nothing listens there (or the name does not resolve)."""
    return isinstance(error, TransportError) and error.message.startswith("ConnectError")


def _short(error: UnitalkError) -> str:
    refused = "refused" in error.message or "All connection attempts failed" in error.message
    return "connection refused" if refused else error.message


class RetryReporter:
    """An `on_retry` hook: one line on stderr per retry, and an early end for refusals."""

    def __init__(self, base_url: str, max_retries: int) -> None:
        self.base_url, self.max_retries = base_url, max_retries
        self.refusals = 0

    def __call__(self, event: RetryEvent) -> None:
        error = event.error
        waiting = isinstance(error, RateLimitError | BusyError)  # not counted as retries
        refused = is_refusal(error)
        if refused:
            self.refusals += 1
            if self.refusals > REFUSED_RETRIES:
                raise ConnectionRefused(
                    f"{self.refusals} connections to {self.base_url} failed in a row "
                    f"({error.message}); is the server running? check --base-url / "
                    "UNITALK_BASE_URL"
                )
        reason = _short(error) if refused else error.message
        count = "" if waiting else f" ({event.attempt - 1}/{self.max_retries})"
        err_console().print(
            f"[yellow]{reason}, retrying{count} in {event.delay:.1f} s...[/]",
            markup=True,
            highlight=False,
        )


def make_client(settings: Settings) -> UnitalkClient:
    """The client for this command: the embedded sandbox's, or the one UNITALK_* describe."""
    options: dict[str, Any] = {}
    if settings.max_retries is not None:
        options["max_retries"] = settings.max_retries
    if settings.timeout is not None:
        options["timeout"] = settings.timeout
    max_retries = (
        RetryPolicy().max_retries if settings.max_retries is None else settings.max_retries
    )
    server = settings.server
    if server is not None:
        # The sandbox enforces the API's real limits by default; so does the client.
        reporter = RetryReporter(server.base_url, max_retries)
        return UnitalkClient(
            server.api_key,
            base_url=server.base_url,
            limits=Limits(),
            on_retry=[reporter],
            **options,
        )
    client = UnitalkClient(
        base_url=settings.base_url,
        allow_insecure_http=settings.allow_insecure_http,
        **options,
    )
    client.hooks.on_retry.append(RetryReporter(client.base_url, max_retries))
    return client
