"""Distributions: every variant's example round-trips; the Viber rules are checked."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
import pytest

from models._examples import example, round_trip
from unitalk_async import ValidationError
from unitalk_async._codec import to_builtins
from unitalk_async.models._envelope import Envelope
from unitalk_async.models.distributions import (
    CarouselItem,
    Distribution,
    DistributionCreate,
    DistributionUpdate,
    PrimaryButton,
    SecondaryButton,
    SmsDistribution,
    ViberCarouselDistribution,
    ViberDistribution,
    ViberPromoDistribution,
    ViberTransactionalDistribution,
)
from unitalk_async.models.enums import DistributionStatus, MessageType, ViberMessageType

NUMBERS = ["380971234567", "380671234567"]


VARIANT_TYPES = {
    ViberPromoDistribution: ViberMessageType.PROMO,
    ViberTransactionalDistribution: ViberMessageType.TRANSACTIONAL,
    ViberCarouselDistribution: ViberMessageType.CAROUSEL,
}


def card(title: str = "Sneakers A1", **overrides: Any) -> CarouselItem:
    fields: dict[str, Any] = {
        "title": title,
        "base64_image": "iVBORw0KGgo=",
        "mime_type": "image/png",
        "file_name": "a1_carousel",
        "primary_button": PrimaryButton(label="Buy", action_url="https://example.com/a1"),
    }
    fields.update(overrides)
    return CarouselItem(**fields)


def promo(**overrides: Any) -> ViberPromoDistribution:
    fields: dict[str, Any] = {"name": "promo", "numbers": NUMBERS, "text": "Hi", "viber_ttl": 3600}
    fields.update(overrides)
    return ViberPromoDistribution(**fields)


# --- examples ----------------------------------------------------------------------------
def test_get_all_example_round_trips() -> None:
    (row,) = round_trip(example("Relative path: /messageDistribution/getAll"), list[Distribution])
    assert (row.id, row.message_type, row.status) == (
        123,
        MessageType.SMS,
        DistributionStatus.WAITING_START_TIME,
    )
    assert row.start_time == datetime(2024, 7, 7, 12)


def test_sms_example_round_trips() -> None:
    sms = round_trip(example("Request JSON example for SMS distribution"), SmsDistribution)
    assert sms.alpha_name == "YourSmsAlphaName"
    assert sms.start_time == datetime(2029, 7, 7, 12)
    sms.validate()


@pytest.mark.parametrize(
    ("anchor", "variant"),
    [
        ("Request JSON example for Viber Promo distribution", ViberPromoDistribution),
        ("Request JSON example for Viber Transactional", ViberTransactionalDistribution),
        ("Request JSON example for Viber Carousel", ViberCarouselDistribution),
        ("Request JSON example for Viber+SMS fallback", ViberPromoDistribution),
    ],
)
def test_viber_examples_round_trip_and_decode_as_the_tagged_union(
    anchor: str, variant: type[ViberDistribution]
) -> None:
    text = example(anchor)
    decoded = round_trip(text, DistributionCreate)
    assert type(decoded) is ViberDistribution
    assert decoded.viber_message_type == VARIANT_TYPES[variant]
    assert decoded.message_type is MessageType.VIBER
    assert decoded.viber_ttl == 3600
    decoded.validate()


def test_carousel_example_keeps_its_buttons() -> None:
    carousel = round_trip(
        example("Request JSON example for Viber Carousel"), ViberCarouselDistribution
    )
    first, second = carousel.carousel_items
    assert first.secondary_button == SecondaryButton(
        label="Details", action_url="https://example.com/a1/info"
    )
    assert second.secondary_button is msgspec.UNSET


def test_fallback_example_carries_the_sms_fields() -> None:
    fallback = round_trip(
        example("Request JSON example for Viber+SMS fallback"), ViberPromoDistribution
    )
    assert fallback.send_sms_after_viber is True
    assert fallback.sms_alpha_name == "YourSmsAlphaName"


def test_update_and_short_answers_round_trip() -> None:
    update = round_trip(example("Relative path: /messageDistribution/update"), DistributionUpdate)
    assert (update.id, update.start_time) == (1234, datetime(2024, 7, 7, 12))
    update.validate()
    round_trip(example("Relative path: /messageDistribution/update", 1), Envelope[None])


def test_distribution_create_is_usable_with_plain_msgspec() -> None:
    sms = {"messageType": "SMS", "name": "s", "numbers": NUMBERS, "text": "x"}
    promo_fields = {"messageType": "VIBER", "viberMessageType": "PROMO", "viberTTL": 60}
    promo = {**sms, **promo_fields, "base64Image": "aGk=", "mimeType": "image/png"}
    assert type(msgspec.convert(sms, DistributionCreate)) is SmsDistribution
    decoded = msgspec.json.decode(msgspec.json.encode(promo), type=DistributionCreate)
    assert isinstance(decoded, ViberDistribution)
    assert decoded.viber_message_type is ViberMessageType.PROMO
    assert decoded.base64_image == "aGk="  # nothing of the variant lost in decoding


def test_fields_of_another_viber_variant_are_refused() -> None:
    transactional = ViberTransactionalDistribution(
        name="t", numbers=NUMBERS, text="1234", viber_ttl=60, button_text="Buy"
    )
    with pytest.raises(ValidationError, match="only for PROMO") as caught:
        transactional.validate()
    assert caught.value.field == "button_text"


# --- what goes on the wire ---------------------------------------------------------------
def test_viber_variants_always_send_message_type_and_their_tag() -> None:
    wire = to_builtins(
        ViberTransactionalDistribution(name="t", numbers=NUMBERS, text="1234", viber_ttl=60)
    )
    assert wire == {
        "viberMessageType": "TRANSACTIONAL",
        "name": "t",
        "numbers": NUMBERS,
        "text": "1234",
        "viberTTL": 60,
        "messageType": "VIBER",
    }
    assert to_builtins(SmsDistribution(name="s", numbers=NUMBERS, text="x"))["messageType"] == "SMS"


def test_start_time_accepts_a_datetime_and_travels_in_wire_form() -> None:
    sms = SmsDistribution(
        name="s", numbers=NUMBERS, text="x", start_time=datetime(2030, 1, 2, 3, 4, 5)
    )
    assert to_builtins(sms)["startTime"] == "2030-01-02 03:04:05"


# --- rules -------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["", "n" * 46])
def test_name_is_1_to_45_characters(name: str) -> None:
    with pytest.raises(ValidationError) as caught:
        SmsDistribution(name=name, numbers=NUMBERS, text="x").validate()
    assert caught.value.field == "name"


def test_numbers_are_capped_at_10000() -> None:
    numbers = [f"38050{n:07d}" for n in range(10_001)]
    with pytest.raises(ValidationError) as caught:
        SmsDistribution(name="s", numbers=numbers, text="x").validate()
    assert caught.value.field == "numbers"


@pytest.mark.parametrize(("ttl", "ok"), [(59, False), (60, True), (86_400, True), (86_401, False)])
def test_viber_ttl_is_60_to_86400(ttl: int, ok: bool) -> None:
    if ok:
        promo(viber_ttl=ttl).validate()
    else:
        with pytest.raises(ValidationError) as caught:
            promo(viber_ttl=ttl).validate()
        assert caught.value.field == "viber_ttl"


def test_viber_text_is_at_most_1000_characters() -> None:
    with pytest.raises(ValidationError) as caught:
        promo(text="v" * 1001).validate()
    assert caught.value.field == "text"


def test_promo_image_needs_mime_type_and_file_name_of_at_most_20() -> None:
    with pytest.raises(ValidationError) as caught:
        promo(base64_image="AAAA", file_name="x").validate()
    assert caught.value.field == "mime_type"
    with pytest.raises(ValidationError) as caught:
        promo(base64_image="AAAA", mime_type="image/png").validate()
    assert caught.value.field == "file_name"
    with pytest.raises(ValidationError) as caught:
        promo(base64_image="AAAA", mime_type="image/png", file_name="f" * 21).validate()
    assert caught.value.field == "file_name"
    promo(base64_image="AAAA", mime_type="image/png", file_name="f" * 20).validate()


def test_promo_button_text_is_at_most_30_and_needs_a_url() -> None:
    with pytest.raises(ValidationError) as caught:
        promo(button_text="Buy").validate()
    assert caught.value.field == "button_url"
    with pytest.raises(ValidationError) as caught:
        promo(button_text="b" * 31, button_url="https://x").validate()
    assert caught.value.field == "button_text"
    promo(button_text="b" * 30, button_url="https://x").validate()


@pytest.mark.parametrize(("count", "ok"), [(1, False), (2, True), (5, True), (6, False)])
def test_carousel_has_2_to_5_items(count: int, ok: bool) -> None:
    carousel = ViberCarouselDistribution(
        name="c", numbers=NUMBERS, text="t", viber_ttl=3600, carousel_items=[card()] * count
    )
    if ok:
        carousel.validate()
    else:
        with pytest.raises(ValidationError) as caught:
            carousel.validate()
        assert caught.value.field == "carousel_items"


@pytest.mark.parametrize(
    ("item", "field"),
    [
        (card(title="A"), "carousel_items[1].title"),
        (card(title="t" * 39), "carousel_items[1].title"),
        (card(file_name="f" * 21), "carousel_items[1].file_name"),
        (
            card(primary_button=PrimaryButton(label="l" * 11, action_url="u")),
            "carousel_items[1].primary_button.label",
        ),
        (
            card(secondary_button=SecondaryButton(label="l" * 13)),
            "carousel_items[1].secondary_button.label",
        ),
        (card(mime_type=""), "carousel_items[1].mime_type"),
    ],
)
def test_carousel_item_rules_name_the_item(item: CarouselItem, field: str) -> None:
    carousel = ViberCarouselDistribution(
        name="c", numbers=NUMBERS, text="t", viber_ttl=3600, carousel_items=[card(), item]
    )
    with pytest.raises(ValidationError) as caught:
        carousel.validate()
    assert caught.value.field == field


def test_carousel_button_label_limits_are_inclusive() -> None:
    item = card(
        title="t" * 38,
        primary_button=PrimaryButton(label="l" * 10, action_url="u"),
        secondary_button=SecondaryButton(label="l" * 12),
    )
    ViberCarouselDistribution(
        name="c", numbers=NUMBERS, text="t", viber_ttl=3600, carousel_items=[item, item]
    ).validate()


def test_sms_fallback_needs_its_text() -> None:
    with pytest.raises(ValidationError) as caught:
        promo(send_sms_after_viber=True).validate()
    assert caught.value.field == "sms_text"
    promo(send_sms_after_viber=True, sms_text="fallback").validate()


def test_update_checks_name_and_type() -> None:
    with pytest.raises(ValidationError) as caught:
        DistributionUpdate(id=1, name="n" * 46, message_type=MessageType.SMS, text="x").validate()
    assert caught.value.field == "name"
    with pytest.raises(ValidationError) as caught:
        DistributionUpdate(id=1, name="n", message_type=MessageType("FAX"), text="x").validate()
    assert caught.value.field == "message_type"
