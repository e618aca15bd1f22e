"""/dictionary?type=...: `{"<id>": "<name>"}` of one kind of project entity."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from unitalk_async.sandbox._answers import success
from unitalk_async.sandbox.endpoints._request import (
    SandboxView,
    parameters,
    sandbox_of,
    validation_error,
)

Entries = dict[Any, str]


def _inner_phones(sandbox: SandboxView) -> Entries:
    entries: Entries = {}
    for line in sandbox.project.lines:
        user = sandbox.project.user_by_line(line)
        entries[line] = " ".join(filter(None, (user.first_name, user.last_name))) if user else ""
    return entries


def _autodialers(sandbox: SandboxView, autodialer_type: str | None) -> Entries:
    """The autodialers of one type (all when None)."""
    return {
        autodialer.id: autodialer.name
        for autodialer in sandbox.autodial.autodialers.values()
        if autodialer_type is None or autodialer.autodialer_type == autodialer_type
    }


def _audios(audio_type: str) -> Callable[[SandboxView], Entries]:
    return lambda sandbox: dict(sandbox.project.audios_of(audio_type))


DICTIONARIES: dict[str, Callable[[SandboxView], Entries]] = {
    "IVR": lambda s: dict(s.project.ivrs),
    "INNER_PHONE": _inner_phones,
    "USER": lambda s: {
        u.id: " ".join(filter(None, (u.first_name, u.last_name))) for u in s.project.users.values()
    },
    "SITE": lambda s: dict(s.project.sites),
    "IN_SCENARIO": lambda s: dict(s.project.scenarios),
    "OUT_SCENARIO": lambda s: dict(s.project.out_scenarios),
    "TTS_PROFILE": lambda s: dict(s.project.tts_profiles),
    "STT_PROFILE": lambda s: dict(s.project.stt_profiles),
    "PHONE_GROUP": lambda s: {g.id: g.name for g in s.project.groups.values()},
    "TRIGGER_ACTION": lambda s: {t.id: t.name for t in s.project.trigger_actions.values()},
    "VOICE_ROBOT": lambda s: dict(s.project.voice_secretaries),
    "MESSAGE_DISTRIBUTION": lambda s: {
        d.id: d.name for d in s.endpoints.distributions.distributions.values()
    },
    "CONTACT_FORMS": lambda s: dict(s.project.contact_forms),
    "VOICE_ANALYTICS_PROFILE": lambda s: dict(s.project.voice_analytics_profiles),
    "AUDIO_ALL": lambda s: {a.id: a.name for a in s.project.audios.values()},
    "AUDIO_GENERAL": _audios("GENERAL"),
    "AUDIO_IVR": _audios("IVR"),
    "AUDIO_AUTODIAL": _audios("AUTODIAL"),
    "AUDIO_MELODY": _audios("MELODY"),
    "AUDIO_API": _audios("API"),
    "AUDIO_VOICE_ROBOT": _audios("VOICE_ROBOT"),
    "AUDIO_VOICE_QUEUE": _audios("VOICE_QUEUE"),
    "AUTODIAL_ALL": lambda s: _autodialers(s, None),
    "AUTODIAL_AUTODIALER": lambda s: _autodialers(s, "AUTODIAL"),
    # "Predictive Dialing" is the reference's name here for the guaranteed autodialer.
    "AUTODIAL_PREDICTIVE": lambda s: _autodialers(s, "GUARANTEED_DIAL"),
    "AUTODIAL_ROBOT": lambda s: _autodialers(s, "VOICE_ROBOT"),
}


async def dictionary(request: Request) -> Response:
    """`{"status": "Success", "data": {"<id>": "<name>"}}` (README "API notes")."""
    kind = (await parameters(request)).get("type", "")
    build = DICTIONARIES.get(kind)
    if build is None:  # the reference gives no message for an unknown type: ours
        raise validation_error(f"unknown dictionary type {kind!r}")
    return success(data={str(key): name for key, name in build(sandbox_of(request)).items()})
