"""How the sandbox answers: the reference's envelope, errors and bare bodies, via msgspec."""

from __future__ import annotations

from typing import Any

import msgspec
from starlette.responses import Response

from unitalk_async._reference import SUCCESS

_encoder = msgspec.json.Encoder()
JSON = "application/json"


def bare(body: Any, status: int = 200) -> Response:
    """A body without the envelope (GET_NUMBERS, /users/list, /history/get, ...)."""
    return Response(_encoder.encode(body), status_code=status, media_type=JSON)


def success(data: Any = msgspec.UNSET, message: Any = msgspec.UNSET) -> Response:
    """`{"status": "Success", "message"?: ..., "data"?: ...}`; unset keys are left out."""
    body: dict[str, Any] = {"status": SUCCESS}
    if message is not msgspec.UNSET:
        body["message"] = message
    if data is not msgspec.UNSET:
        body["data"] = data
    return bare(body)


def error(
    message: str,
    data: Any = msgspec.UNSET,
    *,
    status: int = 400,
    headers: dict[str, str] | None = None,
) -> Response:
    """`{"status": "Error", "message": ..., "data"?: ...}` with an HTTP error status."""
    body: dict[str, Any] = {"status": "Error", "message": message}
    if data is not msgspec.UNSET:
        body["data"] = data
    return Response(_encoder.encode(body), status_code=status, media_type=JSON, headers=headers)


class SandboxError(Exception):
    """Raised inside a sandbox handler to answer with a documented error message."""

    def __init__(self, message: str, data: Any = msgspec.UNSET, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.data = data
        self.status = status

    def response(self) -> Response:
        return error(self.message, self.data, status=self.status)
