"""A sandbox in its own process, as a real server is: no shared GIL skews its arrival times."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from unitalk_async.sandbox.process import SandboxProcess, run_sandbox_process


def admin(server: SandboxProcess, what: str) -> Any:
    return httpx.get(f"{server.admin_url}/{what}", timeout=10).json()


@pytest.fixture
def sandbox_process() -> Iterator[SandboxProcess]:
    with run_sandbox_process(seed=3) as server:
        yield server
