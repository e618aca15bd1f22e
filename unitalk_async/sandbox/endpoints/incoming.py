"""Incoming webhooks: /tracking/webhook/event?token=&action=AUTODIAL_ADD|AUTODIAL_REMOVE&id=...

The link is authenticated by its own `token` (project.webhook_tokens), not the API key, and
adds numbers to or removes them from an autodialer through the project's number handler,
as ADD_NUMBERS and REMOVE_NUMBERS do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from starlette.requests import Request
from starlette.responses import Response

from unitalk_async._reference import MAX_NUMBER_LINK, MAX_NUMBER_NAME, MAX_NUMBER_NOTE
from unitalk_async.sandbox._answers import SandboxError, success
from unitalk_async.sandbox.autodialers import add_numbers, remove_numbers
from unitalk_async.sandbox.endpoints._request import parameters
from unitalk_async.sandbox.numbers import NumberData
from unitalk_async.sandbox.phones import normalize_phone

if TYPE_CHECKING:
    from unitalk_async.sandbox.state import Sandbox


def _clip(value: str | None, cap: int) -> str | None:
    return value[:cap] if value else None


async def webhook_event(request: Request) -> Response:
    """AUTODIAL_ADD (phones, name, note, link) or AUTODIAL_REMOVE (phones)."""
    sandbox = cast("Sandbox", request.app.state.sandbox)
    params = await parameters(request)
    if params.get("token") not in sandbox.project.webhook_tokens:
        raise SandboxError("Token not found")
    action = params.get("action")
    if action not in ("AUTODIAL_ADD", "AUTODIAL_REMOVE"):
        raise SandboxError("Action not found")
    raw_id = params.get("id", "").strip()
    if not raw_id:
        raise SandboxError("Id is null")
    autodialer = sandbox.autodial.autodialers.get(int(raw_id)) if raw_id.isdigit() else None
    if autodialer is None:
        raise SandboxError("Autodial not found")
    raw_phones = [part for part in params.get("phones", "").split(",") if part.strip()]
    if not raw_phones:
        raise SandboxError("Empty phones")
    phones = list(dict.fromkeys(p for p in map(normalize_phone, raw_phones) if p is not None))
    if not phones:
        raise SandboxError("Phones not found")
    if action == "AUTODIAL_ADD":
        data = NumberData(
            name=_clip(params.get("name"), MAX_NUMBER_NAME),
            note=_clip(params.get("note"), MAX_NUMBER_NOTE),
            link=_clip(params.get("link"), MAX_NUMBER_LINK),
        )
        # BLOCKED_FOR_AUTODIAL_PHONES: "numbers that cannot be added to autodialers".
        endpoints = sandbox.endpoints
        blocked = endpoints.lists.blocked_for_autodial if endpoints is not None else {}
        allowed = [phone for phone in phones if phone not in blocked]
        with_data = None if data == NumberData() else dict.fromkeys(allowed, data)
        if not allowed or not await add_numbers(sandbox, autodialer, allowed, data=with_data):
            raise SandboxError("Phones not added")
    elif not await remove_numbers(sandbox, autodialer, phones):
        raise SandboxError("Calls not found")
    return success()
