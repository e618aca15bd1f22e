"""A real redis-server for the Redis governor's tests, and a fresh namespace per test.

The server is the one at UNITALK_TEST_REDIS_URL (default redis://127.0.0.1:6379/15). When
none answers, the tests fail in CI (CI is set; `.ci/run` starts one) and skip elsewhere.
"""

from __future__ import annotations

import os
import secrets
import socket
from collections.abc import AsyncIterator, Iterator
from urllib.parse import urlsplit

import pytest
from redis.asyncio import Redis

DEFAULT_TEST_REDIS_URL = "redis://127.0.0.1:6379/15"


def _redis_url() -> str:
    return os.environ.get("UNITALK_TEST_REDIS_URL", DEFAULT_TEST_REDIS_URL)


def _reachable(url: str) -> str | None:
    """None if a Redis answers PING at `url`, else why not."""
    parts = urlsplit(url)
    try:
        with socket.create_connection(
            (parts.hostname or "127.0.0.1", parts.port or 6379), 1.0
        ) as s:
            s.sendall(b"PING\r\n")
            answer = s.recv(64)
    except OSError as exc:
        return f"{exc.__class__.__name__}: {exc}"
    if not answer.startswith((b"+PONG", b"-NOAUTH")):
        return f"unexpected answer to PING: {answer!r}"
    return None


@pytest.fixture(scope="session")
def redis_url() -> str:
    url = _redis_url()
    problem = _reachable(url)
    if problem is not None:
        message = f"no redis-server at {url} ({problem}); set UNITALK_TEST_REDIS_URL"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return url


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"  # redis-py's client is asyncio-only


@pytest.fixture
def namespace(redis_url: str) -> Iterator[str]:
    """A namespace no other test (or run) uses; its keys are deleted afterwards."""
    name = f"test-{secrets.token_hex(6)}"
    yield name
    import redis

    with redis.Redis.from_url(redis_url) as client:
        keys = list(client.scan_iter(match=f"*{{{name}*", count=1000))  # and sub-namespaces
        keys += list(client.scan_iter(match=f"{name}:*", count=1000))
        if keys:
            client.delete(*keys)


@pytest.fixture
async def redis_client(redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url)
    try:
        yield client
    finally:
        await client.aclose()
