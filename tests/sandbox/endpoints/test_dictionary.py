"""/dictionary?type=...: `{"<id>": "<name>"}` for every type the reference lists."""

from __future__ import annotations

import pytest

from unitalk_async.sandbox.endpoints.dictionary import DICTIONARIES

from .conftest import Api

pytestmark = pytest.mark.anyio
REFERENCE_TYPES = [
    "IVR",
    "INNER_PHONE",
    "USER",
    "SITE",
    "IN_SCENARIO",
    "OUT_SCENARIO",
    "TTS_PROFILE",
    "STT_PROFILE",
    "PHONE_GROUP",
    "TRIGGER_ACTION",
    "VOICE_ROBOT",
    "MESSAGE_DISTRIBUTION",
    "CONTACT_FORMS",
    "VOICE_ANALYTICS_PROFILE",
    "AUDIO_ALL",
    "AUDIO_GENERAL",
    "AUDIO_IVR",
    "AUDIO_AUTODIAL",
    "AUDIO_MELODY",
    "AUDIO_API",
    "AUDIO_VOICE_ROBOT",
    "AUDIO_VOICE_QUEUE",
    "AUTODIAL_ALL",
    "AUTODIAL_AUTODIALER",
    "AUTODIAL_PREDICTIVE",
    "AUTODIAL_ROBOT",
]


def test_every_reference_type_is_served() -> None:
    assert set(DICTIONARIES) == set(REFERENCE_TYPES)


@pytest.mark.parametrize("kind", REFERENCE_TYPES)
async def test_answers_id_to_name(api: Api, kind: str) -> None:
    body = await api.ok("/dictionary", params={"type": kind})
    assert body["status"] == "Success"
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in body["data"].items())


async def test_contents_follow_the_project(api: Api) -> None:
    project = api.sandbox.project
    ivr = await api.ok("/dictionary", params={"type": "IVR"})
    assert ivr["data"] == {str(k): v for k, v in project.ivrs.items()}
    audio = await api.ok("/dictionary", params={"type": "AUDIO_AUTODIAL"})
    assert audio["data"] == {str(k): v for k, v in project.audios_of("AUTODIAL").items()}
    lines = (await api.ok("/dictionary", params={"type": "INNER_PHONE"}))["data"]
    assert set(lines) == set(project.lines)
    user = next(iter(project.users.values()))
    assert lines[str(user.phone)] == f"{user.first_name} {user.last_name}"
    await api.ok(
        "/messageDistribution/create",
        {"name": "News", "messageType": "SMS", "numbers": ["380971234567"], "text": "Hi"},
    )
    distributions = await api.ok("/dictionary", params={"type": "MESSAGE_DISTRIBUTION"})
    assert list(distributions["data"].values()) == ["News"]


async def test_autodialers(api: Api) -> None:
    autodial = api.sandbox.autodial
    robot = autodial.create("Robot", "VOICE_ROBOT", "FIXED", {})
    plain = autodial.create("Plain", "AUTODIAL", "FIXED", {})
    every = await api.ok("/dictionary", params={"type": "AUTODIAL_ALL"})
    assert every["data"] == {str(robot.id): "Robot", str(plain.id): "Plain"}
    robots = await api.ok("/dictionary", params={"type": "AUTODIAL_ROBOT"})
    assert robots["data"] == {str(robot.id): "Robot"}


async def test_unknown_type(api: Api) -> None:
    await api.fails(
        "/dictionary", params={"type": "PLANET"},
        message="Validation error: unknown dictionary type 'PLANET'",
    )  # fmt: skip
