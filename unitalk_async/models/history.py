"""Call history: /history/get (request with its filter, the page it answers)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from msgspec import Meta

from unitalk_async._arguments import known_member
from unitalk_async._codec import WireDateTime
from unitalk_async._reference import HISTORY_MAX_LIMIT
from unitalk_async.models._base import UNSET, Maybe, Request, Response
from unitalk_async.models.calls import check_constraints, require, wire_datetime
from unitalk_async.models.enums import (
    CallDirection,
    CallDirectionLike,
    CallSource,
    WebhookCallState,
)

__all__ = ["HistoryCall", "HistoryFilter", "HistoryLimit", "HistoryPage", "HistoryRequest"]

HistoryLimit = Annotated[int, Meta(ge=1, le=HISTORY_MAX_LIMIT)]


class HistoryFilter(Request):
    """Optional pre-filter of /history/get; list filters match any of their elements."""

    direction: Maybe[CallDirectionLike] = UNSET
    min_duration: Maybe[Annotated[int, Meta(ge=0)]] = UNSET
    called_from: Maybe[list[str]] = UNSET  # parts of the caller's number
    called_to: Maybe[list[str]] = UNSET  # parts of the called number
    outer_num: Maybe[list[str]] = UNSET
    exact_phone: Maybe[list[str]] = UNSET
    new_lead: Maybe[bool] = UNSET
    answered: Maybe[bool] = UNSET
    lost: Maybe[bool] = UNSET
    voice_message: Maybe[bool] = UNSET

    def __post_init__(self) -> None:
        if isinstance(self.direction, str):
            self.direction = known_member(CallDirection, self.direction, "filter.direction")


class HistoryRequest(Request, omit_defaults=False):
    """/history/get: calls between `date_from` and `date_to`, newest id first.

    `limit` is required on the wire, so defaults are sent (`omit_defaults=False`).
    """

    date_from: datetime
    date_to: datetime
    limit: HistoryLimit = HISTORY_MAX_LIMIT
    offset: Annotated[int, Meta(ge=0)] = 0
    filter: Maybe[HistoryFilter] = UNSET

    def __post_init__(self) -> None:
        self.date_from = wire_datetime(self.date_from, "date_from")
        self.date_to = wire_datetime(self.date_to, "date_to")

    def validate(self) -> None:
        check_constraints(self)
        require(self.date_from <= self.date_to, "date_from", "must not be after date_to")


class HistoryCall(Response):
    """One call of the project's history."""

    id: int
    dbid: Maybe[int] = UNSET
    date: Maybe[WireDateTime] = UNSET
    source: Maybe[CallSource] = UNSET
    direction: Maybe[CallDirection] = UNSET
    from_: Maybe[str] = UNSET  # "from" on the wire
    to: Maybe[list[str]] = UNSET
    last_group_name: Maybe[str] = UNSET
    seconds_full_time: Maybe[int] = UNSET
    seconds_talk: Maybe[int] = UNSET
    link: Maybe[str] = UNSET
    comment: Maybe[str] = UNSET
    state: Maybe[WebhookCallState] = UNSET
    cause: Maybe[int] = UNSET
    callback: Maybe[bool] = UNSET
    utm_source: Maybe[str] = UNSET
    utm_medium: Maybe[str] = UNSET
    utm_campaign: Maybe[str] = UNSET
    utm_term: Maybe[str] = UNSET
    utm_content: Maybe[str] = UNSET
    outer_number: Maybe[str] = UNSET
    google_id: Maybe[str] = UNSET
    facebook_client_id: Maybe[str] = UNSET
    referer: Maybe[str] = UNSET
    # Not in the reference; the service adds it to some records (README "API notes").
    warning: Maybe[str] = UNSET


class HistoryPage(Response):
    """The bare answer of /history/get: `count` matching calls in all, one page of `calls`."""

    count: int
    calls: list[HistoryCall]
