"""Messages: /message/send, /message/sendBulk, /message/getStatus.

Every message actually handed to the (simulated) messaging service is counted, per id and
per (recipient, text), so reliability tests can assert that nothing was sent twice. A sent
message reads SENT for `DELIVERY_SECONDS`, then DELIVERED, NOT_DELIVERED or ERROR as its
id decides.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

import msgspec
from starlette.requests import Request
from starlette.responses import Response

from unitalk_async._reference import MAX_BULK_MESSAGES_PER_REQUEST, MAX_VIBER_TEXT
from unitalk_async.sandbox._answers import SandboxError, success
from unitalk_async.sandbox.endpoints._request import (
    VALIDATION_ERROR,
    int_param,
    json_body,
    parameters,
    sandbox_of,
    validation_error,
)
from unitalk_async.sandbox.phones import normalize_phone

MessageType = Literal["SMS", "VIBER"]
MessageStatus = Literal["SENT", "DELIVERED", "NOT_DELIVERED", "ERROR"]
DELIVERY_SECONDS = 2.0
# "for SMS - depends on the messaging service": the simulated service takes 1000 as Viber does.
MAX_SMS_TEXT = 1000
_FAILED_DELIVERY = "Service response: invalid recipient number"
MSG_PROVIDER_REFUSED = "Service response: request limit exceeded"


@dataclass(slots=True)
class Message:
    id: int
    type: MessageType
    to: str
    text: str
    alfa_name: str | None
    created: datetime
    error: str | None  # rejected before sending: never counted as sent


class MessageBook:
    """Every message the project tried to send, and the counters of those really sent."""

    def __init__(self, seed: int) -> None:
        self._seed = seed
        self._ids = itertools.count(123_451)
        self.messages: dict[int, Message] = {}
        self.sent_by_id: Counter[int] = Counter()
        self.sent_by_recipient_text: Counter[tuple[str, str]] = Counter()

    @property
    def sent_count(self) -> int:
        """Messages handed to the messaging service so far."""
        return self.sent_by_id.total()

    def send(
        self,
        kind: MessageType,
        to: str,
        text: str,
        alfa_name: str | None,
        now: datetime,
        error: str | None = None,
    ) -> Message:
        message = Message(next(self._ids), kind, to, text, alfa_name, now, error)
        self.messages[message.id] = message
        if error is None:
            self.sent_by_id[message.id] += 1
            self.sent_by_recipient_text[(to, text)] += 1
        return message

    def status(self, message: Message, now: datetime) -> tuple[MessageStatus, str | None]:
        if message.error is not None:
            return "ERROR", message.error
        if now - message.created < timedelta(seconds=DELIVERY_SECONDS):
            return "SENT", None
        outcome = (message.id * 2_654_435_761 + self._seed) % 20
        if outcome == 0:
            return "ERROR", _FAILED_DELIVERY
        if outcome == 1:
            return "NOT_DELIVERED", None
        return "DELIVERED", None


def message_problem(kind: str | None, to: object, text: str | None) -> str | None:
    """The "Validation error" reason for one message, if any."""
    if kind not in ("SMS", "VIBER"):
        return "message type is not selected"
    if normalize_phone(to) is None:
        return "wrong recipient's phone number"
    if not text:
        return "message cannot be empty"
    if len(text) > (MAX_VIBER_TEXT if kind == "VIBER" else MAX_SMS_TEXT):
        return "message is too long"
    return None


def _check_service(request: Request, not_connected: str) -> None:
    project = sandbox_of(request).project
    if not project.message_service_connected:
        raise SandboxError(not_connected)
    if not (project.balance_ok and project.billing_allowed):
        raise SandboxError("UniTalk did not allow sending")


class SendRequest(msgspec.Struct, rename="camel"):
    message_type: str | None = None
    alfa_name: str | None = None
    to: str | int | None = None
    text: str | None = None


async def send(request: Request) -> Response:
    """/message/send: answers the new message's id in `data`."""
    _check_service(request, "Message service not connected")
    body = await json_body(request, SendRequest)
    problem = message_problem(body.message_type, body.to, body.text)
    if problem is not None:
        raise validation_error(problem)
    project = sandbox_of(request).project
    # The provider's own failures (switches of sandbox/account.py): a refusal passed on as
    # "Service response: <its reason>", no answer at all as "Unknown error".
    if not project.message_provider_reachable:
        raise SandboxError("Unknown error")
    if not project.message_provider_accepting:
        raise SandboxError(MSG_PROVIDER_REFUSED)
    endpoints = sandbox_of(request).endpoints
    kind: MessageType = "VIBER" if body.message_type == "VIBER" else "SMS"
    to = normalize_phone(body.to) or ""
    message = endpoints.messages.send(kind, to, body.text or "", body.alfa_name, endpoints.now())
    return success(data=message.id)


