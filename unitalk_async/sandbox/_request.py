"""Reading a request body once: the gate decodes JSON with msgspec and handlers reuse it."""

from __future__ import annotations

from typing import Any, Final

import msgspec
from starlette.requests import Request

from unitalk_async.sandbox._answers import SandboxError

# Where the gate leaves the decoded body in the ASGI scope's "state" (request.state).
JSON_STATE_KEY: Final = "unitalk_json"
# Our decision: the reference shows no answer to a body that is not JSON.
MSG_INVALID_JSON: Final = "Invalid JSON"


class _Invalid:
    """Marks a body that was not valid JSON."""


INVALID: Final = _Invalid()
_MISSING: Final = object()
_decoder = msgspec.json.Decoder()


def decode_json(body: bytes) -> Any:
    """The decoded body, None for an empty one, INVALID for one that is not JSON."""
    if not body.strip():
        return None
    try:
        return _decoder.decode(body)
    except msgspec.DecodeError:
        return INVALID


async def json_body(request: Request) -> Any:
    """The request's JSON body (None when empty), decoded once per request.

    Raises SandboxError("Invalid JSON") for a body that is not JSON.
    """
    state = request.scope.get("state")
    cached = state.get(JSON_STATE_KEY, _MISSING) if isinstance(state, dict) else _MISSING
    if cached is _MISSING:
        cached = decode_json(await request.body())
    if cached is INVALID:
        raise SandboxError(MSG_INVALID_JSON)
    return cached
