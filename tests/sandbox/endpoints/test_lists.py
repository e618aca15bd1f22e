"""/lists: GET, ADD and REMOVE on BLOCKED_PHONES and BLOCKED_FOR_AUTODIAL_PHONES."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Api

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize("name", ["BLOCKED_PHONES", "BLOCKED_FOR_AUTODIAL_PHONES"])
async def test_add_get_remove(api: Api, name: str) -> None:
    assert await api.ok("/lists", {"list": name, "operation": "GET"}) == {
        "status": "Success",
        "data": [],
    }
    added = {"list": name, "operation": "ADD", "items": ["+380 97 123-45-67", "380671234567"]}
    assert await api.ok("/lists", added) == {"status": "Success"}
    await api.ok("/lists", {"list": name, "operation": "ADD", "items": ["380971234567"]})
    listed = await api.ok("/lists", {"list": name, "operation": "GET"})
    assert listed["data"] == ["380971234567", "380671234567"]
    removed = {"list": name, "operation": "REMOVE", "items": ["380971234567", "380500000000"]}
    await api.ok("/lists", removed)
    assert (await api.ok("/lists", {"list": name, "operation": "GET"}))["data"] == ["380671234567"]


async def test_the_lists_are_separate(api: Api) -> None:
    await api.ok(
        "/lists", {"list": "BLOCKED_PHONES", "operation": "ADD", "items": ["380971234567"]}
    )
    assert api.state.lists.blocked == {"380971234567": None}
    assert api.state.lists.blocked_for_autodial == {}


@pytest.mark.parametrize(
    ("request_body", "message"),
    [
        ({"list": "BLOCKED_PHONES", "operation": "ADD"}, "items is empty"),
        ({"list": "BLOCKED_PHONES", "operation": "REMOVE", "items": []}, "items is empty"),
        (
            {"list": "BLOCKED_PHONES", "operation": "ADD", "items": ["380971234567"] * 101},
            "Too many items",
        ),
        ({"operation": "GET"}, "Validation error: list is required"),
        ({"list": "BLOCKED_PHONES"}, "Validation error: operation is required"),
    ],
)
async def test_errors(api: Api, request_body: dict[str, Any], message: str) -> None:
    await api.fails("/lists", request_body, message=message)


async def test_wrong_numbers_reject_the_whole_request(api: Api) -> None:
    request = {"list": "BLOCKED_PHONES", "operation": "ADD", "items": ["380971234567", "12", "x"]}
    body = await api.fails("/lists", request, message="Wrong numbers")
    assert body["data"] == ["12", "x"]
    assert api.state.lists.blocked == {}


async def test_unknown_list_is_the_documented_validation_error_with_its_reason_in_data(
    api: Api,
) -> None:
    response = await api.post("/lists", {"list": "WHITE", "operation": "GET"})
    assert response.status_code == 400
    body = response.json()
    assert body["message"] == "Validation error"  # the documented text, exactly
    assert "WHITE" in body["data"]


async def test_a_malformed_body_is_a_validation_error(api: Api) -> None:
    for body in (b"{not json", b'{"list": 5, "operation": "GET"}', b"[]"):
        response = await api.post("/lists", content=body)
        assert response.status_code == 400
        answer = response.json()
        assert answer["message"] == "Validation error" and answer["data"]
