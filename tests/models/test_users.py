"""Users, lines, groups and operator statistics: examples round-trip, requests are checked."""

from __future__ import annotations

from datetime import datetime

import pytest

from models._examples import example, round_trip
from unitalk_async import ValidationError
from unitalk_async._codec import to_builtins
from unitalk_async.models._envelope import Envelope
from unitalk_async.models.enums import LineStatus, UserRole, WorkStatus
from unitalk_async.models.users import (
    Group,
    GroupActionRequest,
    OperatorStatistic,
    OperatorStatisticFilter,
    OperatorStatisticRequest,
    SetLineStatusRequest,
    User,
    UserStatus,
    WorkHistory,
)


def test_work_history_example_round_trips_keyed_by_user_id() -> None:
    history = round_trip(example("Relative path: /users/workHistory"), WorkHistory)
    john = history.users[12345]
    assert john.first_name == "John"
    assert john.user_time_seconds.by_pauses == {"Launch": 1800}
    assert (john.user_time_seconds.work, john.user_time_seconds.pause) == (28800, 3600)


def test_users_list_example_round_trips() -> None:
    (user,) = round_trip(example("Relative path: /users/list"), list[User])
    assert (user.id, user.role, user.work_status) == (12345, UserRole.ADMIN, WorkStatus.WORK)
    assert user.middle_name == "Triple"


def test_users_get_status_example_round_trips() -> None:
    (status,) = round_trip(example("Relative path: /users/getStatus"), list[UserStatus])
    assert (status.phone, status.work_status_name) == (1234, "Cold Calling")


def test_an_unknown_role_or_status_does_not_fail_the_page() -> None:
    (user,) = round_trip('[{"id": 1, "role": "SUPERVISOR", "workStatus": "LUNCH"}]', list[User])
    assert not user.role.is_known
    assert user.work_status == "LUNCH"


def test_groups_example_is_the_group_listing() -> None:
    answer = round_trip(example("Relative path: /phones/inner Mode"), Envelope[list[Group]])
    (group,) = answer.data
    assert (group.id, group.name) == (455, "Sales department")
    assert group.phones[0].number == "4030"


def test_line_statuses_decode() -> None:
    body = '{"status": "Success", "data": {"101": "online", "102": "busy", "103": "offline"}}'
    answer = round_trip(body, Envelope[dict[str, LineStatus]])
    assert answer.data["102"] is LineStatus.BUSY


def test_remove_number_example_round_trips() -> None:
    request = round_trip(example("POST /groups/action"), GroupActionRequest)
    assert request == GroupActionRequest(action="REMOVE_NUMBER", group_id=141, number="2561")
    request.validate()


def test_remove_number_needs_group_and_number() -> None:
    with pytest.raises(ValidationError) as caught:
        GroupActionRequest(action="REMOVE_NUMBER", number="1").validate()
    assert caught.value.field == "group_id"
    assert to_builtins(GroupActionRequest(action="GET_LIST")) == {"action": "GET_LIST"}


def test_operator_statistic_example_round_trips() -> None:
    (row,) = round_trip(example("Relative path: /operator/statistic"), list[OperatorStatistic])
    assert row.operator_phone == "1234"
    assert row.in_unique_c2c_button_count == 123
    assert row.out_answered_percentage == "100.0%"
    assert row.wrap_up_time == ""
    assert row.compound_time == 123


def test_operator_statistic_request_shape_and_dates() -> None:
    request = OperatorStatisticRequest(
        from_=datetime(2024, 1, 1),
        to=datetime(2024, 1, 31, 23, 59, 59),
        filter=OperatorStatisticFilter(inner_phones=["101"], min_time_seconds=5),
    )
    request.validate()
    assert to_builtins(request) == {
        "from": "2024-01-01 00:00:00",
        "to": "2024-01-31 23:59:59",
        "filter": {"innerPhones": ["101"], "minTimeSeconds": 5},
    }
    with pytest.raises(ValidationError) as caught:
        OperatorStatisticRequest(from_=datetime(2024, 2, 1), to=datetime(2024, 1, 1)).validate()
    assert caught.value.field == "from_"


def test_set_status_accepts_only_work_stop_paus() -> None:
    for status in ("WORK", "STOP", "PAUS"):
        SetLineStatusRequest(number="101", status=WorkStatus(status)).validate()
    with pytest.raises(ValidationError) as caught:
        SetLineStatusRequest(number="101", status=WorkStatus("LUNCH")).validate()
    assert caught.value.field == "status"
    request = SetLineStatusRequest(number="101", status=WorkStatus.PAUS, status_name="Lunch")
    assert request.params() == {"number": "101", "status": "PAUS", "statusName": "Lunch"}
