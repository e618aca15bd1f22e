"""`client.calls`: direct calls, click-to-call, informational calls, hangup, prompter,
voice analytics."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from unitalk_async.models._base import UNSET
from unitalk_async.models._envelope import Envelope
from unitalk_async.models.analytics import CallAnalytics
from unitalk_async.models.calls import (
    C2cStep,
    CallAudio,
    ConnectAsPrompterRequest,
    DirectCallRequest,
    HangupRequest,
    OriginateC2cRequest,
    OriginateNewRequest,
    given,
    meta_text,
    require_phone,
)
from unitalk_async.models.enums import C2cStepType
from unitalk_async.resources._base import Resource

__all__ = ["CallsResource"]

# Answers without a documented payload are decoded as Envelope[Any]: if the service adds a
# `data` some day, a call that succeeded (and may have reached a person) still succeeds.
_FOUND = re.compile(r"Found:\s*(\d+)")


class CallsResource(Resource):
    """Calls: /phones/directCall, /calls/originateC2c, /calls/originateNew, /calls/hangup,
    /calls/connectAsPrompter, /calls/analytics/create."""

    __slots__ = ()

    async def direct_call(
        self, sip: str, number: str, *, meta: str | int | float | None = None
    ) -> None:
        """Ring internal line `sip`; once it answers, dial `number` (any format; normalised).

        Sent form-encoded, as the reference documents. Not retried after an ambiguous
        failure (it reaches a person).
        """
        request = DirectCallRequest(
            sip=sip, number=require_phone(number, "number"), meta=meta_text(meta)
        )
        request.validate()
        await self._client._request(
            "/phones/directCall",
            data=request.form(),
            response=Envelope[Any],
            idempotent=False,
        )

    async def originate_c2c(self, client_number: str, steps: Sequence[C2cStep]) -> None:
        """Call `client_number`, then connect it to the first of `steps` that answers.

        GSM steps' `to` numbers are normalised like `client_number`.
        """
        normalised = [
            C2cStep(
                type=step.type,
                to=require_phone(step.to, f"steps[{index}].to")
                if step.type is C2cStepType.GSM
                else step.to,
                awaiting_time=step.awaiting_time,
            )
            for index, step in enumerate(steps)
        ]
        request = OriginateC2cRequest(
            client_number=require_phone(client_number, "client_number"), steps=normalised
        )
        request.validate()
        await self._client._request(
            "/calls/originateC2c", json=request, response=Envelope[Any], idempotent=False
        )

    async def originate_new(
        self,
        phone: str,
        *,
        audios: Sequence[CallAudio] | None = None,
        ivr_id: int | None = None,
        voice_secretary_id: int | None = None,
        outer_line: str | None = None,
        meta: str | int | float | None = None,
    ) -> None:
        """Call `phone` and play `audios` (then `ivr_id` / `voice_secretary_id`) on answer.

        At most 5 audios, of which at most 2 synthesised; one of audios, ivr_id,
        voice_secretary_id is required.
        """
        request = OriginateNewRequest(
            phone=require_phone(phone, "phone"),
            outer_line=given(outer_line),
            meta=meta_text(meta),
            ivr_id=given(ivr_id),
            voice_secretary_id=given(voice_secretary_id),
            audios=UNSET if audios is None else list(audios),
        )
        request.validate()
        await self._client._request(
            "/calls/originateNew", json=request, response=Envelope[Any], idempotent=False
        )

    async def hangup(self, *, id: int | None = None, number: str | None = None) -> int:
        """End the active call `id` (from webhooks) or the call of line `number`.

        Returns how many calls were found ("Found: 1" -> 1).
        """
        request = HangupRequest(id=given(id), number=given(number))
        request.validate()
        answer: Envelope[Any] = await self._client._request(
            "/calls/hangup", json=request, response=Envelope[Any], idempotent=True
        )
        match = _FOUND.search(answer.message or "") if isinstance(answer.message, str) else None
        return int(match[1]) if match else 0

    async def connect_as_prompter(self, target: str, source: str) -> None:
        """Connect internal line `source` as a prompter to the call of line `target`."""
        request = ConnectAsPrompterRequest(target=target, source=source)
        request.validate()
        # Not resent after an ambiguous failure: a second connection attempt reaches the
        # operators on the call again.
        await self._client._request(
            "/calls/connectAsPrompter", json=request, response=Envelope[Any], idempotent=False
        )

    async def analytics(
        self, call_id: int, profile_id: int, *, timeout: float | None = None
    ) -> CallAnalytics:
        """Run voice analytics profile `profile_id` on call `call_id` and wait for the result.

        Sent on the long-timeout "analytics" lane (the service answers once processing is
        done); `timeout` overrides the lane's read timeout. Costs money: never resent after
        an ambiguous failure.
        """
        result: CallAnalytics = await self._client._request(
            "/calls/analytics/create",
            params={"callId": call_id, "profileId": profile_id},
            response=CallAnalytics,
            idempotent=False,
            lane="analytics",
            timeout=timeout,
        )
        return result
