"""Message distributions: /messageDistribution/getAll, create, update, remove, setPaused.

`create` takes a `DistributionCreate`: an `SmsDistribution` or a `ViberDistribution`, told
apart by `messageType` (so msgspec decodes the union). Viber distributions are built with a
variant (`ViberPromoDistribution`, `ViberTransactionalDistribution`,
`ViberCarouselDistribution`) that sets `viberMessageType`; all carry the optional SMS
fallback (`send_sms_after_viber`, `sms_text`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Union

import msgspec
from msgspec import Meta

from unitalk_async._arguments import known_member
from unitalk_async._bulk import Rejected
from unitalk_async._codec import WireDateTime
from unitalk_async._exceptions import ValidationError
from unitalk_async._reference import MAX_DISTRIBUTION_NAME, MAX_DISTRIBUTION_NUMBERS
from unitalk_async.models._base import UNSET, Maybe, Request, Response
from unitalk_async.models.calls import check_constraints, require, wire_datetime
from unitalk_async.models.enums import (
    DistributionStatus,
    MessageType,
    MessageTypeLike,
    ViberMessageType,
    ViberMessageTypeLike,
)
from unitalk_async.models.messages import check_message_text

__all__ = [
    "CarouselItem",
    "CreatedDistribution",
    "Distribution",
    "DistributionCreate",
    "DistributionUpdate",
    "PrimaryButton",
    "SecondaryButton",
    "SmsDistribution",
    "ViberCarouselDistribution",
    "ViberDistribution",
    "ViberPromoDistribution",
    "ViberTransactionalDistribution",
]

DistributionName = Annotated[str, Meta(min_length=1, max_length=MAX_DISTRIBUTION_NAME)]
DistributionNumbers = Annotated[list[str], Meta(min_length=1, max_length=MAX_DISTRIBUTION_NUMBERS)]
ViberTtl = Annotated[int, Meta(ge=60, le=86_400)]
FileName = Annotated[str, Meta(max_length=20)]


class Distribution(Response):
    """A distribution as /messageDistribution/getAll lists it."""

    id: int
    name: Maybe[str] = UNSET
    message_type: Maybe[MessageType] = UNSET
    text: Maybe[str] = UNSET
    start_time: Maybe[WireDateTime] = UNSET  # null when started right away
    paused: Maybe[bool] = UNSET
    total_numbers_count: Maybe[int] = UNSET
    current_numbers_count: Maybe[int] = UNSET  # numbers not processed yet
    status: Maybe[DistributionStatus] = UNSET


def _coerce_start_time(value: datetime | msgspec.UnsetType | None) -> Maybe[datetime]:
    if isinstance(value, datetime):
        return wire_datetime(value, "start_time")
    return value


class _DistributionBase(Request):
    """Fields every created distribution has."""

    name: DistributionName
    numbers: DistributionNumbers
    text: str
    alpha_name: Maybe[str] = UNSET
    start_time: Maybe[datetime] = UNSET  # None or unset: start right away

    def __post_init__(self) -> None:
        self.start_time = _coerce_start_time(self.start_time)

    def validate(self) -> None:
        check_constraints(self)
        check_message_text(self._message_type(), self.text, "text")

    def _message_type(self) -> MessageType:
        return MessageType.SMS


class SmsDistribution(_DistributionBase, kw_only=True, tag_field="messageType", tag="SMS"):
    """An SMS distribution."""

    @property
    def message_type(self) -> MessageType:
        return MessageType.SMS


class PrimaryButton(Request):
    """The main button of a carousel item."""

    label: Annotated[str, Meta(min_length=1, max_length=10)]
    action_url: Annotated[str, Meta(min_length=1)]


class SecondaryButton(Request):
    """The optional second button of a carousel item."""

    label: Maybe[Annotated[str, Meta(max_length=12)]] = UNSET
    action_url: Maybe[str] = UNSET


class CarouselItem(Request):
    """One card of a Viber carousel."""

    title: Annotated[str, Meta(min_length=2, max_length=38)]
    base64_image: Annotated[str, Meta(min_length=1)]
    mime_type: Annotated[str, Meta(min_length=1)]
    file_name: Annotated[str, Meta(min_length=1, max_length=20)]
    primary_button: PrimaryButton
    secondary_button: Maybe[SecondaryButton] = UNSET


CarouselItems = Annotated[list[CarouselItem], Meta(min_length=2, max_length=5)]


class ViberDistribution(
    _DistributionBase, kw_only=True, tag_field="messageType", tag="VIBER", omit_defaults=False
):
    """A Viber distribution of any `viber_message_type`, with the optional SMS fallback.

    Build one with a variant (`ViberPromoDistribution`, `ViberTransactionalDistribution`,
    `ViberCarouselDistribution`), which sets `viber_message_type`; this class holds the
    fields of every variant so that decoding (`DistributionCreate`) loses none of them.
    Fields of another variant than `viber_message_type` are refused before sending.
    `omit_defaults=False` so `viberMessageType` is always sent (unset optional fields are
    still left out).
    """

    viber_message_type: ViberMessageTypeLike
    viber_ttl: ViberTtl = msgspec.field(name="viberTTL")
    send_sms_after_viber: Maybe[bool] = UNSET
    sms_text: Maybe[str] = UNSET
    sms_alpha_name: Maybe[str] = UNSET
    # PROMO only
    base64_image: Maybe[str] = UNSET
    mime_type: Maybe[str] = UNSET
    file_name: Maybe[FileName] = UNSET
    button_text: Maybe[Annotated[str, Meta(max_length=30)]] = UNSET
    button_url: Maybe[str] = UNSET
    # CAROUSEL only
    carousel_items: Maybe[CarouselItems] = UNSET

    def __post_init__(self) -> None:
        super().__post_init__()
        self.viber_message_type = known_member(
            ViberMessageType, self.viber_message_type, "viber_message_type"
        )

    @property
    def message_type(self) -> MessageType:
        return MessageType.VIBER

    def _message_type(self) -> MessageType:
        return MessageType.VIBER

    def validate(self) -> None:
        super().validate()
        kind = ViberMessageType(self.viber_message_type)  # a member since __post_init__
        if self.send_sms_after_viber is True:
            require(
                isinstance(self.sms_text, str) and bool(self.sms_text),
                "sms_text",
                "is required with send_sms_after_viber",
            )
        for name, only_for in _VARIANT_FIELDS.items():
            if kind is not only_for and getattr(self, name) is not UNSET:
                raise ValidationError(name, f"only for {only_for} distributions, not {kind}")
        if kind is ViberMessageType.PROMO:
            if isinstance(self.base64_image, str):
                require(bool(self.mime_type), "mime_type", "is required with base64_image")
                require(bool(self.file_name), "file_name", "is required with base64_image")
            if isinstance(self.button_text, str):
                require(bool(self.button_url), "button_url", "is required with button_text")
        if kind is ViberMessageType.CAROUSEL:
            require(
                isinstance(self.carousel_items, list), "carousel_items", "2 to 5 items required"
            )


class ViberPromoDistribution(ViberDistribution, kw_only=True):
    """A Viber promotional distribution, with an optional image and button."""

    viber_message_type: ViberMessageTypeLike = ViberMessageType.PROMO


class ViberTransactionalDistribution(ViberDistribution, kw_only=True):
    """A Viber transactional distribution (codes, confirmations)."""

    viber_message_type: ViberMessageTypeLike = ViberMessageType.TRANSACTIONAL


class ViberCarouselDistribution(ViberDistribution, kw_only=True):
    """A Viber carousel of 2 to 5 items."""

    viber_message_type: ViberMessageTypeLike = ViberMessageType.CAROUSEL
    carousel_items: CarouselItems  # required here


_VARIANT_FIELDS: dict[str, ViberMessageType] = {
    **dict.fromkeys(
        ("base64_image", "mime_type", "file_name", "button_text", "button_url"),
        ViberMessageType.PROMO,
    ),
    "carousel_items": ViberMessageType.CAROUSEL,
}

#: What `client.distributions.create` accepts; msgspec decodes it by `messageType`.
DistributionCreate = Union[SmsDistribution, ViberDistribution]  # noqa: UP007  (runtime alias)


class DistributionUpdate(Request):
    """/messageDistribution/update: the new name, type, text and start of distribution `id`."""

    id: int
    name: DistributionName
    message_type: MessageTypeLike
    text: str
    start_time: Maybe[datetime] = UNSET

    def __post_init__(self) -> None:
        self.message_type = known_member(MessageType, self.message_type, "message_type")
        self.start_time = _coerce_start_time(self.start_time)

    def validate(self) -> None:
        check_constraints(self)
        kind = MessageType(self.message_type)  # a member since __post_init__
        require(kind.is_known, "message_type", "must be SMS or VIBER")
        check_message_text(kind, self.text, "text")


@dataclass(frozen=True, slots=True)
class CreatedDistribution:
    """What `distributions.create` returns: the new id, and the numbers left out."""

    id: int
    numbers: int  #: numbers sent (valid after normalisation)
    rejected: list[Rejected] = field(default_factory=list)  #: invalid numbers, not sent
