"""Users, internal lines, groups and operator statistics: /users/list, /users/getStatus,
/users/workHistory, /phones/inner, /phones/inner/setStatus, /groups/action,
/operator/statistic.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta

from unitalk_async._arguments import known_member
from unitalk_async._codec import WireText
from unitalk_async.models._base import UNSET, Maybe, Request, Response
from unitalk_async.models.calls import check_constraints, require, wire_datetime
from unitalk_async.models.enums import LineStatus, UserRole, WorkStatus, WorkStatusLike

__all__ = [
    "Group",
    "GroupActionRequest",
    "GroupPhone",
    "LineStatus",
    "OperatorStatistic",
    "OperatorStatisticFilter",
    "OperatorStatisticRequest",
    "SetLineStatusRequest",
    "User",
    "UserStatus",
    "UserTimeSeconds",
    "UserWorkHistory",
    "WorkHistory",
]

NonNegative = Annotated[int, Meta(ge=0)]
SETTABLE_WORK_STATUSES = frozenset({WorkStatus.WORK, WorkStatus.STOP, WorkStatus.PAUS})


# --- /users/list, /users/getStatus -----------------------------------------------------------
class UserStatus(Response):
    """A user and their work status (/users/getStatus)."""

    first_name: Maybe[str] = UNSET
    last_name: Maybe[str] = UNSET
    middle_name: Maybe[str] = UNSET
    phone: Maybe[int] = UNSET
    work_status: Maybe[WorkStatus] = UNSET
    work_status_name: Maybe[str] = UNSET


class User(Response):
    """A user of the project (/users/list)."""

    id: int
    email: Maybe[str] = UNSET
    first_name: Maybe[str] = UNSET
    last_name: Maybe[str] = UNSET
    middle_name: Maybe[str] = UNSET
    phone: Maybe[int] = UNSET
    role: Maybe[UserRole] = UNSET
    work_status: Maybe[WorkStatus] = UNSET
    work_status_name: Maybe[str] = UNSET
    # Not in the reference; the service sends it and reporting code joins users to calls
    # on it: the internal line, as call history's `from`/`to` spell it (README "API notes").
    line: Maybe[WireText] = UNSET


# --- /users/workHistory ----------------------------------------------------------------------
class UserTimeSeconds(Response):
    """Seconds a user spent per status, and per named status type within each."""

    by_pauses: Maybe[dict[str, int]] = UNSET
    by_work: Maybe[dict[str, int]] = UNSET
    by_stop: Maybe[dict[str, int]] = UNSET
    stop: Maybe[int] = UNSET
    work: Maybe[int] = UNSET
    pause: Maybe[int] = UNSET


class UserWorkHistory(Response):
    """One user's time in work statuses for the requested date."""

    first_name: Maybe[str] = UNSET
    last_name: Maybe[str] = UNSET
    middle_name: Maybe[str] = UNSET
    phone: Maybe[int] = UNSET
    user_time_seconds: Maybe[UserTimeSeconds] = UNSET


class WorkHistory(Response):
    """The bare answer of /users/workHistory: user id -> their work history."""

    users: dict[int, UserWorkHistory]


# --- /phones/inner/setStatus -------------------------------------------------------------------
class SetLineStatusRequest(Request):
    """/phones/inner/setStatus (URL query): set the work status of line `number`'s user."""

    number: str
    status: WorkStatusLike
    status_name: Maybe[str] = UNSET

    def __post_init__(self) -> None:
        self.status = known_member(WorkStatus, self.status, "status")

    def validate(self) -> None:
        check_constraints(self)
        require(bool(self.number), "number", "must not be empty")
        require(
            self.status in SETTABLE_WORK_STATUSES,
            "status",
            "must be one of WORK, STOP, PAUS",
            self.status,
        )

    def params(self) -> dict[str, str]:
        """The URL query parameters as sent."""
        params = {"number": self.number, "status": str(self.status)}
        if isinstance(self.status_name, str):
            params["statusName"] = self.status_name
        return params


# --- /groups/action ----------------------------------------------------------------------------
class GroupPhone(Response):
    """A line of a group, with its user's name if it has one."""

    number: str
    first_name: Maybe[str] = UNSET
    last_name: Maybe[str] = UNSET


class Group(Response):
    """A group (department) of lines (/groups/action GET_LIST; README "API notes")."""

    id: int
    name: Maybe[str] = UNSET
    phones: Maybe[list[GroupPhone]] = UNSET


class GroupActionRequest(Request):
    """/groups/action: REMOVE_NUMBER (with `group_id`, `number`) or GET_LIST."""

    action: Literal["REMOVE_NUMBER", "GET_LIST"]
    group_id: Maybe[int] = UNSET
    number: Maybe[str] = UNSET

    def validate(self) -> None:
        check_constraints(self)
        if self.action == "REMOVE_NUMBER":
            require(isinstance(self.group_id, int), "group_id", "is required")
            require(bool(self.number), "number", "is required")


