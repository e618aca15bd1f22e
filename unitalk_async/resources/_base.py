"""The base of every endpoint group: a thin object holding the client it sends through."""

from __future__ import annotations

from typing import TYPE_CHECKING

from unitalk_async._exceptions import UnitalkError

if TYPE_CHECKING:
    from unitalk_async._client import UnitalkClient


class Resource:
    """One endpoint group (`client.autodial`, `client.messages`, ...).

    Methods build a request struct and call `self._client._request(...)`; none does its own HTTP.
    """

    __slots__ = ("_client",)

    def __init__(self, client: UnitalkClient) -> None:
        self._client = client


def landed_before_retry(error: UnitalkError, *messages: str) -> bool:
    """True when `error` answers a resend that followed an ambiguous failure with one of the
    "already done" `messages`: the first attempt had landed, so the call succeeded.

    E.g. "Task not found" answering the resend of a REMOVE whose first answer was lost.
    """
    return error.ambiguous_prior_attempt and error.message in messages
