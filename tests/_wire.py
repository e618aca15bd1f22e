"""An independent HTTP server for wire tests: the stdlib's, in a thread, scripted per test.

It shares no code with the client: what it records is what really crossed the socket.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    method: str
    target: str  # the request target as sent (absolute for a proxy)
    headers: dict[str, str]
    body: bytes


#: answer(request, handler): writes the whole answer through `handler` (status, headers, body).
Answer = Callable[[Received, BaseHTTPRequestHandler], None]


def json_answer(body: bytes, status: int = 200) -> Answer:
    def answer(_: Received, handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return answer


@dataclass
class WireServer:
    url: str  # http://127.0.0.1:<port>
    received: list[Received] = field(default_factory=list)


@contextmanager
def wire_server(answer: Answer) -> Iterator[WireServer]:
    """Serve `answer` on a free loopback port until the block ends."""
    state = WireServer(url="")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            request = Received(
                "POST", self.path, dict(self.headers.items()), self.rfile.read(length)
            )
            state.received.append(request)
            # The client may give up mid-answer: that is what some tests check.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                answer(request, self)

        do_GET = do_POST

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
