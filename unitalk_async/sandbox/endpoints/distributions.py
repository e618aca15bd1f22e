"""Message distributions: /messageDistribution/getAll, create, update, remove, setPaused.

A started distribution works through its numbers at `NUMBERS_PER_SECOND` of the project's
wall clock (paused time excluded) and is COMPLETED when none is left.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import msgspec
from starlette.requests import Request
from starlette.responses import Response

from unitalk_async._codec import DATETIME_FORMAT
from unitalk_async._reference import (
    MAX_DISTRIBUTION_NAME,
    MAX_DISTRIBUTION_NUMBERS,
    MAX_VIBER_TEXT,
)
from unitalk_async.sandbox._answers import SandboxError, bare, success
from unitalk_async.sandbox.endpoints._request import (
    int_param,
    json_body,
    parameters,
    parse_datetime,
    sandbox_of,
    split_phones,
    validation_error,
)
from unitalk_async.sandbox.endpoints.messages import MAX_SMS_TEXT

NUMBERS_PER_SECOND = 50.0
MIN_VIBER_TTL, MAX_VIBER_TTL = 60, 86_400
MIN_CAROUSEL_ITEMS, MAX_CAROUSEL_ITEMS = 2, 5
MIN_CAROUSEL_TITLE, MAX_CAROUSEL_TITLE = 2, 38
MAX_FILE_NAME = 20
MAX_BUTTON_TEXT = 30
MAX_PRIMARY_LABEL, MAX_SECONDARY_LABEL = 10, 12
DistributionStatus = Literal[
    "COMPLETED", "PAUSED", "WAITING_START_TIME", "IN_PROGRESS", "MESSAGE_SERVICE_NOT_CONNECTED"
]
NOT_CONNECTED = "The project does not have a messaging service connected"


@dataclass
class Distribution:
    id: int
    name: str
    message_type: str
    text: str
    start_time: datetime | None
    numbers: list[str]
    created: datetime
    settings: dict[str, Any]  # the Viber and fallback options, as sent
    paused: bool = False
    processed_before: float = 0.0  # numbers processed before `resumed`
    resumed: datetime | None = None  # when processing last (re)started; None while paused

    def processed(self, now: datetime) -> float:
        if self.paused or self.resumed is None:
            return min(self.processed_before, len(self.numbers))
        since = max(self.resumed, self.start_time or self.resumed)
        running = max(0.0, (now - since).total_seconds())
        return min(self.processed_before + running * NUMBERS_PER_SECOND, len(self.numbers))

    def remaining(self, now: datetime) -> int:
        return len(self.numbers) - int(self.processed(now))

    def status(self, now: datetime, connected: bool) -> DistributionStatus:
        if self.remaining(now) == 0:
            return "COMPLETED"
        if not connected:
            return "MESSAGE_SERVICE_NOT_CONNECTED"
        if self.paused:
            return "PAUSED"
        if self.start_time is not None and self.start_time > now:
            return "WAITING_START_TIME"
        return "IN_PROGRESS"

    def set_paused(self, paused: bool, now: datetime) -> None:
        if paused and not self.paused:
            self.processed_before = self.processed(now)
            self.resumed = None
        elif not paused and self.paused:
            self.resumed = now
        self.paused = paused

    def to_wire(self, now: datetime, connected: bool) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "messageType": self.message_type,
            "text": self.text,
            "startTime": self.start_time.strftime(DATETIME_FORMAT) if self.start_time else None,
            "paused": self.paused,
            "totalNumbersCount": len(self.numbers),
            "currentNumbersCount": self.remaining(now),
            "status": self.status(now, connected),
        }


class DistributionBook:
    """The project's distributions by id."""

    def __init__(self) -> None:
        self.distributions: dict[int, Distribution] = {}
        self._ids = itertools.count(123)

    def next_id(self) -> int:
        return next(self._ids)

    def name_taken(self, name: str, except_id: int | None = None) -> bool:
        return any(d.name == name and d.id != except_id for d in self.distributions.values())


class Button(msgspec.Struct, rename="camel"):
    label: str | None = None
    action_url: str | None = None


class CarouselItem(msgspec.Struct, rename="camel"):
    title: str | None = None
    base64_image: str | None = None
    mime_type: str | None = None
    file_name: str | None = None
    primary_button: Button | None = None
    secondary_button: Button | None = None


def _wire_name(name: str) -> str:
    """camelCase, except the reference's own spelling of `viberTTL`."""
    if name == "viber_ttl":
        return "viberTTL"
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


