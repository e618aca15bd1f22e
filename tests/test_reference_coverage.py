"""Every endpoint path and autodialer action of the reference has a client method."""

from __future__ import annotations

import re
from pathlib import Path
from typing import get_args

import pytest

from unitalk_async import UnitalkClient
from unitalk_async.models.autodial import AutodialRequest

REFERENCE = (Path(__file__).parent / "reference" / "unitalk-api.txt").read_text(encoding="utf-8")
# "Relative path: /x", "POST /x", "POST: /x", "/x Mode: POST" - every way the reference names one.
PATH = re.compile(
    r"(?:Relative path: |POST:? |^|\. )(/(?:api/)?[A-Za-z][A-Za-z0-9]*(?:/[A-Za-z][A-Za-z0-9]*)*)"
    r"(?=\s+Mode|\s+Body|\?|\s*$|\s)",
    re.M,
)

METHODS: dict[str, list[str]] = {
    "/autodial/action": ["autodial.get_list"],  # the actions are checked below
    "/phones/directCall": ["calls.direct_call"],
    "/calls/originateC2c": ["calls.originate_c2c"],
    "/calls/originateNew": ["calls.originate_new"],
    "/calls/hangup": ["calls.hangup"],
    "/calls/connectAsPrompter": ["calls.connect_as_prompter"],
    "/calls/analytics/create": ["calls.analytics"],
    "/audio/upload": ["audio.upload"],
    "/audio/tts": ["audio.tts"],
    "/lists": ["lists.get", "lists.add", "lists.remove"],
    "/users/workHistory": ["users.work_history"],
    "/users/list": ["users.list"],
    "/users/getStatus": ["users.get_status"],
    "/phones/inner": ["phones.inner"],
    "/phones/inner/setStatus": ["phones.set_status"],
    "/groups/action": ["groups.list", "groups.remove_number"],
    "/operator/statistic": ["operators.statistic"],
    "/history/get": ["history.get", "history.iter"],
    # Documented with a second /api prefix; README "API notes".
    "/eventHandlers/removeScheduledByPhones": ["event_handlers.remove_scheduled_by_phones"],
    "/message/send": ["messages.send"],
    "/message/sendBulk": ["messages.send_bulk"],
    "/message/getStatus": ["messages.get_status"],
    "/messageDistribution/getAll": ["distributions.get_all"],
    "/messageDistribution/create": ["distributions.create"],
    "/messageDistribution/update": ["distributions.update"],
    "/messageDistribution/remove": ["distributions.remove"],
    "/messageDistribution/setPaused": ["distributions.set_paused"],
    "/widget/sendNotification": ["widget.send_notification"],
    "/widget/hideNotification": ["widget.hide_notification"],
    "/dictionary": ["dictionary"],
}

ACTIONS = re.findall(
    r"^([A-Z_]+)\n", REFERENCE[REFERENCE.index("List of possible field values:") :][:800], re.M
)


def documented_paths() -> set[str]:
    paths = {p.removeprefix("/api") for p in PATH.findall(REFERENCE)}
    return {p for p in paths if not p.startswith(("/new", "/tracking"))}


def resolve(dotted: str) -> object:
    target: object = UnitalkClient("k")
    for part in dotted.split("."):
        target = getattr(target, part)
    return target


def test_every_documented_path_has_a_method_and_nothing_else_is_claimed() -> None:
    assert len(documented_paths()) == 30
    assert documented_paths() == set(METHODS)


@pytest.mark.parametrize(("path", "dotted"), [(p, m) for p, ms in METHODS.items() for m in ms])
def test_each_method_exists_on_the_client(path: str, dotted: str) -> None:
    # Which path each method sends to is checked on the wire in tests/resources.
    assert callable(resolve(dotted)), path


def test_every_autodialer_action_has_a_method_and_a_request_struct() -> None:
    assert len(ACTIONS) == 15
    autodial = UnitalkClient("k").autodial
    tags = {member.__struct_config__.tag for member in get_args(AutodialRequest)}
    for action in ACTIONS:
        assert callable(getattr(autodial, action.lower())), action
        assert action in tags, action
