"""The project's call history (/history/get), generated from the seed.

Rows are compact named tuples in ascending id and date order, generated once on first use
(100,000 rows take well under a second); the wire dict of a row is built only when a page
holds it. Dates ascend with ids, so a date range is a slice found by bisection, and a
filtered scan is cached for the paging that follows it.
"""

from __future__ import annotations

import random
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, Literal, NamedTuple

import msgspec
from starlette.requests import Request
from starlette.responses import Response

from unitalk_async._codec import DATETIME_FORMAT
from unitalk_async._reference import HISTORY_MAX_LIMIT
from unitalk_async.sandbox._answers import SandboxError, bare
from unitalk_async.sandbox.endpoints._request import json_body, parse_datetime, state_of
from unitalk_async.sandbox.phones import digits_only
from unitalk_async.sandbox.project import Project

EPOCH = datetime(2000, 1, 1)
SPAN_SECONDS = 90 * 24 * 3600  # the generated history covers the last 90 days
_FILTER_CACHE_SIZE = 8
_PARTIAL_EVERY = 23  # about one unanswered record in 23 lacks state, cause, secondsFullTime
_WARNING_EVERY = 29  # about one record in 29 carries a warning
_WARNING = "Call record is incomplete"

# (state, cause, weight): the outcomes of generated calls.
_OUTCOMES = (
    ("ANSWER", 16, 62),
    ("NOANSWER", 19, 20),
    ("BUSY", 17, 8),
    ("FAIL", 38, 4),
    ("CHANUNAVAIL", 20, 2),
    ("UNREACHABLE", 20, 2),
    ("NOT_EXIST", 1, 1),
    ("BUSYOUT", 34, 1),
)
_OUTCOME_TABLE = tuple(outcome for outcome in _OUTCOMES for _ in range(outcome[2]))
_CAUSES = {state: cause for state, cause, _ in _OUTCOMES}
_IN_SOURCES = ("REGULAR",) * 5 + ("TRACKING",) * 2 + ("CLICK2CALL", "FORM", "CALLBACK", "AUTO_CB")
_OUT_SOURCES = ("REGULAR",) * 4 + ("AUTODIAL", "API_CALL", "C2C_API")
_COMMENTS = ("That one was successful!", "Call back tomorrow", "Asked for a quote")
_UTM = (
    ("google", "search", "web", "best+product", "content", "google.com"),
    ("facebook", "cpc", "spring", "sale", "banner", "facebook.com"),
    ("newsletter", "email", "weekly", None, None, None),
)


class HistoryRow(NamedTuple):
    id: int
    dbid: int
    ts: int  # seconds since EPOCH in the project's wall-clock time
    direction: str
    source: str
    caller: str
    callee: str | None
    outer: str
    state: str
    seconds_full: int
    seconds_talk: int
    group: str | None
    new_lead: bool
    lost: bool
    voice_message: bool


def to_ts(moment: datetime) -> int:
    return int((moment - EPOCH).total_seconds())


def from_ts(ts: int) -> str:
    return (EPOCH + timedelta(seconds=ts)).strftime(DATETIME_FORMAT)


class HistoryFilter(msgspec.Struct, rename="camel", frozen=True):
    direction: Literal["IN", "OUT", "INNER"] | None = None
    min_duration: int | None = None
    called_from: tuple[str, ...] | None = None
    called_to: tuple[str, ...] | None = None
    outer_num: tuple[str, ...] | None = None
    exact_phone: tuple[str, ...] | None = None
    new_lead: bool | None = None
    answered: bool | None = None
    lost: bool | None = None
    voice_message: bool | None = None

    def matches(self, row: HistoryRow) -> bool:
        if self.direction is not None and row.direction != self.direction:
            return False
        if self.min_duration is not None and row.seconds_talk < self.min_duration:
            return False
        if self.called_from is not None and not any(p in row.caller for p in self.called_from):
            return False
        if self.called_to is not None and not (
            row.callee is not None and any(p in row.callee for p in self.called_to)
        ):
            return False
        if self.outer_num is not None and row.outer not in self.outer_num:
            return False
        if self.exact_phone is not None and not (
            row.caller in self.exact_phone or row.callee in self.exact_phone
        ):
            return False
        if self.new_lead is not None and row.new_lead != self.new_lead:
            return False
        if self.answered is not None and (row.state == "ANSWER") != self.answered:
            return False
        if self.lost is not None and row.lost != self.lost:
            return False
        return self.voice_message is None or row.voice_message == self.voice_message


