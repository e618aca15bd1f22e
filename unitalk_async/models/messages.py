"""Messages: /message/send, /message/sendBulk, /message/getStatus.

/message/send spells the sender `alfaName` (distributions say `alphaName`); both are kept
as the reference writes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from msgspec import Meta

from unitalk_async._arguments import known_member
from unitalk_async._bulk import BulkResult
from unitalk_async._reference import MAX_BULK_MESSAGES_PER_REQUEST, MAX_VIBER_TEXT
from unitalk_async.models._base import UNSET, Maybe, Request, Response, UnsetType
from unitalk_async.models.calls import check_constraints, require
from unitalk_async.models.enums import MessageStatus, MessageType, MessageTypeLike

__all__ = [
    "BulkMessageResult",
    "BulkSendResult",
    "MessageStatusInfo",
    "SendBulkRequest",
    "SendMessageRequest",
    "check_message_text",
]


def check_message_text(message_type: MessageType, text: str, field: str) -> None:
    """The reference's text rules: not empty; at most 1000 characters for Viber."""
    require(bool(text), field, "must not be empty")
    if message_type is MessageType.VIBER:
        require(
            len(text) <= MAX_VIBER_TEXT,
            field,
            f"Viber text must be at most {MAX_VIBER_TEXT} characters",
            len(text),
        )


def _check_type(message_type: MessageType, field: str) -> None:
    require(message_type.is_known, field, "must be SMS or VIBER", message_type)


class SendMessageRequest(Request):
    """/message/send: one SMS or Viber message to `to`."""

    message_type: MessageTypeLike
    to: str
    text: str
    alfa_name: Maybe[str] = UNSET  # "alfaName" on the wire, as the reference spells it

    def __post_init__(self) -> None:
        self.message_type = known_member(MessageType, self.message_type, "message_type")

    def validate(self) -> None:
        check_constraints(self)
        kind = MessageType(self.message_type)  # a member since __post_init__
        _check_type(kind, "message_type")
        check_message_text(kind, self.text, "text")


BulkRecipients = Annotated[list[str], Meta(min_length=1, max_length=MAX_BULK_MESSAGES_PER_REQUEST)]
BulkMessages = Annotated[
    dict[str, str], Meta(min_length=1, max_length=MAX_BULK_MESSAGES_PER_REQUEST)
]


class SendBulkRequest(Request):
    """/message/sendBulk: one `text` to `recipients`, or per-number texts in `messages`.

    The service uses `messages` when both forms are present.
    """

    messages_type: MessageTypeLike
    recipients: BulkRecipients | UnsetType = UNSET
    text: Maybe[str] = UNSET
    messages: BulkMessages | UnsetType = UNSET

    def __post_init__(self) -> None:
        self.messages_type = known_member(MessageType, self.messages_type, "messages_type")

    def validate(self) -> None:
        check_constraints(self)
        kind = MessageType(self.messages_type)  # a member since __post_init__
        _check_type(kind, "messages_type")
        if isinstance(self.messages, dict):
            for number, text in self.messages.items():
                check_message_text(kind, text, f"messages[{number}]")
            return
        require(isinstance(self.recipients, list), "recipients", "recipients or messages required")
        text = self.text if isinstance(self.text, str) else ""
        check_message_text(kind, text, "text")


class BulkMessageResult(Response):
    """The outcome for one number of a bulk send: its message `id`, `error` if not sent."""

    id: Maybe[int] = UNSET
    error: Maybe[str] = UNSET

    @property
    def ok(self) -> bool:
        return not isinstance(self.error, str)


class MessageStatusInfo(Response):
    """`data` of /message/getStatus: the sending status, `error_text` when ERROR."""

    message_status: MessageStatus
    error_text: Maybe[str] = UNSET


@dataclass(slots=True)
class BulkSendResult(BulkResult[Any]):
    """The aggregate of `messages.send_bulk`: every chunk, and each number's outcome.

    `applied` counts messages the service answered with an id (None if a chunk's answer was
    lost); numbers it answered with an error are in `rejected` (`by_service=True`, the error
    text as reason) and in `messages`.
    """

    #: normalised number -> its message id and error, over all chunks
    messages: dict[str, BulkMessageResult] = field(default_factory=dict)

    @classmethod
    def of(cls, result: BulkResult[Any]) -> BulkSendResult:
        """The send-specific view of a plain `BulkResult` whose chunks carry the answers."""
        merged: dict[str, BulkMessageResult] = {}
        for chunk in result.chunks:
            if isinstance(chunk.data, dict):
                merged.update(chunk.data)
        return cls(
            total=result.total,
            seen=result.seen,
            rejected=result.rejected,
            chunks=result.chunks,
            messages=merged,
        )
