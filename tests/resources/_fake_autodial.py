"""A stand-in for UnitalkClient that records `_request` calls and answers from a script."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import msgspec

from unitalk_async import _codec
from unitalk_async.resources.autodial import AutodialResource


@dataclass
class Sent:
    path: str
    body: Any  # the JSON body as the wire would carry it
    response: Any
    idempotent: bool
    exclusive: str | None


class FakeClient:
    """Answers each `_request` with the next scripted answer (a document or an exception).

    Answers are decoded through the requested response type, as the real client does.
    """

    def __init__(self, *answers: Any) -> None:
        self.answers = list(answers)
        self.sent: list[Sent] = []
        self._resource_state: dict[str, Any] = {}

    async def _request(
        self,
        path: str,
        *,
        json: Any = None,
        response: Any = Any,
        idempotent: bool = False,
        exclusive: str | None = None,
        **_: Any,
    ) -> Any:
        self.sent.append(Sent(path, _codec.to_builtins(json), response, idempotent, exclusive))
        if not self.answers:
            raise AssertionError(f"unexpected request: {self.sent[-1].body}")
        answer = self.answers.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        return _codec.decode(msgspec.json.encode(answer), response)


class NoRequests:
    """A client that fails the test if anything is sent."""

    def __init__(self) -> None:
        self._resource_state: dict[str, Any] = {}

    async def _request(self, *args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"a request was sent: {kwargs.get('json')!r}")


def resource(client: Any) -> AutodialResource:
    return AutodialResource(client)


OK: dict[str, Any] = {"status": "Success"}
