"""A stand-in for `UnitalkClient._request`: records each call, answers canned JSON.

Used where a test is about what a resource method sends (or refuses to send) rather than
about the service's answer; the sandbox tests cover the round trip.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from unitalk_async import _codec
from unitalk_async._client import UnitalkClient

Answer = str | Callable[[str, dict[str, Any]], str] | BaseException


@dataclass
class Sent:
    path: str
    options: dict[str, Any]

    @property
    def body(self) -> Any:
        """The JSON body as it would go on the wire (None when not JSON)."""
        json = self.options.get("json")
        return None if json is None else _codec.to_builtins(json)


@dataclass
class FakeClient:
    """Answers every request with `answer` (JSON text, a function of path/options, or an
    exception to raise), decoded into the `response` type the method asked for."""

    answer: Answer = '{"status": "Success"}'
    sent: list[Sent] = field(default_factory=list)

    async def _request(self, path: str, **options: Any) -> Any:
        self.sent.append(Sent(path, options))
        answer = self.answer
        if isinstance(answer, BaseException):
            raise answer
        text = answer(path, options) if callable(answer) else answer
        return _codec.decode(text, options.get("response", Any))

    def as_client(self) -> UnitalkClient:
        return cast(UnitalkClient, self)
