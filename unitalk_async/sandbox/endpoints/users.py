"""Users, lines and groups: /users/list, /users/getStatus, /users/workHistory, /phones/inner,
/phones/inner/setStatus, /groups/action (REMOVE_NUMBER, GET_LIST), /operator/statistic.

Work history is derived from the seed, the user and the day; operator statistics are
aggregated from the project's call history (`history.py`).
"""

from __future__ import annotations

import random
from datetime import date, datetime
from typing import Any, Literal

import msgspec
from starlette.requests import Request
from starlette.responses import Response

from unitalk_async.sandbox._answers import SandboxError, bare, success
from unitalk_async.sandbox.endpoints._request import (
    json_body,
    parameters,
    parse_date,
    parse_datetime,
    sandbox_of,
    validation_error,
)
from unitalk_async.sandbox.endpoints.history import HistoryRow, from_ts
from unitalk_async.sandbox.project import Project, User, WorkStatus

DAY_SECONDS = 24 * 3600
_WORK_STATUSES: tuple[WorkStatus, ...] = ("WORK", "STOP", "PAUS")


def _names(user: User) -> dict[str, Any]:
    return {
        "firstName": user.first_name,
        "lastName": user.last_name,
        "middleName": user.middle_name,
        "phone": user.phone,
    }


async def list_users(request: Request) -> Response:
    """/users/list: the bare array of users."""
    users = sandbox_of(request).project.users.values()
    return bare(
        [
            {
                "email": user.email,
                **_names(user),
                "role": user.role,
                "id": user.id,
                # Not in the reference; the service sends it (README "API notes"): the
                # internal line as call history's from/to spell it, for joining the two.
                "line": None if user.phone is None else str(user.phone),
                "workStatus": user.work_status,
                "workStatusName": user.work_status_name,
            }
            for user in users
        ]
    )


async def user_statuses(request: Request) -> Response:
    """/users/getStatus: the bare array of users with their work status."""
    users = sandbox_of(request).project.users.values()
    return bare(
        [
            {**_names(u), "workStatus": u.work_status, "workStatusName": u.work_status_name}
            for u in users
        ]
    )