class BulkRequest(msgspec.Struct, rename="camel"):
    messages_type: str | None = None
    alfa_name: str | None = None
    messages: dict[str, str | None] | None = None
    recipients: list[str | int | None] | None = None
    text: str | None = None


def _bulk_pairs(body: BulkRequest) -> list[tuple[str, str]]:
    """(recipient as given, text) pairs; `messages` wins over `recipients` + `text`."""
    if body.messages is not None:
        if len(body.messages) > MAX_BULK_MESSAGES_PER_REQUEST:
            raise SandboxError("Too many messages")
        if not body.messages:
            raise SandboxError("messages is empty")
        if any(not key.strip() for key in body.messages):
            raise SandboxError("messages contains null key")
        if any(value is None for value in body.messages.values()):
            raise SandboxError("messages contains null value")
        return [(key, value or "") for key, value in body.messages.items()]
    if body.recipients is None:
        raise SandboxError("Messages not specified")
    if len(body.recipients) > MAX_BULK_MESSAGES_PER_REQUEST:
        raise SandboxError("Too many recipients")
    if not body.recipients:
        raise SandboxError("recipients is empty")
    if any(recipient is None for recipient in body.recipients):
        raise SandboxError("recipients contains null")
    if not body.text:
        raise SandboxError("text is null or empty")
    return [(str(recipient), body.text) for recipient in body.recipients]


async def send_bulk(request: Request) -> Response:
    """/message/sendBulk: up to 100 messages; `data` maps each recipient to `{id, error}`."""
    _check_service(request, "Message service not connected")
    body = await json_body(request, BulkRequest)
    if body.messages_type is None:
        raise SandboxError("messagesType is null")
    if body.messages_type not in ("SMS", "VIBER"):
        raise validation_error("messagesType must be SMS or VIBER")
    pairs = _bulk_pairs(body)
    endpoints = sandbox_of(request).endpoints
    kind: MessageType = "VIBER" if body.messages_type == "VIBER" else "SMS"
    now, results = endpoints.now(), {}
    for recipient, text in pairs:
        problem = message_problem(kind, recipient, text)
        error = None if problem is None else f"{VALIDATION_ERROR}: {problem}"
        to = normalize_phone(recipient) or recipient
        message = endpoints.messages.send(kind, to, text, body.alfa_name, now, error)
        results[recipient] = {"id": message.id, "error": error}
    return success(data=results)


async def get_status(request: Request) -> Response:
    """/message/getStatus?id=: `{"messageStatus", "errorText"}` in `data`."""
    message_id = int_param(await parameters(request), "id")
    if message_id is None:
        raise SandboxError("Invalid id")
    endpoints = sandbox_of(request).endpoints
    message = endpoints.messages.messages.get(message_id)
    if message is None:
        raise SandboxError("Message not found")
    status, error = endpoints.messages.status(message, endpoints.now())
    return success(data={"messageStatus": status, "errorText": error})
