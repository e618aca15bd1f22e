"""`client.users`, `client.phones`, `client.groups`, `client.operators`."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from resources._fake import FakeClient
from unitalk_async import NotFoundError, ValidationError
from unitalk_async.models.enums import LineStatus, WorkStatus
from unitalk_async.models.users import OperatorStatisticFilter
from unitalk_async.resources.users import (
    GroupsResource,
    OperatorsResource,
    PhonesResource,
    UsersResource,
)
from unitalk_async.sandbox.pytest_plugin import SandboxHandle

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def test_users_and_their_statuses(unitalk_sandbox: SandboxHandle) -> None:
    project = unitalk_sandbox.sandbox.project
    async with unitalk_sandbox.client() as client:
        users = await client.users.list()
        statuses = await client.users.get_status()
    assert {user.id for user in users} == set(project.users)
    assert len(statuses) == len(users)
    assert all(isinstance(user.work_status, WorkStatus) for user in users)


async def test_work_history_by_date(unitalk_sandbox: SandboxHandle) -> None:
    async with unitalk_sandbox.client() as client:
        history = await client.users.work_history(date(2024, 1, 1))
        same = await client.users.work_history("2024-01-01")
        with pytest.raises(NotFoundError, match="Future data is absent"):
            await client.users.work_history(date(2100, 1, 1))
    assert history == same
    assert set(history.users) == set(unitalk_sandbox.sandbox.project.users)


async def test_lines_and_setting_a_work_status(unitalk_sandbox: SandboxHandle) -> None:
    project = unitalk_sandbox.sandbox.project
    user = next(u for u in project.users.values() if u.phone is not None)
    async with unitalk_sandbox.client() as client:
        lines = await client.phones.inner()
        assert lines == {line: LineStatus(status) for line, status in project.lines.items()}
        await client.phones.set_status(str(user.phone), "PAUS")
        statuses = await client.users.get_status()
    mine = next(s for s in statuses if s.phone == user.phone)
    assert mine.work_status is WorkStatus.PAUS


async def test_groups_list_and_remove_number(unitalk_sandbox: SandboxHandle) -> None:
    async with unitalk_sandbox.client() as client:
        groups = await client.groups.list()
        group = next(g for g in groups if g.phones)
        number = group.phones[0].number
        await client.groups.remove_number(group.id, number)
        after = {g.id: g for g in await client.groups.list()}
    assert number not in [p.number for p in after[group.id].phones or []]


async def test_operator_statistic(unitalk_sandbox: SandboxHandle) -> None:
    async with unitalk_sandbox.client() as client:
        rows = await client.operators.statistic(date(2000, 1, 1), datetime(2100, 1, 1))
    assert rows
    assert all(isinstance(row.total_count, int) for row in rows)


# --- what is sent ------------------------------------------------------------------------
async def test_work_history_date_goes_in_the_query() -> None:
    fake = FakeClient('{"users": {}}')
    await UsersResource(fake.as_client()).work_history(datetime(2024, 3, 5, 10, 0))
    assert fake.sent[0].options["params"] == {"date": "2024-03-05"}
    with pytest.raises(ValidationError):
        await UsersResource(fake.as_client()).work_history("05.03.2024")
    with pytest.raises(ValidationError):
        await UsersResource(fake.as_client()).work_history(datetime(2024, 3, 5, tzinfo=UTC))
    assert len(fake.sent) == 1


async def test_set_status_is_a_query_and_refuses_other_statuses() -> None:
    fake = FakeClient()
    phones = PhonesResource(fake.as_client())
    await phones.set_status("101", WorkStatus.WORK, status_name="Cold Calling")
    assert fake.sent[0].path == "/phones/inner/setStatus"
    assert fake.sent[0].options["params"] == {
        "number": "101",
        "status": "WORK",
        "statusName": "Cold Calling",
    }
    with pytest.raises(ValidationError) as caught:
        await phones.set_status("101", "LUNCH")
    assert caught.value.field == "status"
    assert len(fake.sent) == 1


async def test_group_actions_are_json() -> None:
    fake = FakeClient('{"status": "Success", "data": []}')
    groups = GroupsResource(fake.as_client())
    assert await groups.list() == []
    await groups.remove_number(141, "2561")  # a `data` where none is documented is fine
    assert [s.body for s in fake.sent] == [
        {"action": "GET_LIST"},
        {"action": "REMOVE_NUMBER", "groupId": 141, "number": "2561"},
    ]


async def test_operator_statistic_request() -> None:
    fake = FakeClient("[]")
    await OperatorsResource(fake.as_client()).statistic(
        "2024-01-30 08:00:00",
        date(2024, 2, 1),
        filter=OperatorStatisticFilter(call_types=["IN"], max_time_awaiting_seconds=60),
    )
    assert fake.sent[0].body == {
        "from": "2024-01-30 08:00:00",
        "to": "2024-02-01 00:00:00",
        "filter": {"callTypes": ["IN"], "maxTimeAwaitingSeconds": 60},
    }
    with pytest.raises(ValidationError) as caught:
        await OperatorsResource(fake.as_client()).statistic(date(2024, 2, 2), date(2024, 2, 1))
    assert caught.value.field == "from_"
