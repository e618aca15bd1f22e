"""A local Unitalk-compatible server for tests, demos and benchmarks.

```python
from unitalk_async.sandbox import SandboxConfig, run_sandbox

with run_sandbox(SandboxConfig(seed=1)) as server:
    server.base_url, server.api_key   # what a client needs
    server.sandbox.arrivals.worst_window(10.0)
```

`create_app(config)` gives the Starlette application itself (for `httpx.ASGITransport`);
`python -m unitalk_async.sandbox` serves it from the command line.
"""

try:
    import starlette  # noqa: F401
    import uvicorn  # noqa: F401
except ImportError as exc:  # an extra, not a core dependency
    raise ImportError(
        f"{__name__} needs the [sandbox] extra: pip install 'unitalk-async[sandbox]' ({exc})"
    ) from exc

from unitalk_async.sandbox._answers import SandboxError
from unitalk_async.sandbox.app import create_app
from unitalk_async.sandbox.config import SandboxConfig, ServerLimits
from unitalk_async.sandbox.faults import FaultRule
from unitalk_async.sandbox.process import SandboxProcess, run_sandbox_process
from unitalk_async.sandbox.server import SandboxServer, run_sandbox, serve_sandbox
from unitalk_async.sandbox.state import Sandbox

__all__ = [
    "FaultRule",
    "Sandbox",
    "SandboxConfig",
    "SandboxError",
    "SandboxProcess",
    "SandboxServer",
    "ServerLimits",
    "create_app",
    "run_sandbox",
    "run_sandbox_process",
    "serve_sandbox",
]
