"""The network between the sandbox and its clients, emulated: connection setup and latency.

A real client pays a new connection's TCP and TLS handshakes before its first request can
leave, and every request and answer spends a varying time on the way. On loopback neither
happens, so a client that is exact there may still trip the service's limits over a WAN.
`SandboxConfig(connection_setup=..., latency=(low, high))` (flags `--connection-setup`,
`--latency`) brings both back:

- `latency`: each request travels a one-way trip drawn uniformly from `(low, high)` seconds
  before the sandbox counts its arrival (limits and arrival log), and its answer as long
  again (a fresh draw) before it is sent;
- `connection_setup`: the sandbox serves HTTPS through a front that holds each new
  connection's TLS handshake for that many seconds, so the client cannot send its first
  request before then, as over a real link (a plain-HTTP client sends at once, and a
  server can only pretend it arrived later, which is not what a handshake does). The
  certificate is self-signed and made at start by the `openssl` command; a client trusts it
  through `server.http_transport()` (or `ssl_context(server.certificate)`).
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import socket
import ssl
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import anyio
from starlette.types import Message, Send

#: How much a relay reads at once.
CHUNK = 65536


@dataclass
class Latency:
    """One-way trips drawn uniformly from `(low, high)` seconds (seeded: reproducible)."""

    low: float = 0.0
    high: float = 0.0
    seed: int = 0
    _rng: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    async def trip(self) -> None:
        if self.high > 0:
            await anyio.sleep(self._rng.uniform(self.low, self.high))

    def delayed(self, send: Send) -> Send:
        """`send` after the way back: the answer leaves one trip late."""

        async def send_later(message: Message) -> None:
            if message["type"] == "http.response.start":
                await self.trip()
            await send(message)

        return send_later


def make_certificate(directory: Path) -> tuple[Path, Path]:
    """A throwaway self-signed certificate (and key) for 127.0.0.1 and localhost."""
    cert, key = directory / "sandbox-cert.pem", directory / "sandbox-key.pem"
    try:
        subprocess.run(
            [
                "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout", str(key), "-out", str(cert),
            ],
            check=True,
            capture_output=True,
        )  # fmt: skip
    except (OSError, subprocess.CalledProcessError) as exc:
        raise RuntimeError(
            f"connection_setup needs the openssl command to make the sandbox's certificate: {exc}"
        ) from exc
    return cert, key


def ssl_context(certificate: Path) -> ssl.SSLContext:
    """A client context that trusts the sandbox's self-signed certificate."""
    return ssl.create_default_context(cafile=str(certificate))


class TlsFront:
    """Accepts the clients' connections, holds each new one `setup` seconds before its TLS
    handshake completes, then relays the decrypted bytes to the plain-HTTP server."""

    def __init__(self, listener: socket.socket, upstream: tuple[str, int], setup: float) -> None:
        self._listener = listener
        self._upstream = upstream
        self._setup = setup
        self._directory = tempfile.TemporaryDirectory(prefix="unitalk-sandbox-")
        self.certificate, key = make_certificate(Path(self._directory.name))
        self._tls = server_context(self.certificate, key)
        self._tasks: set[asyncio.Task[None]] = set()

    async def serve(self) -> None:
        loop = asyncio.get_running_loop()
        self._listener.setblocking(False)
        try:
            while True:
                connection, _ = await loop.sock_accept(self._listener)
                task = loop.create_task(self._relay(connection))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
        finally:
            for task in list(self._tasks):
                task.cancel()
            self._directory.cleanup()

    async def _relay(self, connection: socket.socket) -> None:
        streams = await handshake_after(self._setup, connection, self._tls)
        if streams is None:
            return
        reader, writer = streams
        try:
            up_reader, up_writer = await asyncio.open_connection(*self._upstream)
        except OSError:
            writer.close()
            return
        try:
            await asyncio.gather(_pump(reader, up_writer), _pump(up_reader, writer))
        finally:
            writer.close()
            up_writer.close()


async def handshake_after(
    delay: float, connection: socket.socket, tls: ssl.SSLContext
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter] | None:
    """Hold an accepted connection `delay` seconds, then complete its TLS handshake: the
    client's hello waits in the kernel meanwhile, so its request cannot leave before.
    The streams of the connection, or None if the client left."""
    loop = asyncio.get_running_loop()
    await asyncio.sleep(delay)
    reader = asyncio.StreamReader()
    protocol = asyncio.StreamReaderProtocol(reader)
    try:
        transport, _ = await loop.connect_accepted_socket(lambda: protocol, connection, ssl=tls)
    except (OSError, ssl.SSLError):
        connection.close()
        return None
    return reader, asyncio.StreamWriter(transport, protocol, reader, loop)


def server_context(certificate: Path, key: Path) -> ssl.SSLContext:
    """The server side of the TLS the front speaks."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificate, key)
    return context


async def _pump(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
    """Copy until the source ends or fails, then close the sink (so the other side sees the
    disconnect: a client that gave up is a closed connection to the server too)."""
    with contextlib.suppress(OSError, ssl.SSLError, asyncio.IncompleteReadError):
        while chunk := await source.read(CHUNK):
            sink.write(chunk)
            await sink.drain()
    sink.close()
