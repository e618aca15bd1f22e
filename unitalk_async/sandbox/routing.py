"""The sandbox's routes, read from the client's operation table (`unitalk_async._operations`).

Which paths and autodialer actions exist is the table's to say: a row without a handler, or
a handler without a row, stops the app at creation. Each answer is checked against its row's
envelope rule (enveloped rows answer `{"status": ...}`, bare rows never a success
envelope), so the sandbox and the client cannot disagree on the shape of an answer: a
mismatch is a sandbox bug, answered 500 and raised.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from unitalk_async import _operations as ops
from unitalk_async._operations import OPERATIONS, Operation
from unitalk_async.sandbox import autodial
from unitalk_async.sandbox._answers import SandboxError
from unitalk_async.sandbox._request import json_body
from unitalk_async.sandbox.endpoints import API_HANDLERS, TRACKING_HANDLERS

if TYPE_CHECKING:
    from unitalk_async.sandbox.state import Sandbox

__all__ = ["api_routes", "tracking_routes"]

Endpoint = Callable[[Request], Awaitable[Response]]

_ENVELOPE = b'{"status":'
_SUCCESS_ENVELOPE = b'{"status":"Success"'
_AUTODIAL = ops.AUTODIAL_GET_LIST.path


def check_answer(rows: Iterable[Operation[Any]], answer: Response) -> Response:
    """`answer` if its shape is the one the rows give; raises RuntimeError otherwise."""
    rows = list(rows)
    body = bytes(answer.body)
    if all(row.enveloped for row in rows) and not body.startswith(_ENVELOPE):
        raise RuntimeError(f"{rows[0].endpoint}: enveloped in the table, answered bare")
    if not any(row.enveloped for row in rows) and body.startswith(_SUCCESS_ENVELOPE):
        raise RuntimeError(f"{rows[0].endpoint}: bare in the table, answered in an envelope")
    return answer


def _checked(rows: list[Operation[Any]], handler: Endpoint) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        return check_answer(rows, await handler(request))

    return endpoint


def _by_path(rows: Iterable[Operation[Any]]) -> dict[str, list[Operation[Any]]]:
    paths: dict[str, list[Operation[Any]]] = {}
    for row in rows:
        paths.setdefault(row.path, []).append(row)
    return paths


def _same(what: str, table: Iterable[str], handled: Iterable[str]) -> None:
    missing, extra = set(table) - set(handled), set(handled) - set(table)
    if missing or extra:
        raise RuntimeError(
            f"sandbox {what} disagree with the operation table: without a handler "
            f"{sorted(missing)}, not in the table {sorted(extra)}"
        )


def _routes(rows: Iterable[Operation[Any]], handlers: Mapping[str, Endpoint]) -> list[BaseRoute]:
    paths = _by_path(rows)
    _same("paths", paths, handlers)
    return [
        Route(path, _checked(paths[path], handler), methods=["POST"])
        for path, handler in handlers.items()
    ]


def api_routes() -> list[BaseRoute]:
    """Every path of the table under the /api mount; /autodial/action by action."""
    api = [row for row in OPERATIONS if row.authorize]
    actions = {row.action: row for row in api if row.path == _AUTODIAL and row.action}
    _same("autodialer actions", actions, autodial.ACTIONS)
    others = [row for row in api if row.path != _AUTODIAL]
    return [
        Route(_AUTODIAL, _autodial_endpoint(actions), methods=["POST"]),
        *_routes(others, API_HANDLERS),
    ]


def tracking_routes() -> list[BaseRoute]:
    """The incoming-webhook links, at the server root, authenticated by their `token`."""
    return _routes([row for row in OPERATIONS if not row.authorize], TRACKING_HANDLERS)


def _autodial_endpoint(actions: dict[str, Operation[Any]]) -> Endpoint:
    async def autodial_action(request: Request) -> Response:
        """/autodial/action: dispatch on the body's `action`."""
        sandbox: Sandbox = request.app.state.sandbox
        body = await json_body(request)
        action = body.get("action") if isinstance(body, dict) else None
        handler = autodial.ACTIONS.get(action) if isinstance(action, str) else None
        if handler is None:
            raise SandboxError(autodial.MSG_WRONG_ACTION)
        return check_answer([actions[str(action)]], await handler(sandbox, body))

    return autodial_action
