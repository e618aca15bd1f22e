"""/eventHandlers/removeScheduledByPhones: drop scheduled event handlers of some numbers."""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta

from unitalk_async._reference import MAX_SCHEDULED_HANDLER_PHONES
from unitalk_async.models._base import Request
from unitalk_async.models.calls import check_constraints

__all__ = ["RemoveScheduledRequest"]


class RemoveScheduledRequest(Request):
    """1 to 100 numbers in international format whose scheduled handlers are removed."""

    phones: Annotated[list[str], Meta(min_length=1, max_length=MAX_SCHEDULED_HANDLER_PHONES)]

    def validate(self) -> None:
        check_constraints(self)
