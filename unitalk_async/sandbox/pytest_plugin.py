"""pytest plugin (entry point `unitalk_sandbox`): a running sandbox and a matching client.

```python
def test_autodialers(unitalk_sandbox):
    async def main():
        async with unitalk_sandbox.client() as client:
            ...
```

One sandbox server serves the whole session, started on first use; its state (autodialers,
arrival log, faults, blocks) is reset before each test. Override `unitalk_sandbox_config`
to change the configuration: a test whose configuration differs from the session server's
gets a server of its own for that test.

The fixtures are synchronous, so they work under pytest-asyncio, anyio or trio alike.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from unitalk_async.sandbox.config import SandboxConfig
    from unitalk_async.sandbox.server import SandboxServer
    from unitalk_async.sandbox.state import Sandbox


@dataclass(frozen=True)
class SandboxHandle:
    """What the `unitalk_sandbox` fixture yields."""

    server: SandboxServer

    @property
    def base_url(self) -> str:
        return self.server.base_url

    @property
    def api_key(self) -> str:
        return self.server.api_key

    @property
    def admin_url(self) -> str:
        return self.server.admin_url

    @property
    def root_url(self) -> str:
        return self.server.root_url

    @property
    def sandbox(self) -> Sandbox:
        return self.server.sandbox

    def client(self, **kwargs: Any) -> Any:
        """A `unitalk_async.UnitalkClient` for this sandbox; `kwargs` go to its constructor."""
        from unitalk_async import UnitalkClient  # lazy: the plugin loads before any test

        return UnitalkClient(api_key=self.api_key, base_url=self.base_url, **kwargs)


class _SessionServers:
    """The lazily started session server; stopped when the session ends."""

    def __init__(self) -> None:
        self._stack = contextlib.ExitStack()
        self._server: SandboxServer | None = None

    def get(self, config: SandboxConfig) -> SandboxServer:
        from unitalk_async.sandbox.server import run_sandbox

        if self._server is None:
            self._server = self._stack.enter_context(run_sandbox(config))
        return self._server

    def close(self) -> None:
        self._stack.close()
        self._server = None


@pytest.fixture(scope="session")
def _unitalk_sandbox_servers() -> Iterator[_SessionServers]:
    servers = _SessionServers()
    try:
        yield servers
    finally:
        servers.close()


@pytest.fixture
def unitalk_sandbox_config() -> SandboxConfig:
    """The sandbox configuration; override this fixture to change it (limits off by default)."""
    from unitalk_async.sandbox.config import SandboxConfig

    return SandboxConfig(enforce_limits=False)


@pytest.fixture
def unitalk_sandbox(
    unitalk_sandbox_config: SandboxConfig, _unitalk_sandbox_servers: _SessionServers
) -> Iterator[SandboxHandle]:
    """A running sandbox with fresh state, and `client()` to talk to it."""
    from unitalk_async.sandbox.config import SandboxConfig
    from unitalk_async.sandbox.server import run_sandbox

    default = SandboxConfig(enforce_limits=False)
    if unitalk_sandbox_config == default:
        server = _unitalk_sandbox_servers.get(default)
        server.sandbox.reset_all()
        yield SandboxHandle(server)
        return
    with run_sandbox(unitalk_sandbox_config) as own_server:
        yield SandboxHandle(own_server)
