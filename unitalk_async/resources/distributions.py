"""`client.distributions`: message distributions (SMS, Viber promo/transactional/carousel)."""

from __future__ import annotations

import builtins
from datetime import datetime

import msgspec

from unitalk_async import _operations as ops
from unitalk_async._exceptions import ResponseDecodeError, ValidationError
from unitalk_async._phones import normalize_phones
from unitalk_async._reference import MAX_DISTRIBUTION_NUMBERS
from unitalk_async.models.calls import wire_datetime
from unitalk_async.models.distributions import (
    CreatedDistribution,
    Distribution,
    DistributionCreate,
    DistributionUpdate,
)
from unitalk_async.models.enums import MessageType, MessageTypeLike
from unitalk_async.resources._base import Resource

__all__ = ["DistributionsResource"]


class DistributionsResource(Resource):
    """Distributions: /messageDistribution/getAll, create, update, remove, setPaused."""

    __slots__ = ()

    async def get_all(self) -> builtins.list[Distribution]:
        """Every distribution of the project."""
        return await self._client._call(ops.DISTRIBUTIONS_GET_ALL)

    async def create(self, distribution: DistributionCreate) -> CreatedDistribution:
        """Create a distribution: `SmsDistribution`, `ViberPromoDistribution`,
        `ViberTransactionalDistribution` or `ViberCarouselDistribution`.

        More than 10,000 numbers is refused up front (one distribution is never split into
        several). Numbers are normalised; invalid ones are left out and returned in
        `rejected`. Never resent after an ambiguous failure (it reaches people).
        """
        if len(distribution.numbers) > MAX_DISTRIBUTION_NUMBERS:
            raise ValidationError(
                "numbers",
                f"at most {MAX_DISTRIBUTION_NUMBERS} numbers per distribution",
                value=len(distribution.numbers),
            )
        numbers, rejected = normalize_phones(list(distribution.numbers))
        if not numbers:
            raise ValidationError("numbers", "no valid number", value=rejected)
        request = msgspec.structs.replace(distribution, numbers=numbers)
        request.validate()
        answer = await self._client._call(ops.DISTRIBUTIONS_CREATE, request)
        if not isinstance(answer.data, int):
            raise ResponseDecodeError(
                "no distribution id in data", path=ops.DISTRIBUTIONS_CREATE.path
            )
        return CreatedDistribution(id=answer.data, numbers=len(numbers), rejected=rejected)

    async def update(
        self,
        id: int,
        *,
        name: str,
        message_type: MessageTypeLike,
        text: str,
        start_time: datetime | str | None,
    ) -> None:
        """Replace the name, type, text and start of distribution `id`.

        `start_time` has no default: None sends null, which starts the distribution right
        away, so a rename must pass the scheduled start again.
        """
        request = DistributionUpdate(
            id=id,
            name=name,
            message_type=MessageType(message_type),
            text=text,
            start_time=None if start_time is None else wire_datetime(start_time, "start_time"),
        )
        request.validate()
        await self._client._call(ops.DISTRIBUTIONS_UPDATE, request)

    async def remove(self, id: int) -> None:
        """Remove distribution `id`."""
        await self._client._call(ops.DISTRIBUTIONS_REMOVE, {"id": id})

    async def set_paused(self, id: int, paused: bool) -> None:
        """Pause (`paused=True`) or resume distribution `id`."""
        # README "API notes": the reference's `?id=1234&id=true` is a typo for `paused=true`.
        await self._client._call(ops.DISTRIBUTIONS_SET_PAUSED, {"id": id, "paused": paused})
