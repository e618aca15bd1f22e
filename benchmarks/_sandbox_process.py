"""A sandbox in its own process, so its CPU and memory are not the benchmarked client's."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx

STARTUP_LINES = 10


@dataclass(frozen=True)
class SandboxProcess:
    base_url: str
    api_key: str
    pid: int

    @property
    def admin_url(self) -> str:
        return self.base_url.removesuffix("/api") + "/__admin"

    def admin(self, route: str, method: str = "GET", **kwargs: Any) -> Any:
        answer = httpx.request(method, f"{self.admin_url}/{route}", timeout=60, **kwargs)
        answer.raise_for_status()
        return answer.json()


@contextmanager
def sandbox_process(*, limits: bool = True, history_size: int = 1000) -> Iterator[SandboxProcess]:
    """Serve `python -m unitalk_async.sandbox` on a free port (admin routes on) until exit."""
    command = [
        sys.executable,
        "-m",
        "unitalk_async.sandbox",
        "--port",
        "0",
        "--admin",
        "--empty",
        "--history-size",
        str(history_size),
    ]
    if not limits:
        command.append("--no-limits")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
    )
    try:
        assert process.stdout is not None
        base_url = api_key = None
        for _ in range(STARTUP_LINES):
            line = process.stdout.readline()
            if not line:
                break
            if line.startswith("Unitalk sandbox at "):
                base_url = line.removeprefix("Unitalk sandbox at ").strip()
            elif line.startswith("API key: "):
                api_key = line.removeprefix("API key: ").strip()
            if base_url and api_key:
                break
        if not (base_url and api_key):
            raise RuntimeError("the sandbox process did not start")
        yield SandboxProcess(base_url, api_key, process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
