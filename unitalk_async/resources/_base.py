"""The base of every endpoint group: a thin object holding the client it sends through."""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any

from unitalk_async._checked import checked

if TYPE_CHECKING:
    from unitalk_async._client import UnitalkClient


class Resource:
    """One endpoint group (`client.autodial`, `client.messages`, ...).

    Methods build a request struct and make one `self._client._call(row, request)`; the
    row of `_operations.py` holds every per-call rule. None does its own HTTP.

    Every public method's arguments are checked against its annotations before it runs
    (`_checked.py`): no argument of the wrong type reaches a request.
    """

    __slots__ = ("_client",)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name, member in list(vars(cls).items()):
            if not name.startswith("_") and inspect.isfunction(member):
                setattr(cls, name, checked(member))

    def __init__(self, client: UnitalkClient) -> None:
        self._client = client