class DistributionRequest(msgspec.Struct, rename=_wire_name):
    id: int | None = None
    name: str | None = None
    message_type: str | None = None
    text: str | None = None
    start_time: str | None = None
    numbers: list[Any] | None = None
    alpha_name: str | None = None
    viber_message_type: str | None = None
    base64_image: str | None = None
    mime_type: str | None = None
    file_name: str | None = None
    button_text: str | None = None
    button_url: str | None = None
    viber_ttl: int | None = None
    carousel_items: list[CarouselItem] | None = None
    send_sms_after_viber: bool | None = None
    sms_text: str | None = None
    sms_alpha_name: str | None = None


def _message_problem(body: DistributionRequest) -> str | None:
    """The "Validation error" reason for a distribution's message settings, if any."""
    if body.message_type not in ("SMS", "VIBER"):
        return "message type is not selected"
    if not body.text:
        return "message cannot be empty"
    if len(body.text) > (MAX_VIBER_TEXT if body.message_type == "VIBER" else MAX_SMS_TEXT):
        return "message is too long"
    if body.message_type == "SMS":
        return None
    if body.viber_message_type not in ("PROMO", "TRANSACTIONAL", "CAROUSEL"):
        return "viberMessageType must be PROMO, TRANSACTIONAL or CAROUSEL"
    if body.viber_ttl is None or not MIN_VIBER_TTL <= body.viber_ttl <= MAX_VIBER_TTL:
        return "viberTTL must be from 60 to 86400"
    if body.viber_message_type == "PROMO":
        problem = _promo_problem(body)
    elif body.viber_message_type == "CAROUSEL":
        problem = _carousel_problem(body.carousel_items)
    else:
        problem = None
    if problem is None and body.send_sms_after_viber:
        if not body.sms_text:
            problem = "smsText is required with sendSmsAfterViber"
        elif len(body.sms_text) > MAX_SMS_TEXT:
            problem = "smsText is too long"
    return problem


def _promo_problem(body: DistributionRequest) -> str | None:
    if body.base64_image is not None and not (body.mime_type and body.file_name):
        return "mimeType and fileName are required with base64Image"
    if body.file_name is not None and len(body.file_name) > MAX_FILE_NAME:
        return "fileName is longer than 20 characters"
    if body.button_text is not None:
        if len(body.button_text) > MAX_BUTTON_TEXT:
            return "buttonText is longer than 30 characters"
        if not body.button_url:
            return "buttonUrl is required with buttonText"
    return None


def _carousel_problem(items: list[CarouselItem] | None) -> str | None:
    if items is None or not MIN_CAROUSEL_ITEMS <= len(items) <= MAX_CAROUSEL_ITEMS:
        return "carouselItems must hold from 2 to 5 items"
    for item in items:
        if item.title is None or not MIN_CAROUSEL_TITLE <= len(item.title) <= MAX_CAROUSEL_TITLE:
            return "carousel item title must be 2-38 characters"
        if not (item.base64_image and item.mime_type and item.file_name):
            return "carousel item needs base64Image, mimeType and fileName"
        if len(item.file_name) > MAX_FILE_NAME:
            return "fileName is longer than 20 characters"
        primary, secondary = item.primary_button, item.secondary_button
        if primary is None or not primary.label or not primary.action_url:
            return "carousel item needs a primaryButton with label and actionUrl"
        if len(primary.label) > MAX_PRIMARY_LABEL:
            return "primaryButton label is longer than 10 characters"
        if secondary is not None and len(secondary.label or "") > MAX_SECONDARY_LABEL:
            return "secondaryButton label is longer than 12 characters"
    return None


def _check_name(name: str | None, book: DistributionBook, except_id: int | None) -> str:
    if not name or not name.strip() or len(name) > MAX_DISTRIBUTION_NAME:
        raise SandboxError("The name cannot be empty or contain more than 45 characters")
    if book.name_taken(name, except_id):
        raise SandboxError("The name already exists")
    return name


def _check_start_time(value: str | None) -> datetime | None:
    if value is None:
        return None
    start = parse_datetime(value)
    if start is None:
        raise SandboxError("Incorrect time format")
    return start


def _settings(body: DistributionRequest) -> dict[str, Any]:
    wire = msgspec.to_builtins(body)
    for key in ("id", "name", "messageType", "text", "startTime", "numbers"):
        wire.pop(key, None)
    return {key: value for key, value in wire.items() if value is not None}


