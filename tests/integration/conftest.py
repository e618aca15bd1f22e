"""A sandbox in its own process, as a real server is: no shared GIL skews its arrival times."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest


@dataclass(frozen=True)
class SandboxProcess:
    base_url: str
    api_key: str
    admin_url: str

    def admin(self, what: str) -> Any:
        return httpx.get(f"{self.admin_url}/{what}", timeout=10).json()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def sandbox_process(request: pytest.FixtureRequest) -> Iterator[SandboxProcess]:
    """`python -m unitalk_async.sandbox --admin`; extra CLI args via indirect parametrize."""
    extra: list[str] = list(getattr(request, "param", []))
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "unitalk_async.sandbox", "--port", str(port), "--admin", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(2)]
        base_url = re.search(r"(http://\S+/api)", lines[0])
        api_key = re.search(r"API key: (\S+)", lines[1])
        assert base_url and api_key, lines
        server = SandboxProcess(base_url[1], api_key[1], base_url[1][: -len("/api")] + "/__admin")
        deadline = time.monotonic() + 20
        while True:
            try:
                server.admin("arrivals")
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield server
    finally:
        proc.terminate()
        proc.wait(10)
