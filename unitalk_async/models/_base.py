"""The Struct bases every model derives from, and the optional-field alias.

- `Response`: what the service sends. camelCase on the wire, keyword-only, fields the
  service may leave out default to UNSET so a decoded document encodes back to the same
  document (absent stays absent, null stays null). Unknown fields are ignored, never refused.
- `Request`: what the client sends. Same options; optional fields default to UNSET and are
  left out of the body.

msgspec passes class options on to subclasses, so a model only states its fields:

    class Number(Response):
        phone: str
        name: Maybe[str] = UNSET
"""

from __future__ import annotations

from typing import TypeVar, Union

import msgspec
from msgspec import UNSET, UnsetType

__all__ = ["UNSET", "Maybe", "Request", "Response", "UnsetType"]

T = TypeVar("T")

#: A field the service may leave out or send as null: `T | None | UnsetType`.
Maybe = Union[T, None, UnsetType]  # noqa: UP007  (a generic alias needs Union)


class Response(msgspec.Struct, kw_only=True, omit_defaults=True, rename="camel"):
    """Base of every decoded answer (or part of one)."""


class Request(msgspec.Struct, kw_only=True, omit_defaults=True, rename="camel"):
    """Base of every request body (or part of one)."""
