"""/messageDistribution/getAll, create, update, remove, setPaused."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Api

pytestmark = pytest.mark.anyio
NUMBERS = ["380971234567", "380671234567"]
SMS = {"name": "Spring sale", "messageType": "SMS", "numbers": NUMBERS, "text": "Sale!"}
PROMO = {
    "name": "Promo",
    "messageType": "VIBER",
    "viberMessageType": "PROMO",
    "numbers": NUMBERS,
    "text": "Promo text",
    "base64Image": "iVBORw0KGgo",
    "mimeType": "image/jpeg",
    "fileName": "promo_image",
    "buttonText": "Buy",
    "buttonUrl": "https://example.com",
    "viberTTL": 3600,
}
CARD = {
    "title": "Sneakers A1",
    "base64Image": "iVBORw0KGgo",
    "mimeType": "image/png",
    "fileName": "a1_carousel",
    "primaryButton": {"label": "Buy", "actionUrl": "https://example.com/a1"},
    "secondaryButton": {"label": "Details", "actionUrl": "https://example.com/a1/info"},
}
CAROUSEL = {
    "name": "Carousel",
    "messageType": "VIBER",
    "viberMessageType": "CAROUSEL",
    "numbers": NUMBERS,
    "text": "Look",
    "carouselItems": [CARD, CARD | {"title": "Sneakers B2", "secondaryButton": None}],
    "viberTTL": 60,
}


async def all_distributions(api: Api) -> list[dict[str, Any]]:
    body: list[dict[str, Any]] = await api.ok("/messageDistribution/getAll")
    return body


@pytest.mark.parametrize(
    "request_body",
    [
        SMS,
        PROMO,
        PROMO | {"viberMessageType": "TRANSACTIONAL", "text": "Your code is 1234"},
        CAROUSEL,
        PROMO | {"sendSmsAfterViber": True, "smsText": "Fallback", "smsAlphaName": "Shop"},
    ],
    ids=["sms", "promo", "transactional", "carousel", "viber+sms"],
)
async def test_create_every_variant(api: Api, request_body: dict[str, Any]) -> None:
    body = await api.ok("/messageDistribution/create", request_body)
    distribution_id = body["data"]
    [listed] = await all_distributions(api)
    assert listed == {
        "id": distribution_id,
        "name": request_body["name"],
        "messageType": request_body["messageType"],
        "text": request_body["text"],
        "startTime": None,
        "paused": False,
        "totalNumbersCount": 2,
        "currentNumbersCount": 2,
        "status": "IN_PROGRESS",
    }


async def test_a_distribution_runs_to_completion(api: Api) -> None:
    numbers = [f"3809712{n:05d}" for n in range(500)]
    await api.ok("/messageDistribution/create", SMS | {"numbers": numbers})
    api.clock.advance(4)  # 50 numbers a second
    [running] = await all_distributions(api)
    assert running["currentNumbersCount"] == 300
    api.clock.advance(10)
    [done] = await all_distributions(api)
    assert (done["status"], done["currentNumbersCount"]) == ("COMPLETED", 0)


async def test_start_time_pause_and_unpause(api: Api) -> None:
    start = api.clock.moment.replace(hour=13)  # an hour from now
    created = await api.ok(
        "/messageDistribution/create", SMS | {"startTime": start.strftime("%Y-%m-%d %H:%M:%S")}
    )
    distribution_id = created["data"]
    [waiting] = await all_distributions(api)
    assert waiting["status"] == "WAITING_START_TIME"
    assert waiting["startTime"] == "2026-03-02 13:00:00"
    paused = await api.ok(
        "/messageDistribution/setPaused", params={"id": distribution_id, "paused": "true"}
    )
    assert paused == {"status": "Success"}
    api.clock.advance(7200)
    [on_pause] = await all_distributions(api)
    assert (on_pause["status"], on_pause["paused"], on_pause["currentNumbersCount"]) == (
        "PAUSED",
        True,
        2,
    )
    await api.ok(
        "/messageDistribution/setPaused", data={"id": str(distribution_id), "paused": "false"}
    )
    api.clock.advance(1)
    [done] = await all_distributions(api)
    assert done["status"] == "COMPLETED"
    await api.fails(
        "/messageDistribution/setPaused",
        params={"id": distribution_id, "paused": "true"},
        message="Message distribution completed",
    )
    await api.fails(
        "/messageDistribution/update",
        {"id": distribution_id, "name": "x", "messageType": "SMS", "text": "t"},
        message="Message distribution completed",
    )


async def test_status_without_the_messaging_service(api: Api) -> None:
    await api.ok("/messageDistribution/create", SMS)
    api.sandbox.project.message_service_connected = False
    [listed] = await all_distributions(api)
    assert listed["status"] == "MESSAGE_SERVICE_NOT_CONNECTED"
    message = "The project does not have a messaging service connected"
    await api.fails("/messageDistribution/create", SMS | {"name": "other"}, message=message)
    await api.fails("/messageDistribution/update", {"id": listed["id"]}, message=message)


@pytest.mark.parametrize(
    ("request_body", "message"),
    [
        (SMS | {"name": ""}, "The name cannot be empty or contain more than 45 characters"),
        (SMS | {"name": "n" * 46}, "The name cannot be empty or contain more than 45 characters"),
        (SMS | {"numbers": []}, "No customer numbers are listed"),
        (
            SMS | {"numbers": ["380971234567"] * 10_001},
            "There can be no more than 10000 numbers in the message distribution",
        ),
        (SMS | {"startTime": "2029-07-07T12:00"}, "Incorrect time format"),
        (SMS | {"messageType": "FAX"}, "Validation error: message type is not selected"),
        (SMS | {"text": ""}, "Validation error: message cannot be empty"),
        (PROMO | {"text": "x" * 1001}, "Validation error: message is too long"),
        (
            PROMO | {"viberMessageType": None},
            "Validation error: viberMessageType must be PROMO, TRANSACTIONAL or CAROUSEL",
        ),
        (PROMO | {"viberTTL": 59}, "Validation error: viberTTL must be from 60 to 86400"),
        (PROMO | {"viberTTL": 86_401}, "Validation error: viberTTL must be from 60 to 86400"),
        (PROMO | {"viberTTL": None}, "Validation error: viberTTL must be from 60 to 86400"),
        (
            PROMO | {"mimeType": None},
            "Validation error: mimeType and fileName are required with base64Image",
        ),
        (PROMO | {"fileName": "f" * 21}, "Validation error: fileName is longer than 20 characters"),
        (
            PROMO | {"buttonText": "b" * 31},
            "Validation error: buttonText is longer than 30 characters",
        ),
        (PROMO | {"buttonUrl": None}, "Validation error: buttonUrl is required with buttonText"),
        (
            CAROUSEL | {"carouselItems": [CARD]},
            "Validation error: carouselItems must hold from 2 to 5 items",
        ),
        (
            CAROUSEL | {"carouselItems": [CARD] * 6},
            "Validation error: carouselItems must hold from 2 to 5 items",
        ),
        (
            CAROUSEL | {"carouselItems": [CARD, CARD | {"title": "x"}]},
            "Validation error: carousel item title must be 2-38 characters",
        ),
        (
            CAROUSEL | {"carouselItems": [CARD, CARD | {"primaryButton": None}]},
            "Validation error: carousel item needs a primaryButton with label and actionUrl",
        ),
        (
            CAROUSEL
            | {
                "carouselItems": [
                    CARD,
                    CARD | {"primaryButton": {"label": "l" * 11, "actionUrl": "u"}},
                ]
            },
            "Validation error: primaryButton label is longer than 10 characters",
        ),
        (
            CAROUSEL | {"carouselItems": [CARD, CARD | {"secondaryButton": {"label": "l" * 13}}]},
            "Validation error: secondaryButton label is longer than 12 characters",
        ),
        (
            PROMO | {"sendSmsAfterViber": True},
            "Validation error: smsText is required with sendSmsAfterViber",
        ),
    ],
)
async def test_create_errors(api: Api, request_body: dict[str, Any], message: str) -> None:
    await api.fails("/messageDistribution/create", request_body, message=message)
    assert await all_distributions(api) == []


async def test_wrong_numbers_and_duplicate_names(api: Api) -> None:
    body = await api.fails(
        "/messageDistribution/create", SMS | {"numbers": ["380971234567", "1"]},
        message="Wrong numbers",
    )  # fmt: skip
    assert body["data"] == ["1"]
    await api.ok("/messageDistribution/create", SMS)
    await api.fails("/messageDistribution/create", SMS, message="The name already exists")


async def test_update(api: Api) -> None:
    first = (await api.ok("/messageDistribution/create", SMS))["data"]
    second = (await api.ok("/messageDistribution/create", PROMO))["data"]
    change = {"id": first, "name": "Renamed", "messageType": "SMS", "text": "New text"}
    assert await api.ok("/messageDistribution/update", change) == {"status": "Success"}
    # A Viber distribution keeps the Viber options it was created with.
    await api.ok(
        "/messageDistribution/update",
        {"id": second, "name": "Promo", "messageType": "VIBER", "text": "Promo 2",
         "startTime": "2029-07-07 12:00:00"},
    )  # fmt: skip
    listed = {d["id"]: d for d in await all_distributions(api)}
    assert (listed[first]["name"], listed[first]["text"]) == ("Renamed", "New text")
    assert listed[second]["startTime"] == "2029-07-07 12:00:00"
    assert listed[second]["status"] == "WAITING_START_TIME"
    update = "/messageDistribution/update"
    await api.fails(update, {"name": "x"}, message="id is not specified")
    await api.fails(update, {"id": 1}, message="Message distribution not found")
    await api.fails(update, change | {"name": "Promo"}, message="The name already exists")
    await api.fails(
        update,
        change | {"name": ""},
        message="The name cannot be empty or contain more than 45 characters",
    )
    await api.fails(update, change | {"startTime": "soon"}, message="Incorrect time format")
    await api.fails(
        update, change | {"text": None}, message="Validation error: message cannot be empty"
    )


async def test_remove(api: Api) -> None:
    distribution_id = (await api.ok("/messageDistribution/create", SMS))["data"]
    await api.fails("/messageDistribution/remove", message="id is not specified")
    await api.fails(
        "/messageDistribution/remove", params={"id": 1}, message="Message distribution not found"
    )
    assert await api.ok("/messageDistribution/remove", params={"id": distribution_id}) == {
        "status": "Success"
    }
    assert await all_distributions(api) == []
    await api.ok("/messageDistribution/create", SMS)  # the name is free again


async def test_set_paused_errors(api: Api) -> None:
    distribution_id = (await api.ok("/messageDistribution/create", SMS))["data"]
    path = "/messageDistribution/setPaused"
    await api.fails(path, params={"paused": "true"}, message="id is not specified")
    await api.fails(
        path, params={"id": 1, "paused": "true"}, message="Message distribution not found"
    )
    await api.fails(
        path,
        params={"id": distribution_id, "paused": "maybe"},
        message="Validation error: paused must be true or false",
    )


async def test_an_update_keeps_the_progress_made(api: Api) -> None:
    numbers = [f"3809712{n:05d}" for n in range(500)]
    distribution_id = (await api.ok("/messageDistribution/create", SMS | {"numbers": numbers}))[
        "data"
    ]
    api.clock.advance(2)  # 100 processed
    later = (api.clock.moment.replace(hour=14)).strftime("%Y-%m-%d %H:%M:%S")
    change = {"id": distribution_id, "name": "Later", "messageType": "SMS", "text": "t"}
    await api.ok("/messageDistribution/update", change | {"startTime": later})
    api.clock.advance(60)
    [waiting] = await all_distributions(api)
    assert (waiting["status"], waiting["currentNumbersCount"]) == ("WAITING_START_TIME", 400)
