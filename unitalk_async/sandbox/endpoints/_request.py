"""Reading a request the way the service does: JSON bodies, URL or form parameters, phones.

Handlers raise `SandboxError` with the reference's own message; the app's exception handler
turns it into the error answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

import msgspec
from starlette.requests import Request

from unitalk_async._codec import DATETIME_FORMAT, decode
from unitalk_async.sandbox._answers import SandboxError
from unitalk_async.sandbox.phones import normalize_phone

if TYPE_CHECKING:
    from unitalk_async.sandbox.autodialers import AutodialState
    from unitalk_async.sandbox.config import SandboxConfig
    from unitalk_async.sandbox.endpoints.state import EndpointsState
    from unitalk_async.sandbox.project import Project

T = TypeVar("T")

# Our decision for bodies the reference gives no message for (wrong JSON, a field of the
# wrong type, an unknown enum value): the service's generic "Validation error". The message
# is the documented text exactly (callers match it); the reason goes in `data`.
VALIDATION_ERROR = "Validation error"
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class SandboxView(Protocol):
    """What the endpoint handlers use of the running `Sandbox`."""

    @property
    def config(self) -> SandboxConfig: ...

    @property
    def project(self) -> Project: ...

    @property
    def endpoints(self) -> EndpointsState: ...

    @property
    def autodial(self) -> AutodialState: ...

    def now(self) -> datetime:
        """The project's wall-clock time."""


def sandbox_of(request: Request) -> SandboxView:
    """The sandbox behind the app serving `request`."""
    return cast(SandboxView, request.app.state.sandbox)


def state_of(request: Request) -> EndpointsState:
    """The endpoints' in-memory state of the sandbox serving `request`."""
    return sandbox_of(request).endpoints


def validation_error(reason: str) -> SandboxError:
    """The documented "Validation error" answer, its reason in `data`."""
    return SandboxError(VALIDATION_ERROR, data=reason)


async def json_body(request: Request, type_: type[T]) -> T:
    """Decode the JSON body into `type_`; an empty body reads as `{}`."""
    raw = await request.body()
    try:
        return decode(raw if raw.strip() else b"{}", type_)
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        raise validation_error(str(exc)) from None


async def parameters(request: Request) -> dict[str, str]:
    """URL parameters, overlaid by form fields for the methods that take either."""
    params = dict(request.query_params)
    if request.headers.get("content-type", "").startswith(_FORM_TYPES):
        form = await request.form()
        params.update({key: value for key, value in form.items() if isinstance(value, str)})
    return params


def split_phones(items: list[Any]) -> tuple[list[str], list[Any]]:
    """Valid numbers (normalised, first occurrence order) and the items that are not numbers."""
    valid: dict[str, None] = {}
    invalid: list[Any] = []
    for item in items:
        phone = normalize_phone(item)
        if phone is None:
            invalid.append(item)
        else:
            valid[phone] = None
    return list(valid), invalid


def int_param(params: Mapping[str, str], name: str) -> int | None:
    """A non-negative integer parameter, or None when it is absent or not a number."""
    value = params.get(name, "").strip()
    return int(value) if value.isdigit() else None


def parse_datetime(value: object) -> datetime | None:
    """A "yyyy-MM-dd HH:mm:ss" wire date-time, or None when absent or malformed."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.strptime(value, DATETIME_FORMAT)
    except ValueError:
        return None


def parse_date(value: object) -> date | None:
    """A "yyyy-MM-dd" wire date, or None when absent or malformed."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        return None
