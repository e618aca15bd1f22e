"""A stand-in for UnitalkClient that records `_call`s and answers from a script."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import msgspec

from unitalk_async import _codec
from unitalk_async._operations import AlreadyDone, Operation
from unitalk_async.resources.autodial import AutodialResource


@dataclass
class Sent:
    op: Operation[Any]
    body: Any  # the JSON body as the wire would carry it

    @property
    def path(self) -> str:
        return self.op.path


class FakeClient:
    """Answers each `_call` with the next scripted answer (a document or an exception).

    Answers are decoded through the row's answer type, as the real client does.
    """

    def __init__(self, *answers: Any) -> None:
        self.answers = list(answers)
        self.sent: list[Sent] = []
        self._resource_state: dict[str, Any] = {}

    async def _call(self, op: Operation[Any], body: Any = None, **_: Any) -> Any:
        self.sent.append(Sent(op, _codec.to_builtins(body)))
        # Every method must use the row of the action it sends.
        assert op.action == self.sent[-1].body["action"], (op, self.sent[-1].body)
        if not self.answers:
            raise AssertionError(f"unexpected request: {self.sent[-1].body}")
        answer = self.answers.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        if isinstance(answer, AlreadyDone):  # what the transport makes of a reconciled resend
            return answer
        return _codec.decode(msgspec.json.encode(answer), op.answer)


class NoRequests:
    """A client that fails the test if anything is sent."""

    def __init__(self) -> None:
        self._resource_state: dict[str, Any] = {}

    async def _call(self, op: Operation[Any], body: Any = None, **_: Any) -> Any:
        raise AssertionError(f"a request was sent: {op.label} {body!r}")


def resource(client: Any) -> AutodialResource:
    return AutodialResource(client)


OK: dict[str, Any] = {"status": "Success"}
