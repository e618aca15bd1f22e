"""/lists: the project's blocked-number lists (GET, ADD, REMOVE)."""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta

from unitalk_async._arguments import known_member
from unitalk_async._reference import MAX_LIST_ITEMS_PER_REQUEST
from unitalk_async.models._base import UNSET, Request, UnsetType
from unitalk_async.models.calls import check_constraints, require
from unitalk_async.models.enums import ListName, ListNameLike, ListOperation, ListOperationLike

__all__ = ["ListItems", "ListRequest"]

#: Numbers in international format; at most 100 per ADD/REMOVE request.
ListItems = Annotated[list[str], Meta(max_length=MAX_LIST_ITEMS_PER_REQUEST)]


class ListRequest(Request):
    """One /lists request; `items` only for ADD and REMOVE."""

    list: ListNameLike
    operation: ListOperationLike
    items: ListItems | UnsetType = UNSET

    def __post_init__(self) -> None:
        self.list = known_member(ListName, self.list, "list")
        self.operation = known_member(ListOperation, self.operation, "operation")

    def validate(self) -> None:
        check_constraints(self)
        listed, operation = ListName(self.list), ListOperation(self.operation)
        require(listed.is_known, "list", "must be one of " + ", ".join(ListName))
        require(operation.is_known, "operation", "must be one of " + ", ".join(ListOperation))
        if operation is not ListOperation.GET:
            require(bool(self.items), "items", "must not be empty for ADD and REMOVE")
