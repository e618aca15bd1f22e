"""Overriding `unitalk_sandbox_config` gives a test a sandbox of its own."""

from __future__ import annotations

import httpx
import pytest

from unitalk_async.sandbox import SandboxConfig, ServerLimits
from unitalk_async.sandbox.pytest_plugin import SandboxHandle


@pytest.fixture
def unitalk_sandbox_config() -> SandboxConfig:
    # A 100-s "second" (time_scale=100): the third request is refused however slow we are.
    return SandboxConfig(seed=9, limits=ServerLimits(per_second=2, time_scale=100))


def test_the_overridden_configuration_is_served(unitalk_sandbox: SandboxHandle) -> None:
    assert unitalk_sandbox.sandbox.config.seed == 9
    headers = {"Authorization": unitalk_sandbox.api_key}
    statuses = [
        httpx.post(unitalk_sandbox.base_url + "/users/list", headers=headers).status_code
        for _ in range(3)
    ]
    assert statuses[:2] == [200, 200]
    assert statuses[2] == 429
