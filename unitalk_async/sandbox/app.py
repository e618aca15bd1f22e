"""The sandbox as a Starlette application: /api, the tracking links and, if asked, /__admin."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount

from unitalk_async.sandbox._answers import SandboxError, error
from unitalk_async.sandbox.admin import build_admin_routes
from unitalk_async.sandbox.config import SandboxConfig
from unitalk_async.sandbox.gate import Gate
from unitalk_async.sandbox.routing import api_routes, tracking_routes
from unitalk_async.sandbox.state import Sandbox

# Our texts for unknown paths and wrong methods (the reference shows neither).
MSG_NOT_FOUND = "Not found"
MSG_METHOD_NOT_ALLOWED = "Method not allowed"


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        return error(MSG_METHOD_NOT_ALLOWED, status=405, headers=dict(exc.headers or {}))
    if exc.status_code == 404:
        return error(MSG_NOT_FOUND, status=404)
    return error(str(exc.detail), status=exc.status_code, headers=dict(exc.headers or {}))


async def _sandbox_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SandboxError)
    return exc.response()


async def _internal_error(request: Request, exc: Exception) -> Response:
    # A bug in a handler still answers in the reference's envelope (and is re-raised, so
    # the server logs it and in-process tests see it).
    return error("Internal error", status=500)


def create_app(config: SandboxConfig | None = None, *, sandbox: Sandbox | None = None) -> Starlette:
    """A new sandbox application; `app.state.sandbox` is its `Sandbox`."""
    if sandbox is None:
        sandbox = Sandbox(config or SandboxConfig())
    routes: list[BaseRoute] = [Mount("/api", routes=api_routes()), *tracking_routes()]
    if sandbox.config.admin:
        routes.append(Mount("/__admin", routes=build_admin_routes()))
    app = Starlette(
        routes=routes,
        middleware=[Middleware(Gate, sandbox=sandbox)],
        exception_handlers={
            HTTPException: _http_error,
            SandboxError: _sandbox_error,
            Exception: _internal_error,
        },
    )
    app.state.sandbox = sandbox
    return app
