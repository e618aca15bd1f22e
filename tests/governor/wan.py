"""A far-away service for the governor's tests: a stdlib asyncio HTTPS server that judges.

Each new connection costs `handshake` seconds before its TLS handshake completes (the
client cannot send before that, as over a real TCP+TLS setup); each request travels
`one_way()` seconds to the server and its answer as long back. The server records when each
request *arrives* (the moment the service counts it) and how many it is working on at once,
whether or not the client still waits: a client that gave up does not stop the service.
Nothing here knows the governor's code (the TLS plumbing is the sandbox's network front's);
the tests judge by these records alone.
"""

from __future__ import annotations

import asyncio
import random
import socket
import ssl
import time
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from unitalk_async.sandbox.limits import worst_window
from unitalk_async.sandbox.network import (
    handshake_after,
    make_certificate,
    server_context,
    ssl_context,
)


@dataclass
class WanServer:
    """What the service saw. Times are `time.monotonic()` seconds."""

    handshake: float
    one_way: Callable[[], float]
    work: float
    answer: tuple[int, dict[str, str], bytes]
    arrivals: list[float] = field(default_factory=list)
    connections: int = 0
    most_in_flight: int = 0
    in_flight: int = 0
    base_url: str = ""
    cert: Path | None = None
    _tls: ssl.SSLContext = field(init=False, repr=False)
    _tasks: set[asyncio.Task[None]] = field(default_factory=set, repr=False)

    def worst_window(self, seconds: float) -> int:
        return worst_window(sorted(self.arrivals), seconds)

    def http_transport(self) -> httpx.AsyncHTTPTransport:
        """A transport that trusts this server's certificate (the default pool otherwise)."""
        assert self.cert is not None
        return httpx.AsyncHTTPTransport(verify=ssl_context(self.cert))

    async def _accept(self, listener: socket.socket) -> None:
        loop = asyncio.get_running_loop()
        while True:
            connection, _ = await loop.sock_accept(listener)
            self._spawn(self._serve(connection))

    async def _serve(self, connection: socket.socket) -> None:
        self.connections += 1
        streams = await handshake_after(self.handshake, connection, self._tls)
        if streams is None:
            return
        reader, writer = streams
        try:
            while await self._one_request(reader, writer):
                pass
        except (OSError, asyncio.IncompleteReadError, ssl.SSLError):
            pass
        finally:
            writer.close()

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _one_request(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bool:
        head = await reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        await reader.readexactly(length)
        self._spawn(self._handle(writer))
        return True  # HTTP/1.1 without pipelining: the next request waits for this answer

    async def _handle(self, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(self.one_way())
        self.arrivals.append(time.monotonic())
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            await asyncio.sleep(self.work)  # the service works on, whoever still waits
        finally:
            self.in_flight -= 1
        await asyncio.sleep(self.one_way())
        status, headers, body = self.answer
        lines = [f"HTTP/1.1 {status} X", f"Content-Length: {len(body)}"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        try:
            writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
            await writer.drain()
        except (OSError, RuntimeError):
            pass  # the client left: nobody reads the answer


@asynccontextmanager
async def wan_server(
    directory: Path,
    *,
    handshake: float = 0.0,
    jitter: tuple[float, float] = (0.0, 0.0),
    work: float = 0.0,
    answer: tuple[int, dict[str, str], bytes] = (200, {}, b"[]"),
    seed: int = 0,
) -> AsyncIterator[WanServer]:
    rng = random.Random(seed)
    server = WanServer(handshake, lambda: rng.uniform(*jitter), work, answer)
    server.cert, key = make_certificate(directory)
    server._tls = server_context(server.cert, key)
    listener = socket.create_server(("127.0.0.1", 0))
    listener.setblocking(False)
    server.base_url = f"https://127.0.0.1:{listener.getsockname()[1]}/api"
    server._spawn(server._accept(listener))
    try:
        yield server
    finally:
        for task in list(server._tasks):
            task.cancel()
        listener.close()
