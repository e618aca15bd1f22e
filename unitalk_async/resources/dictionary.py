"""`client.dictionary(type)`: ids and names of project entities (/dictionary?type=...)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from unitalk_async import _operations as ops
from unitalk_async.models.enums import DictionaryType, DictionaryTypeLike

if TYPE_CHECKING:
    from unitalk_async._client import UnitalkClient

__all__ = ["get_dictionary"]


async def get_dictionary(client: UnitalkClient, type: DictionaryTypeLike) -> dict[str, str | None]:
    """Id (line number for INNER_PHONE) -> name of every entity of `type` (IVR, USER, ...).

    Types the reference does not list are passed through: the service decides.
    """
    answer = await client._call(ops.DICTIONARY, {"type": str(DictionaryType(type))})
    return answer.data if isinstance(answer.data, dict) else {}
