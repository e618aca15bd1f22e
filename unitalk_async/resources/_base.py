"""The base of every endpoint group: a thin object holding the client it sends through."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from unitalk_async._client import UnitalkClient


class Resource:
    """One endpoint group (`client.autodial`, `client.messages`, ...).

    Methods build a request struct and make one `self._client._call(row, request)`; the
    row of `_operations.py` holds every per-call rule. None does its own HTTP.
    """

    __slots__ = ("_client",)

    def __init__(self, client: UnitalkClient) -> None:
        self._client = client
