"""Fixtures of the webhook tests: the server's log as uvicorn writes it at its default level,
and (re-exported) the Redis fixtures of the Redis governor's tests, for the Redis seen-store."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from governor_redis.conftest import namespace, redis_client, redis_url  # noqa: F401

UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access")


@pytest.fixture
def server_log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """`caplog` with every record at INFO, uvicorn's default level, uvicorn's included.

    A server started earlier in the session with uvicorn's own logging config (the sandbox's)
    leaves its loggers not propagating; they are put back to propagate for the test.
    """
    saved = [(logging.getLogger(n), logging.getLogger(n).propagate) for n in UVICORN_LOGGERS]
    for logger, _ in saved:
        logger.propagate = True
    for name in UVICORN_LOGGERS:
        caplog.set_level(logging.INFO, logger=name)
    caplog.set_level(logging.INFO)  # last: it also sets the capture handler's level
    try:
        yield caplog
    finally:
        for logger, propagate in saved:
            logger.propagate = propagate
