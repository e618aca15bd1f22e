"""The `{"status", "message", "data"}` wrapper many methods answer with."""

from __future__ import annotations

from typing import Generic, TypeVar

import msgspec

T = TypeVar("T")


class Envelope(msgspec.Struct, Generic[T], kw_only=True, omit_defaults=True):
    """An enveloped answer; `status` is "Success" or an error, `data` the payload if any."""

    status: str
    message: str | msgspec.UnsetType | None = msgspec.UNSET
    data: T | msgspec.UnsetType | None = msgspec.UNSET
