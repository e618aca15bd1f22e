"""The app under test: the sandbox's own `create_app` once it exists, else a stand-in."""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount

from unitalk_async.sandbox._answers import SandboxError
from unitalk_async.sandbox.config import SandboxConfig
from unitalk_async.sandbox.endpoints import EndpointsState, build_routes, build_tracking_routes
from unitalk_async.sandbox.project import Project


class StubSandbox:
    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.rng = random.Random(config.seed)
        self.project = Project.generate(config)
        self.autodial: Any = None
        self.endpoints = EndpointsState(self)

    def now(self) -> datetime:
        return datetime.now().replace(microsecond=0)


async def _answer(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SandboxError)
    return exc.response()


def build_app(config: SandboxConfig) -> tuple[Starlette, Any, dict[str, str]]:
    """(app, sandbox, headers that authenticate)."""
    sandbox = StubSandbox(config)
    app = Starlette(
        routes=[Mount("/api", routes=build_routes()), *build_tracking_routes()],
        exception_handlers={SandboxError: _answer},
    )
    app.state.sandbox = sandbox
    return app, sandbox, {}
