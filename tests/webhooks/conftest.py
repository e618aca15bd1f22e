"""Fixtures of the webhook tests: the server's log as uvicorn writes it at its default level,
and (re-exported) the Redis fixtures of the Redis governor's tests, for the Redis seen-store."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from governor_redis.conftest import namespace, redis_client, redis_url  # noqa: F401

from ._server import server_log as _server_log


@pytest.fixture
def server_log() -> Iterator[list[logging.LogRecord]]:
    """Every record at INFO (uvicorn's default level) and above, uvicorn's included."""
    with _server_log() as records:
        yield records
