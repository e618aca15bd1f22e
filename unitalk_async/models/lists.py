"""/lists: the project's blocked-number lists (GET, ADD, REMOVE)."""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta

from unitalk_async._reference import MAX_LIST_ITEMS_PER_REQUEST
from unitalk_async.models._base import UNSET, Request, UnsetType
from unitalk_async.models.calls import check_constraints, require
from unitalk_async.models.enums import ListName, ListOperation

__all__ = ["ListItems", "ListRequest"]

#: Numbers in international format; at most 100 per ADD/REMOVE request.
ListItems = Annotated[list[str], Meta(max_length=MAX_LIST_ITEMS_PER_REQUEST)]


class ListRequest(Request):
    """One /lists request; `items` only for ADD and REMOVE."""

    list: ListName
    operation: ListOperation
    items: ListItems | UnsetType = UNSET

    def __post_init__(self) -> None:
        self.list = ListName(self.list)
        self.operation = ListOperation(self.operation)

    def validate(self) -> None:
        check_constraints(self)
        require(self.list.is_known, "list", "must be one of " + ", ".join(ListName))
        require(self.operation.is_known, "operation", "must be one of " + ", ".join(ListOperation))
        if self.operation is not ListOperation.GET:
            require(bool(self.items), "items", "must not be empty for ADD and REMOVE")
