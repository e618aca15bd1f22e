"""The incoming-webhook link /tracking/webhook/event: AUTODIAL_ADD and AUTODIAL_REMOVE."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from .conftest import Api

pytestmark = pytest.mark.anyio


async def event(api: Api, **params: Any) -> httpx.Response:
    # The link carries its own token: no API key.
    return await api.http.post(
        "/tracking/webhook/event", params=params, headers={"Authorization": ""}
    )


def assert_error(response: httpx.Response, message: str) -> None:
    assert response.status_code == 400, response.text
    assert response.json() == {"status": "Error", "message": message}


async def test_add_and_remove_numbers(api: Api) -> None:
    autodialer = api.sandbox.autodial.create("Calls", "AUTODIAL", "FIXED", {})
    token = api.state.incoming_token
    added = await event(
        api, token=token, action="AUTODIAL_ADD", id=autodialer.id,
        phones="380971234567, +38 067 000 1000,12", name="vasya", note="okna", link="",
    )  # fmt: skip
    assert added.json() == {"status": "Success"}
    numbers = autodialer.numbers
    assert set(numbers.index) == {"380971234567", "380670001000"}
    assert numbers.data["380971234567"].name == "vasya"
    assert numbers.data["380971234567"].note == "okna"
    assert autodialer.status == "WAITING"
    again = await event(
        api, token=token, action="AUTODIAL_ADD", id=autodialer.id, phones="380971234567"
    )
    assert_error(again, "Phones not added")
    removed = await event(
        api, token=token, action="AUTODIAL_REMOVE", id=autodialer.id,
        phones="380971234567,380670001000",
    )  # fmt: skip
    assert removed.json() == {"status": "Success"}
    assert numbers.count == 0
    gone = await event(
        api, token=token, action="AUTODIAL_REMOVE", id=autodialer.id, phones="380971234567"
    )
    assert_error(gone, "Calls not found")


async def test_errors(api: Api) -> None:
    autodialer = api.sandbox.autodial.create("Calls", "AUTODIAL", "FIXED", {})
    token = api.state.incoming_token
    link = {"token": token, "action": "AUTODIAL_ADD", "id": autodialer.id, "phones": "380971234567"}
    cases: list[tuple[dict[str, Any], str]] = [
        (link | {"token": "nope"}, "Token not found"),
        ({k: v for k, v in link.items() if k != "token"}, "Token not found"),
        ({k: v for k, v in link.items() if k != "action"}, "Action not found"),
        (link | {"action": "AUTODIAL_PAUSE"}, "Action not found"),
        ({k: v for k, v in link.items() if k != "id"}, "Id is null"),
        (link | {"id": 1}, "Autodial not found"),
        (link | {"phones": ""}, "Empty phones"),
        (link | {"phones": "12,abc"}, "Phones not found"),
    ]
    for params, message in cases:
        assert_error(await event(api, **params), message)
    assert autodialer.numbers.count == 0


async def test_numbers_blocked_for_autodialers_are_not_added(api: Api) -> None:
    autodialer = api.sandbox.autodial.create("Calls", "AUTODIAL", "FIXED", {})
    blocked = {"list": "BLOCKED_FOR_AUTODIAL_PHONES", "operation": "ADD", "items": ["380971234567"]}
    await api.ok("/lists", blocked)
    link = {"token": api.state.incoming_token, "action": "AUTODIAL_ADD", "id": autodialer.id}
    assert_error(await event(api, **link, phones="380971234567"), "Phones not added")
    added = await event(api, **link, phones="380971234567,380671234567")
    assert added.json() == {"status": "Success"}
    assert list(autodialer.numbers.index) == ["380671234567"]
