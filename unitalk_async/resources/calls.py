"""`client.calls`: direct calls, click-to-call, informational calls, hangup, prompter,
voice analytics."""

from __future__ import annotations

import re
from collections.abc import Sequence

from unitalk_async import _operations as ops
from unitalk_async.models._base import UNSET
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
        await self._client._call(ops.CALLS_DIRECT_CALL, request.form())

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
        await self._client._call(ops.CALLS_ORIGINATE_C2C, request)

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
        await self._client._call(ops.CALLS_ORIGINATE_NEW, request)

    async def hangup(self, *, id: int | None = None, number: str | None = None) -> int:
        """End the active call `id` (from webhooks) or the call of line `number`.

        Returns how many calls were found ("Found: 1" -> 1). By `number` the request is sent
        once, never again (the line may be on its next call by then); by `id` it is resent
        after a lost answer, so "Found: 0" may then mean the first attempt ended it.
        """
        request = HangupRequest(id=given(id), number=given(number))
        request.validate()
        op = ops.CALLS_HANGUP_BY_ID if id is not None else ops.CALLS_HANGUP_BY_NUMBER
        answer = await self._client._call(op, request)
        match = _FOUND.search(answer.message or "") if isinstance(answer.message, str) else None
        return int(match[1]) if match else 0

    async def connect_as_prompter(self, target: str, source: str) -> None:
        """Connect internal line `source` as a prompter to the call of line `target`."""
        request = ConnectAsPrompterRequest(target=target, source=source)
        request.validate()
        await self._client._call(ops.CALLS_CONNECT_AS_PROMPTER, request)

    async def analytics(
        self, call_id: int, profile_id: int, *, timeout: float | None = None
    ) -> CallAnalytics:
        """Run voice analytics profile `profile_id` on call `call_id` and wait for the result.

        Sent on the long-timeout "analytics" lane (the service answers once processing is
        done); `timeout` overrides the lane's read timeout. Costs money: never resent after
        an ambiguous failure.
        """
        return await self._client._call(
            ops.CALLS_ANALYTICS, {"callId": call_id, "profileId": profile_id}, timeout=timeout
        )
