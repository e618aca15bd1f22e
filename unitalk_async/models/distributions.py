"""Message distributions: /messageDistribution/getAll, create, update, remove, setPaused.

`create` takes one of four variants, each a tagged struct: `SmsDistribution` (tag
`messageType`), and the Viber ones tagged by `viberMessageType` (`ViberPromoDistribution`,
`ViberTransactionalDistribution`, `ViberCarouselDistribution`), which all carry
`messageType: "VIBER"` and the optional SMS fallback (`send_sms_after_viber`, `sms_text`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Union

import msgspec
from msgspec import Meta

from unitalk_async._bulk import Rejected
from unitalk_async._codec import WireDateTime
from unitalk_async._reference import MAX_DISTRIBUTION_NAME, MAX_DISTRIBUTION_NUMBERS
from unitalk_async.models._base import UNSET, Maybe, Request, Response
from unitalk_async.models.calls import check_constraints, require, wire_datetime
from unitalk_async.models.enums import DistributionStatus, MessageType
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


class ViberDistribution(
    _DistributionBase, kw_only=True, tag_field="viberMessageType", omit_defaults=False
):
    """Base of the Viber variants: `viberTTL` and the optional SMS fallback.

    `omit_defaults=False` so the constant `messageType: "VIBER"` is always sent (unset
    optional fields are still left out).
    """

    viber_ttl: ViberTtl = msgspec.field(name="viberTTL")
    message_type: MessageType = MessageType.VIBER
    send_sms_after_viber: Maybe[bool] = UNSET
    sms_text: Maybe[str] = UNSET
    sms_alpha_name: Maybe[str] = UNSET

    def _message_type(self) -> MessageType:
        return MessageType.VIBER

    def validate(self) -> None:
        super().validate()
        require(self.message_type is MessageType.VIBER, "message_type", "must be VIBER")
        if self.send_sms_after_viber is True:
            require(
                isinstance(self.sms_text, str) and bool(self.sms_text),
                "sms_text",
                "is required with send_sms_after_viber",
            )


class ViberPromoDistribution(ViberDistribution, kw_only=True, tag="PROMO"):
    """A Viber promotional distribution, with an optional image and button."""

    base64_image: Maybe[str] = UNSET
    mime_type: Maybe[str] = UNSET
    file_name: Maybe[FileName] = UNSET
    button_text: Maybe[Annotated[str, Meta(max_length=30)]] = UNSET
    button_url: Maybe[str] = UNSET

    def validate(self) -> None:
        super().validate()
        if isinstance(self.base64_image, str):
            require(bool(self.mime_type), "mime_type", "is required with base64_image")
            require(bool(self.file_name), "file_name", "is required with base64_image")
        if isinstance(self.button_text, str):
            require(bool(self.button_url), "button_url", "is required with button_text")


class ViberTransactionalDistribution(ViberDistribution, kw_only=True, tag="TRANSACTIONAL"):
    """A Viber transactional distribution (codes, confirmations)."""


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


class ViberCarouselDistribution(ViberDistribution, kw_only=True, tag="CAROUSEL"):
    """A Viber carousel of 2 to 5 items."""

    carousel_items: Annotated[list[CarouselItem], Meta(min_length=2, max_length=5)]


#: What `client.distributions.create` accepts.
DistributionCreate = Union[  # noqa: UP007  (a runtime alias for msgspec)
    SmsDistribution,
    ViberPromoDistribution,
    ViberTransactionalDistribution,
    ViberCarouselDistribution,
]


class DistributionUpdate(Request):
    """/messageDistribution/update: the new name, type, text and start of distribution `id`."""

    id: int
    name: DistributionName
    message_type: MessageType
    text: str
    start_time: Maybe[datetime] = UNSET

    def __post_init__(self) -> None:
        self.message_type = MessageType(self.message_type)
        self.start_time = _coerce_start_time(self.start_time)

    def validate(self) -> None:
        check_constraints(self)
        require(self.message_type.is_known, "message_type", "must be SMS or VIBER")
        check_message_text(self.message_type, self.text, "text")


@dataclass(frozen=True, slots=True)
class CreatedDistribution:
    """What `distributions.create` returns: the new id, and the numbers left out."""

    id: int
    numbers: int  #: numbers sent (valid after normalisation)
    rejected: list[Rejected] = field(default_factory=list)  #: invalid numbers, not sent
