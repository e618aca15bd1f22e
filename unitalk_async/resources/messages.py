"""`client.messages`: SMS and Viber messages, one at a time or in bulk."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from unitalk_async import _operations as ops
from unitalk_async._bulk import (
    BulkResult,
    ChunkResult,
    Items,
    Progress,
    Rejected,
    known_length,
    run_bulk,
)
from unitalk_async._exceptions import ResponseDecodeError, ValidationError
from unitalk_async._phones import normalize_phone, normalize_phones, phone_reject_reason
from unitalk_async._reference import MAX_BULK_MESSAGES_PER_REQUEST
from unitalk_async.models.calls import given, require, require_phone
from unitalk_async.models.enums import MessageType, MessageTypeLike
from unitalk_async.models.messages import (
    BulkMessageResult,
    BulkSendResult,
    MessageStatusInfo,
    SendBulkRequest,
    SendMessageRequest,
    check_message_text,
)
from unitalk_async.resources._base import Resource

__all__ = ["MessagesResource"]


def _outcome(index: int, sent: int, data: dict[str, BulkMessageResult] | None) -> ChunkResult:
    answers = data or {}
    rejected = [
        Rejected(number, result.error, by_service=True)
        for number, result in answers.items()
        if isinstance(result.error, str)
    ]
    # Sent: each number answered without an error; without the per-number answer, unknown.
    applied = None if data is None else sum(1 for r in answers.values() if r.ok)
    return ChunkResult(index, size=sent, applied=applied, rejected=rejected, data=answers)


class MessagesResource(Resource):
    """Messages: /message/send, /message/sendBulk, /message/getStatus.

    Sending reaches a person: a send whose outcome is unknown (the answer was lost) is never
    repeated; it raises `OutcomeUnknownError`.
    """

    __slots__ = ()

    async def send(
        self,
        message_type: MessageTypeLike,
        to: str,
        text: str,
        *,
        alfa_name: str | None = None,
    ) -> int:
        """Send one SMS or Viber message to `to`; returns the message id for `get_status`.

        `alfa_name` picks the sender's alpha name (sent as `alfaName`, the reference's
        spelling). Viber texts are limited to 1000 characters.
        """
        request = SendMessageRequest(
            message_type=MessageType(message_type),
            to=require_phone(to, "to"),
            text=text,
            alfa_name=given(alfa_name),
        )
        request.validate()
        answer = await self._client._call(ops.MESSAGES_SEND, request)
        if not isinstance(answer.data, int):
            raise ResponseDecodeError("no message id in data", path=ops.MESSAGES_SEND.path)
        return answer.data

    async def send_bulk(
        self,
        message_type: MessageTypeLike,
        recipients: Items[Any] | None = None,
        text: str | None = None,
        *,
        messages: Mapping[str, str] | Items[tuple[Any, str]] | None = None,
        progress: Progress | None = None,
    ) -> BulkSendResult:
        """Send many messages, 100 per request: one `text` to `recipients`, or a text per
        number in `messages` (a mapping, or (number, text) pairs).

        Input is read lazily. Invalid numbers, numbers repeated in `messages` and texts
        breaking the rules come back in `result.rejected` without being sent; numbers the
        service answers with an error are rejected `by_service`. `result.messages` maps each
        number to its message id and error.

        A failing chunk stops the call: its error propagates with the result so far attached
        (`unitalk_async._bulk.partial_result(error)`). A chunk whose answer was lost is never
        resent (`OutcomeUnknownError`): its messages may have gone out.
        """
        kind = MessageType(message_type)
        require(kind.is_known, "message_type", "must be SMS or VIBER", kind)
        if messages is not None:
            # The service would quietly use `messages` and drop the other form: refuse both.
            if recipients is not None or text is not None:
                raise ValidationError(
                    "messages", "pass recipients with text, or messages, not both"
                )
            pairs: Items[tuple[Any, str]] = (
                messages.items() if isinstance(messages, Mapping) else messages
            )
            result = await self._send_pairs(kind, pairs, known_length(messages), progress)
        else:
            if recipients is None:
                raise ValidationError("recipients", "recipients (with text) or messages required")
            check_message_text(kind, text or "", "text")
            result = await self._send_text(kind, recipients, text or "", progress)
        return BulkSendResult.of(result)

    async def _send_text(
        self, kind: MessageType, recipients: Items[Any], text: str, progress: Progress | None
    ) -> BulkResult[Any]:
        async def send(index: int, chunk: list[str]) -> ChunkResult:
            request = SendBulkRequest(messages_type=kind, recipients=chunk, text=text)
            return await self._send_chunk(index, len(chunk), request)

        return await run_bulk(
            recipients,
            chunk_size=MAX_BULK_MESSAGES_PER_REQUEST,
            prepare=normalize_phones,
            send=send,
            progress=progress,
        )

    async def _send_pairs(
        self,
        kind: MessageType,
        pairs: Items[tuple[Any, str]],
        total: int | None,
        progress: Progress | None,
    ) -> BulkResult[Any]:
        # A number twice would collapse into one key of the JSON object: the later text
        # would silently replace the earlier one. Repeats are rejected instead.
        seen: set[str] = set()

        def prepare(batch: list[tuple[Any, str]]) -> tuple[list[tuple[str, str]], list[Rejected]]:
            valid: list[tuple[str, str]] = []
            rejected: list[Rejected] = []
            for pair in batch:
                raw, message = pair
                number = normalize_phone(raw)
                if number is None:
                    reason = phone_reject_reason(raw) or "invalid number"
                    rejected.append(Rejected(pair, reason))
                    continue
                if number in seen:
                    rejected.append(Rejected(pair, f"number {number} repeated in messages"))
                    continue
                try:
                    check_message_text(kind, message, f"messages[{number}]")
                except ValidationError as error:
                    rejected.append(Rejected(pair, error.rule))
                    continue
                seen.add(number)
                valid.append((number, message))
            return valid, rejected

        async def send(index: int, chunk: list[tuple[str, str]]) -> ChunkResult:
            request = SendBulkRequest(messages_type=kind, messages=dict(chunk))
            return await self._send_chunk(index, len(chunk), request)

        return await run_bulk(
            pairs,
            chunk_size=MAX_BULK_MESSAGES_PER_REQUEST,
            prepare=prepare,
            send=send,
            progress=progress,
            total=total,
        )

    async def _send_chunk(self, index: int, size: int, request: SendBulkRequest) -> ChunkResult:
        request.validate()
        answer = await self._client._call(ops.MESSAGES_SEND_BULK, request)
        return _outcome(index, size, answer.data if isinstance(answer.data, dict) else None)

    async def get_status(self, id: int) -> MessageStatusInfo:
        """The sending status of message `id` (SENT, DELIVERED, NOT_DELIVERED, ERROR)."""
        answer = await self._client._call(ops.MESSAGES_GET_STATUS, {"id": id})
        if not isinstance(answer.data, MessageStatusInfo):
            raise ResponseDecodeError("no status in data", path=ops.MESSAGES_GET_STATUS.path)
        return answer.data
