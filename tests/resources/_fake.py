"""A stand-in for `UnitalkClient._call`: records each call, answers canned JSON.

Used where a test is about what a resource method sends (or refuses to send) rather than
about the service's answer; the sandbox tests cover the round trip. Which row of
`_operations.py` a method uses is what these tests check; the rows' rules are checked in
tests/test_operations.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from unitalk_async import _codec
from unitalk_async._client import UnitalkClient
from unitalk_async._operations import Operation, Wire

Answer = str | Callable[[str, dict[str, Any]], str] | BaseException

_BODY_AS = {Wire.JSON: "json", Wire.QUERY: "params", Wire.FORM: "data", Wire.MULTIPART: "data"}


@dataclass
class Sent:
    op: Operation[Any]
    request: Any  # the body as the method passed it
    extra: dict[str, Any]  # files, timeout

    @property
    def path(self) -> str:
        return self.op.path

    @property
    def options(self) -> dict[str, Any]:
        """The body under the name of how it travels (json, params, data), files, timeout."""
        named = _BODY_AS.get(self.op.wire)
        return ({named: self.request} if named else {}) | self.extra

    @property
    def body(self) -> Any:
        """The JSON body as it would go on the wire (None when not JSON)."""
        json = self.options.get("json")
        return None if json is None else _codec.to_builtins(json)


@dataclass
class FakeClient:
    """Answers every request with `answer` (JSON text, a function of path/options, or an
    exception to raise), decoded into the answer type of the row."""

    answer: Answer = '{"status": "Success"}'
    sent: list[Sent] = field(default_factory=list)

    async def _call(self, op: Operation[Any], body: Any = None, **extra: Any) -> Any:
        self.sent.append(Sent(op, body, extra))
        answer = self.answer
        if isinstance(answer, BaseException):
            raise answer
        text = answer(op.path, self.sent[-1].options) if callable(answer) else answer
        return _codec.decode(text, op.answer)

    def as_client(self) -> UnitalkClient:
        return cast(UnitalkClient, self)
