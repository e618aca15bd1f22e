"""/dictionary?type=...: ids and names of project entities (README "API notes" shape)."""

from __future__ import annotations

from unitalk_async.models._envelope import Envelope
from unitalk_async.models.enums import DictionaryType

__all__ = ["DictionaryAnswer", "DictionaryType"]

#: `{"status": "Success", "data": {"<id>": "<name>", ...}}`. Ids stay strings: for
#: INNER_PHONE the key is a line number, which is not an id; a name may be null.
DictionaryAnswer = Envelope[dict[str, str | None]]
