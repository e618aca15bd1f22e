"""An autodialer's call history: records with increasing ids, queried as GET_CALLS_HISTORY.

Records are appended in id order, so `maxId` is a bisection and, without filters, a page is
a slice: calls inserted while a client pages with `maxId` never shift its pages.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import msgspec

from unitalk_async.sandbox.phones import digits_only


class SecretaryStep(msgspec.Struct, rename="camel"):
    node_id: int
    action_title: str
    recognized_text: str | None = None
    recognized_dates: list[str] | None = None
    alternative_audio_index: str | None = None
    jump_to_node: bool = False
    start_background_secretary_id: int | None = None
    end_background_secretary_id: int | None = None


class Secretary(msgspec.Struct, rename="camel"):
    id: int
    duration: int
    end_node_type: str
    end_reason: str
    end_node_id: int
    end_node_title: str
    end_voice_secretary_id: int
    steps: list[SecretaryStep]


class CallItem(msgspec.Struct, rename="camel"):
    """One GET_CALLS_HISTORY item, with the reference's field names on the wire."""

    id: int
    phone: str
    state: str
    call_end_time: str
    operator_number: str | None
    user_id: int | None
    called_count: int
    real_called_count: int
    seconds: int | None
    seconds_for_client_answered: int | None
    seconds_dial_to_client: int | None
    seconds_client_wait_operator: int | None
    seconds_operator_wait_call: int | None
    seconds_for_operator_answered: int | None
    seconds_talk: int | None
    rid: int
    name: str | None
    note: str | None
    link: str | None
    params: dict[str, str | None] | None
    withdraw_total: str | None
    withdraw_by_categories: dict[str, str] | None
    executed_trigger_action_ids: list[int] | None
    send_first_message_to_client_success: bool
    secretary: Secretary | None


@dataclass(frozen=True, slots=True)
class HistoryQuery:
    """GET_CALLS_HISTORY's `callHistoryRequest`, validated."""

    offset: int = 0
    limit: int = 50
    max_id: int | None = None
    date_from: str | None = None  # "yyyy-MM-dd HH:mm:ss", inclusive
    date_to: str | None = None  # exclusive
    states: frozenset[str] | None = None
    phone: str | None = None
    operator_number: str | None = None
    name: str | None = None
    note: str | None = None
    link: str | None = None
    param: str | None = None
    voice_secretary_ids: frozenset[str] | None = None
    end_node_types: frozenset[str] | None = None
    end_reasons: frozenset[str] | None = None

    def predicate(self) -> Callable[[CallItem], bool] | None:
        """A filter over records, or None when only paging applies (the fast path)."""
        tests: list[Callable[[CallItem], bool]] = []
        if self.date_from is not None:
            lo = self.date_from
            tests.append(lambda c: c.call_end_time >= lo)
        if self.date_to is not None:
            hi = self.date_to
            tests.append(lambda c: c.call_end_time < hi)
        if self.states:
            states = self.states
            tests.append(lambda c: c.state in states)
        if self.phone:
            part = digits_only(self.phone)
            tests.append(lambda c: part in c.phone)
        if self.operator_number:
            exact = digits_only(self.operator_number)
            tests.append(lambda c: c.operator_number == exact)
        for attr, part_ in (("name", self.name), ("note", self.note), ("link", self.link)):
            if part_:
                tests.append(_contains(attr, part_))
        if self.param:
            value = self.param
            tests.append(lambda c: any(value in (v or "") for v in (c.params or {}).values()))
        if self.voice_secretary_ids:
            ids = self.voice_secretary_ids
            tests.append(lambda c: c.secretary is not None and str(c.secretary.id) in ids)
        if self.end_node_types:
            types = self.end_node_types
            tests.append(lambda c: c.secretary is not None and c.secretary.end_node_type in types)
        if self.end_reasons:
            reasons = self.end_reasons
            tests.append(lambda c: c.secretary is not None and c.secretary.end_reason in reasons)
        if not tests:
            return None
        return lambda c: all(test(c) for test in tests)


def _contains(attr: str, part: str) -> Callable[[CallItem], bool]:
    def test(call: CallItem) -> bool:
        value = getattr(call, attr)
        return value is not None and part in value

    return test


class CallHistory:
    """Call records of one autodialer, ascending by id."""

    def __init__(self) -> None:
        self.items: list[CallItem] = []
        self._ids: list[int] = []

    def __len__(self) -> int:
        return len(self.items)

    def append(self, call: CallItem) -> None:
        self.items.append(call)
        self._ids.append(call.id)

    def query(self, q: HistoryQuery) -> dict[str, Any]:
        """The bare GET_CALLS_HISTORY answer: count, offset, limit, items (descending id)."""
        end = len(self.items) if q.max_id is None else bisect.bisect_right(self._ids, q.max_id)
        test = q.predicate()
        if test is None:
            count = end
            top = end - q.offset
            page = self.items[max(0, top - q.limit) : max(0, top)][::-1]
        else:
            matching = [c for c in reversed(self.items[:end]) if test(c)]
            count = len(matching)
            page = matching[q.offset : q.offset + q.limit]
        return {"count": count, "offset": q.offset, "limit": q.limit, "items": page}
