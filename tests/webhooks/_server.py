"""A real uvicorn server on a free loopback port, as a task of the test's own event loop.

Serving from the test's loop (rather than a thread) keeps client and server from fighting
over the GIL, which on a small machine costs more than the requests themselves.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import anyio
import uvicorn


@asynccontextmanager
async def serving(app: Any) -> AsyncIterator[str]:
    """Serve `app` on 127.0.0.1; yields the base URL ("http://127.0.0.1:<port>").

    Port 0 lets the kernel pick a free port; it is read back from the listening socket.
    """
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=0,
        lifespan="off",
        log_config=None,
        access_log=True,
        timeout_graceful_shutdown=2,
    )
    server = uvicorn.Server(config)
    async with anyio.create_task_group() as tg:
        tg.start_soon(server.serve)
        with anyio.fail_after(10):
            while not server.started:
                if server.should_exit:
                    raise RuntimeError("uvicorn did not start")
                await anyio.sleep(0.005)
        port = server.servers[0].sockets[0].getsockname()[1]
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            server.should_exit = True


SERVER_LOGGERS = ("", "uvicorn", "uvicorn.error", "uvicorn.access")


@contextmanager
def server_log(level: int = logging.INFO) -> Iterator[list[logging.LogRecord]]:
    """Every record logged in this process at `level` (uvicorn's default, INFO) and above,
    uvicorn's included, whatever an earlier server's logging config left on its loggers
    (other handlers, higher levels, propagation off). Each record once."""
    records: list[logging.LogRecord] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if not any(r is record for r in records[-8:]):  # seen again as it propagates
                records.append(record)

    handler = Collect(level)
    loggers = [logging.getLogger(name) for name in SERVER_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(level)
    try:
        yield records
    finally:
        for logger, saved in zip(loggers, levels, strict=True):
            logger.removeHandler(handler)
            logger.setLevel(saved)