async def get_all(request: Request) -> Response:
    """/messageDistribution/getAll: the bare list of distributions."""
    sandbox = sandbox_of(request)
    now, connected = sandbox.endpoints.now(), sandbox.project.message_service_connected
    book = sandbox.endpoints.distributions
    return bare([d.to_wire(now, connected) for d in book.distributions.values()])


async def create(request: Request) -> Response:
    """/messageDistribution/create: SMS, Viber (promo, transactional, carousel), Viber+SMS."""
    sandbox = sandbox_of(request)
    if not sandbox.project.message_service_connected:
        raise SandboxError(NOT_CONNECTED)
    body = await json_body(request, DistributionRequest)
    book = sandbox.endpoints.distributions
    name = _check_name(body.name, book, None)
    if not body.numbers:
        raise SandboxError("No customer numbers are listed")
    if len(body.numbers) > MAX_DISTRIBUTION_NUMBERS:
        raise SandboxError("There can be no more than 10000 numbers in the message distribution")
    numbers, invalid = split_phones(body.numbers)
    if invalid:
        raise SandboxError("Wrong numbers", invalid)
    start = _check_start_time(body.start_time)
    problem = _message_problem(body)
    if problem is not None:
        raise validation_error(problem)
    now = sandbox.endpoints.now()
    distribution = Distribution(
        id=book.next_id(),
        name=name,
        message_type=body.message_type or "SMS",
        text=body.text or "",
        start_time=start,
        numbers=numbers,
        created=now,
        settings=_settings(body),
        resumed=now,
    )
    book.distributions[distribution.id] = distribution
    return success(data=distribution.id)


def _open_distribution(request: Request, distribution_id: int | None) -> Distribution:
    """The distribution to change: it must exist and not be completed."""
    sandbox = sandbox_of(request)
    if distribution_id is None:
        raise SandboxError("id is not specified")
    distribution = sandbox.endpoints.distributions.distributions.get(distribution_id)
    if distribution is None:
        raise SandboxError("Message distribution not found")
    if distribution.remaining(sandbox.endpoints.now()) == 0:
        raise SandboxError("Message distribution completed")
    return distribution


async def update(request: Request) -> Response:
    """/messageDistribution/update: name, message type, text and start time."""
    sandbox = sandbox_of(request)
    if not sandbox.project.message_service_connected:
        raise SandboxError(NOT_CONNECTED)
    body = await json_body(request, DistributionRequest)
    distribution = _open_distribution(request, body.id)
    name = _check_name(body.name, sandbox.endpoints.distributions, distribution.id)
    start = _check_start_time(body.start_time)
    if body.message_type == "VIBER" and body.viber_message_type is None:
        # The update request carries no Viber options: the ones given at creation stand.
        body = msgspec.structs.replace(
            body,
            viber_message_type=distribution.settings.get("viberMessageType"),
            viber_ttl=distribution.settings.get("viberTTL"),
            carousel_items=msgspec.convert(
                distribution.settings.get("carouselItems"), list[CarouselItem] | None
            ),
        )
    problem = _message_problem(body)
    if problem is not None:
        raise validation_error(problem)
    now = sandbox.endpoints.now()
    if not distribution.paused:  # progress so far stands; a new start time applies from now
        distribution.processed_before = distribution.processed(now)
        distribution.resumed = now
    distribution.name = name
    distribution.message_type = body.message_type or distribution.message_type
    distribution.text = body.text or distribution.text
    distribution.start_time = start
    return success()


async def remove(request: Request) -> Response:
    """/messageDistribution/remove?id="""
    distribution_id = int_param(await parameters(request), "id")
    if distribution_id is None:
        raise SandboxError("id is not specified")
    book = sandbox_of(request).endpoints.distributions
    # The reference lists only "id is not specified"; an unknown id gets update's message.
    if book.distributions.pop(distribution_id, None) is None:
        raise SandboxError("Message distribution not found")
    return success()


async def set_paused(request: Request) -> Response:
    """/messageDistribution/setPaused?id=&paused=true|false"""
    params = await parameters(request)
    distribution = _open_distribution(request, int_param(params, "id"))
    paused = params.get("paused", "").strip().lower()
    if paused not in ("true", "false"):
        raise validation_error("paused must be true or false")
    distribution.set_paused(paused == "true", sandbox_of(request).endpoints.now())
    return success()