def _split(total: int, names: tuple[str, ...], rng: random.Random) -> dict[str, int]:
    """`total` seconds shared among status names (the first takes the remainder)."""
    shares = {name: 0 for name in names}
    left = total
    for name in names[1:]:
        shares[name] = rng.randrange(left // 2 + 1) if left else 0
        left -= shares[name]
    if names:
        shares[names[0]] += left
    return shares


def _work_day(project: Project, seed: int, user: User, day: date, seconds: int) -> dict[str, Any]:
    """One user's seconds per status on `day`, `seconds` of which have passed."""
    rng = random.Random(f"work-{seed}-{user.id}-{day.isoformat()}")
    work = min(seconds, 6 * 3600 + rng.randrange(3 * 3600))
    pause = min(seconds - work, 1800 + rng.randrange(3600))
    stop = seconds - work - pause
    names = project.work_status_names
    return {
        **_names(user),
        "userTimeSeconds": {
            "byPauses": _split(pause, names.get("PAUS", ()), rng),
            "byWork": _split(work, names.get("WORK", ()), rng),
            "byStop": _split(stop, names.get("STOP", ()), rng),
            "stop": stop,
            "work": work,
            "pause": pause,
        },
    }


async def work_history(request: Request) -> Response:
    """/users/workHistory?date=yyyy-MM-dd: seconds per work status, per user."""
    sandbox = sandbox_of(request)
    day = parse_date((await parameters(request)).get("date"))
    if day is None:  # not in the reference's list of errors: our decision
        raise validation_error("date must be yyyy-MM-dd")
    now = sandbox.endpoints.now()
    if day > now.date():
        raise SandboxError("Future data is absent")
    midnight = datetime(day.year, day.month, day.day)
    seconds = min(DAY_SECONDS, int((now - midnight).total_seconds()))
    project, seed = sandbox.project, sandbox.config.seed
    return bare(
        {
            "users": {
                str(user.id): _work_day(project, seed, user, day, seconds)
                for user in project.users.values()
            }
        }
    )


async def inner_lines(request: Request) -> Response:
    """/phones/inner: `{"<line>": "online" | "busy" | "offline"}` in `data`.

    An online line taking part in a call started through the API reads "busy".
    """
    sandbox = sandbox_of(request)
    in_call = {call.line for call in sandbox.endpoints.calls.active(sandbox.endpoints.now())}
    return success(
        data={
            line: "busy" if status == "online" and line in in_call else status
            for line, status in sandbox.project.lines.items()
        }
    )


async def set_line_status(request: Request) -> Response:
    """/phones/inner/setStatus?number=&status=&statusName=: the line's user's work status."""
    project = sandbox_of(request).project
    params = await parameters(request)
    number = params.get("number", "")
    user = project.user_by_line(number)
    if user is None:
        # The reference gives no errors for this method: an unknown line reuses the
        # autodialer's "Operator not found: <number>".
        raise SandboxError(f"Operator not found: {number}")
    status = next((s for s in _WORK_STATUSES if s == params.get("status")), None)
    if status is None:
        raise validation_error("status must be WORK, STOP or PAUS")
    name = params.get("statusName") or None
    if name is not None and name not in project.work_status_names.get(status, ()):
        raise validation_error(f"no work status named {name!r}")
    user.work_status, user.work_status_name = status, name
    return success()


class GroupRequest(msgspec.Struct, rename="camel"):
    action: Literal["GET_LIST", "REMOVE_NUMBER"] | None = None
    group_id: int | None = None
    number: str | int | None = None


async def group_action(request: Request) -> Response:
    """/groups/action: GET_LIST (groups with their lines) and REMOVE_NUMBER."""
    project = sandbox_of(request).project
    body = await json_body(request, GroupRequest)
    if body.action == "GET_LIST":
        return success(data=[_group_entry(project, group_id) for group_id in project.groups])
    if body.action is None:
        raise validation_error("action is required")
    group = project.groups.get(body.group_id) if body.group_id is not None else None
    if group is None:
        raise SandboxError("Group not found")
    number = str(body.number or "")
    if number not in group.phones:
        # Not in the reference: a number outside the group is "Numbers not found".
        raise SandboxError("Numbers not found")
    group.phones.remove(number)
    return success()


def _group_entry(project: Project, group_id: int) -> dict[str, Any]:
    group = project.groups[group_id]
    phones = []
    for number in group.phones:
        user = project.user_by_line(number)
        phones.append(
            {
                "number": number,
                "firstName": user.first_name if user else None,
                "lastName": user.last_name if user else None,
            }
        )
    return {"id": group.id, "name": group.name, "phones": phones}


_SOURCE_KEYS = {
    "REGULAR": "Regular",
    "TRACKING": "Tracking",
    "CLICK2CALL": "C2cButton",
    "LEAD_CATCHER": "C2cButton",
    "FORM": "C2cForm",
    "C2C_API": "C2cApi",
    "AUTODIAL": "Autodial",
    "CALLBACK": "Callback",
    "AUTO_CB": "AutoCallback",
    "API_CALL": "Api",
}


_SOURCES = tuple(dict.fromkeys(_SOURCE_KEYS.values()))


class StatisticFilter(msgspec.Struct, rename="camel"):
    call_types: list[str] | None = None
    inner_phones: list[str] | None = None
    min_time_seconds: int | None = None
    min_time_awaiting_seconds: int | None = None
    max_time_awaiting_seconds: int | None = None

    def matches(self, row: HistoryRow, line: str) -> bool:
        awaiting = row.seconds_full - row.seconds_talk
        least, most = self.min_time_awaiting_seconds, self.max_time_awaiting_seconds
        return (
            (self.call_types is None or row.source in self.call_types)
            and (self.inner_phones is None or line in self.inner_phones)
            and (self.min_time_seconds is None or row.seconds_talk >= self.min_time_seconds)
            and (least is None or awaiting >= least)
            and (most is None or awaiting <= most)
        )


class StatisticRequest(msgspec.Struct):
    from_: str | None = msgspec.field(default=None, name="from")
    to: str | None = None
    filter: StatisticFilter | None = None


def _clock(seconds: float) -> str:
    """Minutes and seconds, "MM:SS" (minutes may exceed 59), as the reference writes them."""
    whole = int(seconds)
    return f"{whole // 60:02d}:{whole % 60:02d}"


def _hours(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d}"


def _percent(part: int, whole: int) -> str:
    return f"{100.0 * part / whole if whole else 0.0:.1f}%"


def _operator_line(row: HistoryRow) -> str | None:
    if row.direction == "IN":
        return row.callee
    return row.caller


def _operator_entry(line: str, user: User | None, rows: list[HistoryRow]) -> dict[str, Any]:
    incoming = [r for r in rows if r.direction == "IN"]
    outgoing = [r for r in rows if r.direction != "IN"]
    in_answered = [r for r in incoming if r.state == "ANSWER"]
    in_missed = [r for r in incoming if r.state != "ANSWER"]
    out_answered = [r for r in outgoing if r.state == "ANSWER"]
    in_unique = {r.caller for r in incoming}
    out_unique = {r.callee for r in outgoing}
    out_unique_answered = {r.callee for r in out_answered}
    in_unique_answered = {r.caller for r in in_answered}
    awaiting = [r.seconds_full - r.seconds_talk for r in in_answered]
    missed_awaiting = [r.seconds_full for r in in_missed]
    in_talk = sum(r.seconds_talk for r in incoming)
    out_talk = sum(r.seconds_talk for r in outgoing)
    name = " ".join(filter(None, (user.first_name, user.last_name))) if user else ""
    entry: dict[str, Any] = {
        "operatorName": f"{line} ({name})" if name else line,
        "operatorPhone": line,
        "totalCount": len(rows),
        "inCount": len(incoming),
        "outCount": len(outgoing),
        "totalDuration": _clock(in_talk + out_talk),
        "inUniqueCount": len(in_unique),
        "answOpNaCount": len(in_missed),
        "outAnsweredCount": len(out_answered),
        "outAnsweredPercentage": _percent(len(out_answered), len(outgoing)),
        "outMissedCount": len(outgoing) - len(out_answered),
        "outUniqueCount": len(out_unique),
        "outUniqueAnsweredCount": len(out_unique_answered),
        "outUniqueAnsweredPercentage": _percent(len(out_unique_answered), len(outgoing)),
        "outDuration": _clock(out_talk),
        "outAverageDuration": _clock(out_talk / len(out_answered) if out_answered else 0),
        "inAnsweredCount": len(in_answered),
        "inAnsweredPercentage": _percent(len(in_answered), len(incoming)),
        "inMissedCount": len(in_missed),
        "inHangupByOperatorCount": sum(1 for r in in_answered if r.id % 2),
        "inHangupByClientCount": sum(1 for r in in_answered if not r.id % 2),
        "inUniqueAnsweredCount": len(in_unique_answered),
        "inUniqueAnsweredPercentage": _percent(len(in_unique_answered), len(in_unique)),
        "inAnsweredNewLeadCount": sum(1 for r in in_answered if r.new_lead),
        "inLostCount": sum(1 for r in in_missed if r.lost),
        "inAverageAwaitingTime": _clock(sum(awaiting) / len(awaiting) if awaiting else 0),
        "inTotalAwaitingTime": _clock(sum(awaiting)),
        "inDuration": _clock(in_talk),
        "inAverageDuration": _clock(in_talk / len(in_answered) if in_answered else 0),
    }
    by_source = {k: [r for r in incoming if _SOURCE_KEYS.get(r.source) == k] for k in _SOURCES}
    entry |= {f"inUnique{k}Count": len({r.caller for r in calls}) for k, calls in by_source.items()}
    entry |= {f"in{key}Count": len(calls) for key, calls in by_source.items()}
    entry |= {
        "inMissedAnsweredCount": sum(1 for r in in_missed if not r.lost),
        "inMissedNewLeadCount": sum(1 for r in in_missed if r.new_lead),
        "inMissedPercentage": _percent(len(in_missed), len(incoming)),
        "inMissedAverageAwaitingTime": _clock(
            sum(missed_awaiting) / len(missed_awaiting) if missed_awaiting else 0
        ),
        "logInTime": from_ts(rows[0].ts) if rows else None,
        "logOutTime": from_ts(rows[-1].ts) if rows else None,
        "availableNotInWorkTime": _hours(sum(r.seconds_full for r in rows) // 3),
        "pauseTime": _hours(len(rows) * 40),
        "wrapUpTime": "",
        "compoundTime": in_talk + out_talk,
    }
    return entry


async def operator_statistic(request: Request) -> Response:
    """/operator/statistic: one bare entry per inner line, from the project's call history."""
    sandbox = sandbox_of(request)
    body = await json_body(request, StatisticRequest)
    start = parse_datetime(body.from_)
    if start is None:
        raise SandboxError("Wrong FROM date")
    end = parse_datetime(body.to)
    if end is None:
        raise SandboxError("Wrong TO date")
    where = body.filter or StatisticFilter()
    project = sandbox.project
    by_line: dict[str, list[HistoryRow]] = {line: [] for line in sorted(project.lines)}
    for row in sandbox.endpoints.history.between(start, end):
        line = _operator_line(row)
        if line is not None and line in by_line and where.matches(row, line):
            by_line[line].append(row)
    return bare(
        [
            _operator_entry(line, project.user_by_line(line), rows)
            for line, rows in by_line.items()
            if where.inner_phones is None or line in where.inner_phones
        ]
    )
