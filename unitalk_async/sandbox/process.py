"""A sandbox in a child process, for benchmarks that must not share the GIL with the server.

`run_sandbox` serves from a thread of the calling process: simple, and the `Sandbox` object
is at hand, but client and server then share one interpreter. A benchmark of client
throughput wants the server elsewhere; it asks this one through the admin routes.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field

from unitalk_async.sandbox.server import STARTUP_TIMEOUT


@dataclass(frozen=True)
class SandboxProcess:
    """A sandbox served by `python -m unitalk_async.sandbox` in a child process."""

    base_url: str
    api_key: str = field(repr=False)  # a secret: never in a repr
    pid: int

    @property
    def root_url(self) -> str:
        return self.base_url.removesuffix("/api")

    @property
    def admin_url(self) -> str:
        return self.root_url + "/__admin"


@contextlib.contextmanager
def run_sandbox_process(
    *,
    seed: int = 0,
    enforce_limits: bool = True,
    time_scale: float = 1.0,
    history_size: int = 1000,
    api_key: str | None = None,
) -> Iterator[SandboxProcess]:
    """Start a sandbox (admin routes on) in a child process on a free port; stop it on exit."""
    command = [sys.executable, "-m", "unitalk_async.sandbox", "--port", "0", "--admin"]
    command.append("--empty")  # tests and benchmarks set up what they need
    command += ["--seed", str(seed), "--history-size", str(history_size)]
    command += ["--time-scale", str(time_scale)]
    if not enforce_limits:
        command.append("--no-limits")
    if api_key is not None:
        command += ["--api-key", api_key]
    child = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, bufsize=1
    )
    try:
        assert child.stdout is not None
        base_url = child.stdout.readline().strip().removeprefix("Unitalk sandbox at ")
        key = child.stdout.readline().strip().removeprefix("API key: ")
        if not base_url.startswith("http://") or not key:
            raise RuntimeError("the sandbox process did not start")
        # The child listens before it prints: requests may be sent at once.
        yield SandboxProcess(base_url, key, child.pid)
    finally:
        child.terminate()
        try:
            child.wait(timeout=STARTUP_TIMEOUT)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