class CallHistory:
    """The project's calls, oldest first."""

    def __init__(self, rows: list[HistoryRow], seed: int) -> None:
        self.rows = rows
        self._seed = seed
        self._filtered: OrderedDict[tuple[int, int, HistoryFilter], list[int]] = OrderedDict()

    @classmethod
    def generate(cls, project: Project, seed: int, size: int, end: datetime) -> CallHistory:
        """`size` calls over the 90 days before `end`, the same for the same seed."""
        rng = random.Random(f"history-{seed}")
        rand = rng.random  # int(rand() * n) is several times cheaper than randrange(n)
        lines = sorted(project.lines) or ["1000"]
        outers = sorted(project.outer_lines) or ["380440000001"]
        groups: list[str | None] = [g.name for g in project.groups.values() if g.type == "SIP"]
        groups = groups or [None]
        prefixes = ("38097", "38067", "38050", "38063", "38093", "38099")
        clients = [
            f"{prefixes[int(rand() * 6)]}{int(rand() * 10_000_000):07d}"
            for _ in range(max(10, size // 3))
        ]
        seen: set[str] = set()
        end_ts = to_ts(end) - 60
        step = SPAN_SECONDS / max(size, 1)
        rows: list[HistoryRow] = []
        append = rows.append
        new_row = tuple.__new__  # HistoryRow._make's Python-level overhead, skipped
        call_id = 19_990_000
        n_lines, n_outers, n_groups, n_clients = len(lines), len(outers), len(groups), len(clients)
        n_outcomes, n_in, n_out = len(_OUTCOME_TABLE), len(_IN_SOURCES), len(_OUT_SOURCES)
        for index in range(size):
            call_id += 1 + int(rand() * 17)
            r = rand()
            line = lines[int(rand() * n_lines)]
            client = clients[int(rand() * n_clients)]
            state = _OUTCOME_TABLE[int(rand() * n_outcomes)][0]
            answered = state == "ANSWER"
            talk = 5 + int(rand() * 600) if answered else 0
            if r < 0.55:
                direction, source = "IN", _IN_SOURCES[int(rand() * n_in)]
                caller, callee = client, line  # the operator it rang, answered or not
            elif r < 0.95:
                direction, source = "OUT", _OUT_SOURCES[int(rand() * n_out)]
                caller, callee = line, client
            else:
                direction, source = "INNER", "REGULAR"
                caller, callee = line, lines[int(rand() * n_lines)]
            new_lead = direction != "INNER" and client not in seen
            if new_lead:
                seen.add(client)
            missed = direction == "IN" and not answered
            append(
                new_row(
                    HistoryRow,
                    (
                        call_id,
                        index + 1,
                        end_ts - SPAN_SECONDS + int(index * step),
                        direction,
                        source,
                        caller,
                        callee,
                        outers[int(rand() * n_outers)],
                        state,
                        talk + 3 + int(rand() * 40),  # full time: talk plus awaiting
                        talk,
                        groups[int(rand() * n_groups)] if direction == "IN" else None,
                        new_lead,
                        missed and rand() < 0.5,
                        missed and rand() < 0.2,
                    ),
                )
            )
        return cls(rows, seed)

    def record(
        self,
        when: datetime,
        *,
        direction: str,
        source: str,
        caller: str,
        callee: str | None,
        outer: str,
        seconds: int,
    ) -> HistoryRow:
        """Append an answered call made through the API (c2c, direct SIP call) as the newest."""
        last = self.rows[-1] if self.rows else None
        client = caller if direction == "IN" else (callee or "")
        row = HistoryRow(
            id=(last.id if last else 19_990_000) + 1,
            dbid=len(self.rows) + 1,
            ts=max(to_ts(when), last.ts if last else 0),  # ids and dates stay in step
            direction=direction,
            source=source,
            caller=caller,
            callee=callee,
            outer=outer,
            state="ANSWER",
            seconds_full=seconds,
            seconds_talk=max(0, seconds - 5),
            group=None,
            new_lead=not any(client in (r.caller, r.callee) for r in self.rows),
            lost=False,
            voice_message=False,
        )
        self.rows.append(row)
        self._filtered.clear()
        return row

    def find(self, call_id: int) -> HistoryRow | None:
        """The call with this id (the `id` field of a history record), if any."""
        index = bisect_left(self.rows, call_id, key=lambda row: row.id)
        if index < len(self.rows) and self.rows[index].id == call_id:
            return self.rows[index]
        return None

    def between(self, start: datetime, end: datetime) -> Sequence[HistoryRow]:
        """The calls dated from `start` to `end`, both included, oldest first."""
        lo, hi = self._bounds(start, end)
        return self.rows[lo:hi]

    def page(
        self, start: datetime, end: datetime, where: HistoryFilter, limit: int, offset: int
    ) -> tuple[int, list[HistoryRow]]:
        """The number of matching calls and one page of them, newest (highest id) first."""
        lo, hi = self._bounds(start, end)
        if where == HistoryFilter():
            first = hi - 1 - offset
            last = max(first - limit, lo - 1)
            return hi - lo, [self.rows[i] for i in range(first, last, -1)]
        matching = self._matching(lo, hi, where)
        return len(matching), [self.rows[i] for i in matching[offset : offset + limit]]

    def _bounds(self, start: datetime, end: datetime) -> tuple[int, int]:
        lo = bisect_left(self.rows, to_ts(start), key=lambda row: row.ts)
        hi = bisect_right(self.rows, to_ts(end), key=lambda row: row.ts)
        return lo, max(lo, hi)

    def _matching(self, lo: int, hi: int, where: HistoryFilter) -> list[int]:
        key = (lo, hi, where)
        cached = self._filtered.get(key)
        if cached is None:
            rows = self.rows
            cached = [i for i in range(hi - 1, lo - 1, -1) if where.matches(rows[i])]
            self._filtered[key] = cached
            if len(self._filtered) > _FILTER_CACHE_SIZE:
                self._filtered.popitem(last=False)
        else:
            self._filtered.move_to_end(key)
        return cached

    def render(self, row: HistoryRow) -> dict[str, Any]:
        """The wire record of a call; the labels nobody filters on are derived from its id."""
        mix = (row.dbid * 2_654_435_761 + self._seed) & 0xFFFFFFFF
        date = from_ts(row.ts)
        utm: tuple[str | None, ...] = (None,) * 6
        if row.source == "TRACKING" or (row.direction == "IN" and mix % 5 == 0):
            utm = _UTM[mix % len(_UTM)]
        answered = row.state == "ANSWER"
        record = {
            "id": row.id,
            "dbid": row.dbid,
            "date": date,
            "source": row.source,
            "direction": row.direction,
            "from": row.caller,
            "to": [row.callee] if row.callee is not None else [],
            "lastGroupName": row.group,
            "secondsFullTime": row.seconds_full,
            "secondsTalk": row.seconds_talk,
            "link": (
                f"https://api.unitalk.cloud:8443/tracking/rec/{row.id}.{mix % 1000}/{date[:10]}"
                if answered
                else None
            ),
            "comment": _COMMENTS[mix % len(_COMMENTS)] if mix % 7 == 0 else None,
            "state": row.state,
            "cause": _CAUSES.get(row.state, 16),
            "callback": row.source in ("CALLBACK", "AUTO_CB"),
            "utmSource": utm[0],
            "utmMedium": utm[1],
            "utmCampaign": utm[2],
            "utmTerm": utm[3],
            "utmContent": utm[4],
            "outerNumber": row.outer,
            "googleId": f"{mix}.{row.dbid}" if utm[0] is not None else None,
            "facebookClientId": f"fb.1.{mix}" if utm[0] == "facebook" else None,
            "referer": utm[5],
        }
        # As the service's own answers do at times (README "API notes"): a few unanswered
        # calls come without state, cause and secondsFullTime, a few with a `warning`.
        if not answered and mix % _PARTIAL_EVERY == 0:
            for key in ("state", "cause", "secondsFullTime"):
                del record[key]
        if mix % _WARNING_EVERY == 0:
            record["warning"] = _WARNING
        return record


def _digits_only(where: HistoryFilter) -> HistoryFilter:
    """Number filters as the service reads them: every non-digit stripped."""

    def strip(parts: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if parts is None:
            return None
        return tuple(digits_only(part) or part for part in parts)

    return msgspec.structs.replace(
        where,
        called_from=strip(where.called_from),
        called_to=strip(where.called_to),
        exact_phone=strip(where.exact_phone),
    )


class HistoryRequest(msgspec.Struct, rename="camel"):
    date_from: str | None = None
    date_to: str | None = None
    limit: int | None = None
    offset: int | None = None
    filter: HistoryFilter | None = None


async def get_history(request: Request) -> Response:
    """/history/get: `{"count", "calls"}`, newest first, offset paging, limit 1-1000."""
    body = await json_body(request, HistoryRequest)
    start = parse_datetime(body.date_from)
    if start is None:
        raise SandboxError("Wrong FROM date")
    end = parse_datetime(body.date_to)
    if end is None:
        raise SandboxError("Wrong TO date")
    if body.limit is None or not 1 <= body.limit <= HISTORY_MAX_LIMIT:
        raise SandboxError("Limit range is 1-1000")
    offset = body.offset or 0
    if offset < 0:  # the reference lists no message here; GET_CALLS_HISTORY's is reused
        raise SandboxError("Offset is less than 0")
    where = _digits_only(body.filter) if body.filter is not None else HistoryFilter()
    history = state_of(request).history
    count, rows = history.page(start, end, where, body.limit, offset)
    return bare({"count": count, "calls": [history.render(row) for row in rows]})
