"""`client.distributions`: every variant created, listed, updated, paused and removed."""

from __future__ import annotations

from datetime import datetime

import pytest

from resources._fake import FakeClient
from unitalk_async import ConflictError, NotFoundError, ValidationError
from unitalk_async import _operations as ops
from unitalk_async.models.distributions import (
    CarouselItem,
    PrimaryButton,
    SmsDistribution,
    ViberCarouselDistribution,
    ViberPromoDistribution,
    ViberTransactionalDistribution,
)
from unitalk_async.models.enums import DistributionStatus, MessageType
from unitalk_async.resources.distributions import DistributionsResource
from unitalk_async.sandbox.pytest_plugin import SandboxHandle

pytestmark = pytest.mark.anyio
NUMBERS = ["380971234567", "+38 067 123 45 67"]
LATER = datetime(2099, 7, 7, 12)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def card(title: str) -> CarouselItem:
    return CarouselItem(
        title=title,
        base64_image="iVBORw0KGgo=",
        mime_type="image/png",
        file_name=title.lower().replace(" ", "_"),
        primary_button=PrimaryButton(label="Buy", action_url="https://example.com"),
    )


async def test_every_variant_is_created_and_listed(unitalk_sandbox: SandboxHandle) -> None:
    variants = [
        SmsDistribution(name="sms", numbers=NUMBERS, text="Sale", start_time=LATER),
        ViberPromoDistribution(
            name="promo",
            numbers=NUMBERS,
            text="Sale",
            viber_ttl=3600,
            button_text="Buy",
            button_url="https://example.com",
            send_sms_after_viber=True,
            sms_text="Sale (SMS)",
        ),
        ViberTransactionalDistribution(name="code", numbers=NUMBERS, text="1234", viber_ttl=60),
        ViberCarouselDistribution(
            name="carousel",
            numbers=NUMBERS,
            text="New in",
            viber_ttl=86_400,
            carousel_items=[card("Sneakers A1"), card("Sneakers B2")],
        ),
    ]
    async with unitalk_sandbox.client() as client:
        created = [await client.distributions.create(variant) for variant in variants]
        listed = {d.id: d for d in await client.distributions.get_all()}
    assert len({c.id for c in created}) == 4
    assert all(c.numbers == 2 and c.rejected == [] for c in created)
    sms = listed[created[0].id]
    assert (sms.name, sms.message_type, sms.start_time) == ("sms", MessageType.SMS, LATER)
    assert sms.status is DistributionStatus.WAITING_START_TIME
    assert listed[created[3].id].message_type is MessageType.VIBER


async def test_update_pause_remove(unitalk_sandbox: SandboxHandle) -> None:
    async with unitalk_sandbox.client() as client:
        created = await client.distributions.create(
            SmsDistribution(name="later", numbers=NUMBERS, text="Hi", start_time=LATER)
        )
        await client.distributions.update(
            created.id, name="renamed", message_type="SMS", text="Hello", start_time=LATER
        )
        await client.distributions.set_paused(created.id, True)
        (row,) = [d for d in await client.distributions.get_all() if d.id == created.id]
        assert (row.name, row.text, row.paused) == ("renamed", "Hello", True)
        await client.distributions.set_paused(created.id, False)
        await client.distributions.remove(created.id)
        assert created.id not in {d.id for d in await client.distributions.get_all()}
        with pytest.raises(NotFoundError, match="Message distribution not found"):
            await client.distributions.set_paused(created.id, True)


async def test_a_taken_name_is_a_conflict(unitalk_sandbox: SandboxHandle) -> None:
    async with unitalk_sandbox.client() as client:
        await client.distributions.create(SmsDistribution(name="dup", numbers=NUMBERS, text="x"))
        with pytest.raises(ConflictError, match="The name already exists"):
            await client.distributions.create(
                SmsDistribution(name="dup", numbers=NUMBERS, text="x")
            )


# --- what is sent ------------------------------------------------------------------------
async def test_create_normalises_numbers_and_returns_the_rejects() -> None:
    fake = FakeClient('{"status": "Success", "data": 321}')
    created = await DistributionsResource(fake.as_client()).create(
        SmsDistribution(name="s", numbers=[*NUMBERS, "12"], text="x")
    )
    assert (created.id, created.numbers) == (321, 2)
    assert [r.item for r in created.rejected] == ["12"]
    assert fake.sent[0].body["numbers"] == ["380971234567", "380671234567"]
    assert fake.sent[0].op is ops.DISTRIBUTIONS_CREATE


async def test_more_than_10000_numbers_are_refused_up_front_not_split() -> None:
    fake = FakeClient('{"status": "Success", "data": 1}')
    numbers = [f"38050{n:07d}" for n in range(10_001)]
    with pytest.raises(ValidationError) as caught:
        await DistributionsResource(fake.as_client()).create(
            SmsDistribution(name="s", numbers=numbers, text="x")
        )
    assert caught.value.field == "numbers"
    with pytest.raises(ValidationError) as caught:
        await DistributionsResource(fake.as_client()).create(
            SmsDistribution(name="s", numbers=["1", "2"], text="x")
        )
    assert caught.value.field == "numbers"
    assert fake.sent == []


async def test_viber_rules_are_checked_before_sending() -> None:
    fake = FakeClient('{"status": "Success", "data": 1}')
    bad = ViberPromoDistribution(name="p", numbers=NUMBERS, text="x", viber_ttl=59)
    with pytest.raises(ValidationError) as caught:
        await DistributionsResource(fake.as_client()).create(bad)
    assert caught.value.field == "viber_ttl"
    assert fake.sent == []


async def test_remove_and_set_paused_use_query_parameters() -> None:
    fake = FakeClient()
    distributions = DistributionsResource(fake.as_client())
    await distributions.remove(1234)
    await distributions.set_paused(1234, True)
    assert [(s.path, s.options["params"]) for s in fake.sent] == [
        ("/messageDistribution/remove", {"id": 1234}),
        ("/messageDistribution/setPaused", {"id": 1234, "paused": True}),
    ]
    assert [s.op for s in fake.sent] == [ops.DISTRIBUTIONS_REMOVE, ops.DISTRIBUTIONS_SET_PAUSED]


async def test_update_sends_the_full_distribution() -> None:
    fake = FakeClient()
    await DistributionsResource(fake.as_client()).update(
        7, name="n", message_type=MessageType.VIBER, text="t", start_time=None
    )
    assert fake.sent[0].body == {
        "id": 7,
        "name": "n",
        "messageType": "VIBER",
        "text": "t",
        "startTime": None,
    }
    with pytest.raises(ValidationError):
        await DistributionsResource(fake.as_client()).update(
            7, name="n" * 46, message_type="SMS", text="t", start_time=LATER
        )
