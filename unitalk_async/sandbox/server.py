"""Serving the sandbox over loopback: uvicorn on its own event loop in a background thread.

Its own thread and loop make `run_sandbox` usable from synchronous code and from inside a
running asyncio or trio test alike.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio.to_thread
import httpx
import uvicorn

from unitalk_async.sandbox.app import create_app
from unitalk_async.sandbox.config import SandboxConfig
from unitalk_async.sandbox.network import TlsFront, ssl_context
from unitalk_async.sandbox.state import Sandbox

STARTUP_TIMEOUT = 10.0


@dataclass(frozen=True)
class SandboxServer:
    """A running sandbox: where it listens, its key, and its `Sandbox` state."""

    host: str
    port: int
    api_key: str = field(repr=False)  # a secret: never in a repr
    sandbox: Sandbox
    #: With `connection_setup`: the self-signed certificate of the HTTPS front on `port`,
    #: and the plain-HTTP port behind it (admin requests go there, without the emulation).
    certificate: Path | None = None
    plain_port: int | None = None

    @property
    def root_url(self) -> str:
        scheme = "https" if self.certificate is not None else "http"
        return f"{scheme}://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """The API base URL, what a client takes as `base_url`."""
        return f"{self.root_url}/api"

    @property
    def admin_url(self) -> str:
        return f"http://{self.host}:{self.plain_port or self.port}/__admin"

    def http_transport(self) -> httpx.AsyncHTTPTransport:
        """An httpx transport for `UnitalkClient(http_transport=...)` that trusts the
        sandbox's certificate (a plain one when there is none)."""
        if self.certificate is None:
            return httpx.AsyncHTTPTransport()
        return httpx.AsyncHTTPTransport(verify=ssl_context(self.certificate))


def _bind(host: str, port: int) -> socket.socket:
    # proto=IPPROTO_TCP matters: asyncio sets TCP_NODELAY only on sockets that say they are
    # TCP, and without it uvicorn's separate header/body writes meet delayed ACKs (~40 ms).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    # Listening at once: a client that connects before uvicorn accepts waits in the backlog.
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def uvicorn_config(app: Any, *, log_level: str = "warning") -> uvicorn.Config:
    """The uvicorn settings the sandbox runs with (also used by `python -m`)."""
    return uvicorn.Config(
        app,
        log_level=log_level,
        access_log=False,
        lifespan="off",
        http="h11",  # the reset faults drop the h11 cycle's transport (gate.py)
        loop="asyncio",
        timeout_graceful_shutdown=1,
        backlog=2048,
    )


@contextlib.contextmanager
def run_sandbox(
    config: SandboxConfig | None = None, *, host: str = "127.0.0.1", port: int = 0
) -> Iterator[SandboxServer]:
    """Serve a new sandbox on `host`, on a free port unless `port` is given, until exit."""
    sandbox = Sandbox(config or SandboxConfig())
    app = create_app(sandbox=sandbox)
    sock = _bind(host, port)
    front, plain = network_front(sandbox.config, sock)
    # uvicorn leaves signals alone outside the main thread, as it must here.
    server = uvicorn.Server(uvicorn_config(app))
    failure: list[BaseException] = []

    def serve() -> None:
        try:
            asyncio.run(serve_behind(server, plain, front))
        except BaseException as exc:  # reported to the starting thread
            failure.append(exc)

    thread = threading.Thread(target=serve, name="unitalk-sandbox", daemon=True)
    thread.start()
    try:
        _wait_started(server, thread, failure)
        yield SandboxServer(
            host,
            sock.getsockname()[1],
            sandbox.api_key,
            sandbox,
            certificate=front.certificate if front is not None else None,
            plain_port=plain.getsockname()[1] if front is not None else None,
        )
    finally:
        server.should_exit = True
        thread.join(timeout=STARTUP_TIMEOUT)
        sock.close()
        plain.close()


def network_front(
    config: SandboxConfig, sock: socket.socket
) -> tuple[TlsFront | None, socket.socket]:
    """With `connection_setup`, the HTTPS front that listens on `sock`, and the socket of
    the plain server behind it; else no front, and the plain server listens on `sock`."""
    if config.connection_setup <= 0:
        return None, sock
    host = sock.getsockname()[0]
    plain = _bind(host, 0)
    return TlsFront(sock, (host, plain.getsockname()[1]), config.connection_setup), plain


async def serve_behind(server: uvicorn.Server, sock: socket.socket, front: TlsFront | None) -> None:
    """Serve on `sock`, with the network front (if any) relaying to it meanwhile."""
    if front is None:
        await server.serve(sockets=[sock])
        return
    relay = asyncio.ensure_future(front.serve())
    try:
        await server.serve(sockets=[sock])
    finally:
        relay.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await relay


def _wait_started(
    server: uvicorn.Server, thread: threading.Thread, failure: list[BaseException]
) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while not server.started:
        if failure or not thread.is_alive():
            raise RuntimeError("the sandbox server failed to start") from (
                failure[0] if failure else None
            )
        if time.monotonic() > deadline:
            raise TimeoutError("the sandbox server did not start in time")
        time.sleep(0.002)


@contextlib.asynccontextmanager
async def serve_sandbox(
    config: SandboxConfig | None = None, *, host: str = "127.0.0.1", port: int = 0
) -> AsyncIterator[SandboxServer]:
    """`run_sandbox` for async code: starting and stopping do not block the event loop."""
    stack = contextlib.ExitStack()
    server = await anyio.to_thread.run_sync(
        lambda: stack.enter_context(run_sandbox(config, host=host, port=port))
    )
    try:
        yield server
    finally:
        await anyio.to_thread.run_sync(stack.close)
