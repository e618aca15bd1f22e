"""`client.users`, `client.phones`, `client.groups`, `client.operators`."""

from __future__ import annotations

import builtins
import datetime as dt
from datetime import date, datetime

from unitalk_async import _operations as ops
from unitalk_async._exceptions import ValidationError
from unitalk_async.models.calls import given, wire_datetime
from unitalk_async.models.enums import LineStatus, WorkStatus, WorkStatusLike
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
from unitalk_async.resources._base import Resource

__all__ = ["GroupsResource", "OperatorsResource", "PhonesResource", "UsersResource"]


def wire_date(value: date | str, field: str) -> str:
    """A caller's `date` (or naive `datetime`, or "yyyy-MM-dd") as "yyyy-MM-dd"."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise ValidationError(field, "expected 'yyyy-MM-dd'", value=value) from None
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            raise ValidationError(
                field, "pass a naive date in the project's time zone, not an aware one"
            )
        value = value.date()
    return value.isoformat()


class UsersResource(Resource):
    """Users: /users/list, /users/getStatus, /users/workHistory."""

    __slots__ = ()

    async def list(self) -> list[User]:
        """Every user of the project."""
        return await self._client._call(ops.USERS_LIST)

    async def get_status(self) -> builtins.list[UserStatus]:
        """Every user with their work status."""
        return await self._client._call(ops.USERS_GET_STATUS)

    async def work_history(self, date: dt.date | str) -> WorkHistory:
        """Seconds each user spent in each work status on `date` (a naive date or datetime,
        or "yyyy-MM-dd")."""
        return await self._client._call(ops.USERS_WORK_HISTORY, {"date": wire_date(date, "date")})


class PhonesResource(Resource):
    """Internal lines: /phones/inner, /phones/inner/setStatus."""

    __slots__ = ()

    async def inner(self) -> dict[str, LineStatus]:
        """Every internal line and its status (online, busy, offline)."""
        answer = await self._client._call(ops.PHONES_INNER)
        return answer.data if isinstance(answer.data, dict) else {}

    async def set_status(
        self, number: str, status: WorkStatusLike, *, status_name: str | None = None
    ) -> None:
        """Set the work status (WORK, STOP, PAUS) of the user of line `number`.

        `status_name` must match one of the project's status names exactly.
        """
        request = SetLineStatusRequest(
            number=number, status=WorkStatus(status), status_name=given(status_name)
        )
        request.validate()
        await self._client._call(ops.PHONES_SET_STATUS, request.params())


class GroupsResource(Resource):
    """Groups of internal lines: /groups/action (GET_LIST, REMOVE_NUMBER)."""

    __slots__ = ()

    async def list(self) -> list[Group]:
        """Every group with its lines (README "API notes": `{"action": "GET_LIST"}`)."""
        request = GroupActionRequest(action="GET_LIST")
        answer = await self._client._call(ops.GROUPS_LIST, request)
        return answer.data if isinstance(answer.data, list) else []

    async def remove_number(self, group_id: int, number: str) -> None:
        """Remove line `number` from group `group_id`."""
        request = GroupActionRequest(action="REMOVE_NUMBER", group_id=group_id, number=number)
        request.validate()
        await self._client._call(ops.GROUPS_REMOVE_NUMBER, request)


class OperatorsResource(Resource):
    """Operator statistics: /operator/statistic."""

    __slots__ = ()

    async def statistic(
        self,
        from_: datetime | date | str,
        to: datetime | date | str,
        *,
        filter: OperatorStatisticFilter | None = None,
    ) -> list[OperatorStatistic]:
        """One row per operator for the period `from_`..`to` (naive, project time)."""
        request = OperatorStatisticRequest(
            from_=wire_datetime(from_, "from_"),
            to=wire_datetime(to, "to"),
            filter=given(filter),
        )
        request.validate()
        return await self._client._call(ops.OPERATORS_STATISTIC, request)
