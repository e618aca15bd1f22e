"""/eventHandlers/removeScheduledByPhones."""

from __future__ import annotations

import functools
from typing import Any

import anyio
import pytest

from .conftest import Api, wait_until

pytestmark = pytest.mark.anyio
PATH = "/eventHandlers/removeScheduledByPhones"


async def test_answers_the_number_removed(api: Api) -> None:
    phones = [f"38097000{n:04d}" for n in range(100)]
    handlers = api.state.scheduled_handlers
    expected = sum(handlers.count(phone) for phone in phones)
    assert expected > 0
    assert await api.ok(PATH, {"phones": phones}) == {"status": "Success", "data": expected}
    # They are gone: a second removal finds none.
    assert await api.ok(PATH, {"phones": phones}) == {"status": "Success", "data": 0}


async def test_numbers_are_normalised(api: Api) -> None:
    count = api.state.scheduled_handlers.count("380970000001")
    body = await api.ok(PATH, {"phones": ["+38 (097) 000-00-01"]})
    assert body["data"] == count


@pytest.mark.parametrize(
    ("request_body", "message"),
    [
        ({}, "Phones is not specified"),
        ({"phones": []}, "Phones is not specified"),
        ({"phones": ["380970000001"] * 101}, "Too many phones"),
    ],
)
async def test_errors(api: Api, request_body: dict[str, Any], message: str) -> None:
    await api.fails(PATH, request_body, message=message)


async def test_invalid_phones_are_listed(api: Api) -> None:
    body = await api.fails(
        PATH, {"phones": ["380970000001", "123", None]}, message="Invalid phones"
    )
    assert body["data"] == ["123", None]


async def test_one_deletion_at_a_time(api: Api) -> None:
    handlers = api.state.scheduled_handlers
    handlers.removal_seconds = 0.2
    async with anyio.create_task_group() as tg:
        tg.start_soon(functools.partial(api.ok, PATH, {"phones": ["380970000001"]}))
        await wait_until(lambda: handlers.removing)
        await api.fails(
            PATH,
            {"phones": ["380970000002"]},
            message="Wait until the previous request is processed",
        )
    await api.ok(PATH, {"phones": ["380970000002"]})
