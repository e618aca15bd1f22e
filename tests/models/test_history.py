"""/history/get: the page example round-trips; limit, offset and dates are checked."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from models._examples import example, round_trip
from unitalk_async import ValidationError
from unitalk_async._codec import to_builtins
from unitalk_async.models.enums import CallDirection, CallSource, WebhookCallState
from unitalk_async.models.history import HistoryFilter, HistoryPage, HistoryRequest

FROM = datetime(2023, 12, 1)
TO = datetime(2023, 12, 31, 23, 59, 59)


def test_history_page_example_round_trips() -> None:
    page = round_trip(example("Relative path: /history/get"), HistoryPage)
    assert page.count == 100
    (call,) = page.calls
    assert (call.id, call.dbid, call.from_, call.to) == (19990701, 603, "380955555555", ["3333"])
    assert call.date == datetime(2023, 12, 20, 15, 28)
    assert (call.source, call.direction, call.state) == (
        CallSource.REGULAR,
        CallDirection.IN,
        WebhookCallState.ANSWER,
    )
    assert call.referer == "google.com"


def test_request_shape_follows_the_api_notes() -> None:
    request = HistoryRequest(
        date_from=FROM,
        date_to=TO,
        limit=500,
        offset=1000,
        filter=HistoryFilter(
            direction=CallDirection.OUT, answered=True, exact_phone=["380501112233"]
        ),
    )
    request.validate()
    assert to_builtins(request) == {
        "dateFrom": "2023-12-01 00:00:00",
        "dateTo": "2023-12-31 23:59:59",
        "limit": 500,
        "offset": 1000,
        "filter": {"direction": "OUT", "exactPhone": ["380501112233"], "answered": True},
    }


def test_defaults_ask_for_the_largest_page_from_the_start() -> None:
    assert to_builtins(HistoryRequest(date_from=FROM, date_to=TO))["limit"] == 1000


@pytest.mark.parametrize("limit", [1, 1000])
def test_limit_bounds_are_accepted(limit: int) -> None:
    HistoryRequest(date_from=FROM, date_to=TO, limit=limit).validate()


@pytest.mark.parametrize(("field", "value"), [("limit", 0), ("limit", 1001), ("offset", -1)])
def test_limit_and_offset_out_of_range_are_refused(field: str, value: int) -> None:
    with pytest.raises(ValidationError) as caught:
        HistoryRequest(date_from=FROM, date_to=TO, **{field: value}).validate()  # type: ignore[arg-type]
    assert caught.value.field == field


def test_a_date_means_midnight_and_order_is_checked() -> None:
    request = HistoryRequest(date_from=date(2024, 1, 1), date_to=date(2024, 1, 2))  # type: ignore[arg-type]
    assert to_builtins(request)["dateFrom"] == "2024-01-01 00:00:00"
    with pytest.raises(ValidationError) as caught:
        HistoryRequest(date_from=TO, date_to=FROM).validate()
    assert caught.value.field == "date_from"