# --- /operator/statistic -----------------------------------------------------------------------
class OperatorStatisticFilter(Request):
    """Optional pre-filter of /operator/statistic."""

    call_types: Maybe[list[str]] = UNSET
    inner_phones: Maybe[list[str]] = UNSET
    min_time_seconds: Maybe[NonNegative] = UNSET
    min_time_awaiting_seconds: Maybe[NonNegative] = UNSET
    max_time_awaiting_seconds: Maybe[NonNegative] = UNSET


class OperatorStatisticRequest(Request):
    """/operator/statistic (the reference cuts the request; README "API notes" shape)."""

    from_: datetime  # "from" on the wire (msgspec drops the trailing underscore)
    to: datetime
    filter: Maybe[OperatorStatisticFilter] = UNSET

    def __post_init__(self) -> None:
        self.from_ = wire_datetime(self.from_, "from_")
        self.to = wire_datetime(self.to, "to")

    def validate(self) -> None:
        check_constraints(self)
        require(self.from_ <= self.to, "from_", "must not be after to")


def _named(wire: str) -> Any:
    # rename="camel" would write "C2C"; the service writes "C2c".
    return msgspec.field(default=UNSET, name=wire)


class OperatorStatistic(Response):
    """One operator's row of /operator/statistic (durations as the service formats them).

    Times and percentages are strings as sent ("59:59", "100.0%"); `log_in_time` and
    `log_out_time` stay strings too because the service may send them empty.
    """

    operator_name: Maybe[str] = UNSET
    operator_phone: Maybe[str] = UNSET
    # General statistics
    total_count: Maybe[int] = UNSET
    in_count: Maybe[int] = UNSET
    out_count: Maybe[int] = UNSET
    total_duration: Maybe[str] = UNSET
    in_unique_count: Maybe[int] = UNSET
    answ_op_na_count: Maybe[int] = UNSET
    # Outgoing
    out_answered_count: Maybe[int] = UNSET
    out_answered_percentage: Maybe[str] = UNSET
    out_missed_count: Maybe[int] = UNSET
    out_unique_count: Maybe[int] = UNSET
    out_unique_answered_count: Maybe[int] = UNSET
    out_unique_answered_percentage: Maybe[str] = UNSET
    out_duration: Maybe[str] = UNSET
    out_average_duration: Maybe[str] = UNSET
    # Incoming
    in_answered_count: Maybe[int] = UNSET
    in_answered_percentage: Maybe[str] = UNSET
    in_missed_count: Maybe[int] = UNSET
    in_hangup_by_operator_count: Maybe[int] = UNSET
    in_hangup_by_client_count: Maybe[int] = UNSET
    in_unique_answered_count: Maybe[int] = UNSET
    in_unique_answered_percentage: Maybe[str] = UNSET
    in_answered_new_lead_count: Maybe[int] = UNSET
    in_lost_count: Maybe[int] = UNSET
    in_average_awaiting_time: Maybe[str] = UNSET
    in_total_awaiting_time: Maybe[str] = UNSET
    in_duration: Maybe[str] = UNSET
    in_average_duration: Maybe[str] = UNSET
    # Unique incoming by source
    in_unique_regular_count: Maybe[int] = UNSET
    in_unique_tracking_count: Maybe[int] = UNSET
    in_unique_c2c_button_count: Maybe[int] = _named("inUniqueC2cButtonCount")
    in_unique_c2c_form_count: Maybe[int] = _named("inUniqueC2cFormCount")
    in_unique_c2c_api_count: Maybe[int] = _named("inUniqueC2cApiCount")
    in_unique_autodial_count: Maybe[int] = UNSET
    in_unique_callback_count: Maybe[int] = UNSET
    in_unique_auto_callback_count: Maybe[int] = UNSET
    in_unique_api_count: Maybe[int] = UNSET
    # Incoming by source
    in_regular_count: Maybe[int] = UNSET
    in_tracking_count: Maybe[int] = UNSET
    in_c2c_button_count: Maybe[int] = _named("inC2cButtonCount")
    in_c2c_form_count: Maybe[int] = _named("inC2cFormCount")
    in_c2c_api_count: Maybe[int] = _named("inC2cApiCount")
    in_autodial_count: Maybe[int] = UNSET
    in_callback_count: Maybe[int] = UNSET
    in_auto_callback_count: Maybe[int] = UNSET
    in_api_count: Maybe[int] = UNSET
    # Missed
    in_missed_answered_count: Maybe[int] = UNSET
    in_missed_new_lead_count: Maybe[int] = UNSET
    in_missed_percentage: Maybe[str] = UNSET
    in_missed_average_awaiting_time: Maybe[str] = UNSET
    # Work time
    log_in_time: Maybe[str] = UNSET
    log_out_time: Maybe[str] = UNSET
    available_not_in_work_time: Maybe[str] = UNSET
    pause_time: Maybe[str] = UNSET
    wrap_up_time: Maybe[str] = UNSET
    compound_time: Maybe[int] = UNSET
