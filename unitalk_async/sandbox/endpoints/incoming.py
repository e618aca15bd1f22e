"""Incoming webhooks: /tracking/webhook/event?token=&action=AUTODIAL_ADD|AUTODIAL_REMOVE&id=...

The link is authenticated by its own `token` (project.webhook_tokens), not the API key, and
adds numbers to or removes them from an autodialer of the sandbox's autodialer state.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from unitalk_async._reference import MAX_NUMBER_LINK, MAX_NUMBER_NAME, MAX_NUMBER_NOTE
from unitalk_async.sandbox._answers import SandboxError, success
from unitalk_async.sandbox.endpoints._request import parameters, sandbox_of
from unitalk_async.sandbox.phones import normalize_phone


async def webhook_event(request: Request) -> Response:
    """AUTODIAL_ADD (phones, name, note, link) or AUTODIAL_REMOVE (phones)."""
    sandbox = sandbox_of(request)
    params = await parameters(request)
    if params.get("token") not in sandbox.project.webhook_tokens:
        raise SandboxError("Token not found")
    action = params.get("action")
    if action not in ("AUTODIAL_ADD", "AUTODIAL_REMOVE"):
        raise SandboxError("Action not found")
    raw_id = params.get("id", "").strip()
    if not raw_id:
        raise SandboxError("Id is null")
    autodialers = sandbox.autodial.autodialers
    autodialer = autodialers.get(int(raw_id)) if raw_id.isdigit() else None
    if autodialer is None:
        raise SandboxError("Autodial not found")
    raw_phones = [part for part in params.get("phones", "").split(",") if part.strip()]
    if not raw_phones:
        raise SandboxError("Empty phones")
    phones = list(dict.fromkeys(p for p in map(normalize_phone, raw_phones) if p is not None))
    if not phones:
        raise SandboxError("Phones not found")
    if action == "AUTODIAL_ADD":
        data = {
            "name": (params.get("name") or None, MAX_NUMBER_NAME),
            "note": (params.get("note") or None, MAX_NUMBER_NOTE),
            "link": (params.get("link") or None, MAX_NUMBER_LINK),
        }
        extra = {key: value[:cap] for key, (value, cap) in data.items() if value is not None}
        if not autodialer.add_numbers(phones, **extra):
            raise SandboxError("Phones not added")
    elif not autodialer.remove_numbers(phones):
        raise SandboxError("Calls not found")
    return success()
