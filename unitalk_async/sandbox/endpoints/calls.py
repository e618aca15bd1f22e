"""Calls: /phones/directCall, /calls/originateC2c, /calls/originateNew, /calls/hangup,
/calls/connectAsPrompter.

Calls started here are "in progress" for `CALL_SECONDS` of the sandbox's wall clock, or
until hung up; that is what "Call already in progress", the 20-call limit, `hangup`'s
"Found: N" and the prompter's "Target is not in call" see.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

import msgspec
from starlette.requests import Request
from starlette.responses import Response

from unitalk_async._codec import WireText
from unitalk_async._reference import MAX_CALL_AUDIOS, MAX_CALL_TTS, MAX_META
from unitalk_async.sandbox._answers import SandboxError, success
from unitalk_async.sandbox.endpoints._request import (
    json_body,
    parameters,
    sandbox_of,
    validation_error,
)
from unitalk_async.sandbox.endpoints.audio import TtsSpec, tts_problem
from unitalk_async.sandbox.phones import normalize_phone
from unitalk_async.sandbox.project import Project

CALL_SECONDS = 60.0
MAX_SIMULTANEOUS_CALLS = 20  # "Limit of Simultaneously calls has reached": 20 calls
MIN_AWAITING_SECONDS, MAX_AWAITING_SECONDS = 5, 300


@dataclass(slots=True)
class ActiveCall:
    id: int
    phone: str  # the outside party
    line: str | None  # the inner line taking part, if any
    ends_at: datetime


class CallBoard:
    """The calls in progress in the project."""

    def __init__(self) -> None:
        self._calls: dict[int, ActiveCall] = {}
        self._ids = itertools.count(1_474_427_802)

    def active(self, now: datetime) -> list[ActiveCall]:
        """The calls still in progress at `now` (finished ones are forgotten)."""
        for call_id in [c.id for c in self._calls.values() if c.ends_at <= now]:
            del self._calls[call_id]
        return list(self._calls.values())

    def start(
        self, phone: str, line: str | None, now: datetime, call_id: int | None = None
    ) -> ActiveCall:
        """A call in progress until `CALL_SECONDS` from `now`; `call_id` when it has one."""
        ends_at = now + timedelta(seconds=CALL_SECONDS)
        call = ActiveCall(call_id or next(self._ids), phone, line, ends_at)
        self._calls[call.id] = call
        return call

    def hang_up(self, call_id: int | None, number: str | None, now: datetime) -> int:
        """End the calls matching the id or the number; how many were found."""
        digits = normalize_phone(number) if number is not None else None
        found = [
            call
            for call in self.active(now)
            if call.id == call_id
            or (number is not None and number in (call.line, call.phone))
            or (digits is not None and digits == call.phone)
        ]
        for call in found:
            del self._calls[call.id]
        return len(found)

    def line_in_call(self, line: str, now: datetime) -> bool:
        return any(call.line == line for call in self.active(now))


async def direct_call(request: Request) -> Response:
    """/phones/directCall: the SIP line rings, then the number is dialled (form or URL)."""
    sandbox = sandbox_of(request)
    params = await parameters(request)
    sip = params.get("sip", "")
    status = sandbox.project.lines.get(sip)
    if status is None:
        raise SandboxError("Sip not found")
    board, now = sandbox.endpoints.calls, sandbox.endpoints.now()
    if status != "online" or board.line_in_call(sip, now):
        raise SandboxError("Sip not ready")
    phone = normalize_phone(params.get("number"))
    if phone is None:
        raise SandboxError("Wrong phone")
    if len(params.get("meta") or "") > MAX_META:
        raise SandboxError("Meta info is too big")
    row = sandbox.endpoints.history.record(
        now,
        direction="OUT",
        source="REGULAR",
        caller=sip,
        callee=phone,
        outer=_outgoing_line(sandbox.project),
        seconds=int(CALL_SECONDS),
    )
    board.start(phone, sip, now, row.id)
    return success(message="Called")


def _outgoing_line(project: Project) -> str:
    """The outer line API calls go out through: the first one not used for tracking."""
    return next((n for n, line in project.outer_lines.items() if not line.tracked), "")


class C2cStep(msgspec.Struct, rename="camel"):
    type: Literal["GSM", "SIP", "GROUP"]
    to: str | int
    awaiting_time: int


class C2cRequest(msgspec.Struct, rename="camel"):
    client_number: str | None = None
    steps: list[C2cStep] | None = None


async def originate_c2c(request: Request) -> Response:
    """/calls/originateC2c: call the client, then walk the redirect steps."""
    sandbox = sandbox_of(request)
    body = await json_body(request, C2cRequest)
    phone = normalize_phone(body.client_number)
    if phone is None:
        raise SandboxError("Wrong phone")
    # The reference lists no errors for this method; a missing step list reads as the
    # hangup's "Empty request", and each step is checked with the matching lookup message.
    if not body.steps:
        raise SandboxError("Empty request")
    project = sandbox.project
    for step in body.steps:
        if not MIN_AWAITING_SECONDS <= step.awaiting_time <= MAX_AWAITING_SECONDS:
            raise validation_error("awaitingTime must be from 5 to 300 seconds")
        target = str(step.to)
        if step.type == "SIP" and target not in project.lines:
            raise SandboxError("Sip not found")
        if step.type == "GROUP" and (not target.isdigit() or int(target) not in project.groups):
            raise SandboxError("Group not found")
        if step.type == "GSM" and normalize_phone(target) is None:
            raise SandboxError("Wrong phone")
    # "This call will not be visible in tickets and CRM systems, but will be in the call
    # history": it is recorded as an incoming C2C_API call answered by the first SIP step.
    endpoints, now = sandbox.endpoints, sandbox.endpoints.now()
    line = next((str(s.to) for s in body.steps if s.type == "SIP"), None)
    row = endpoints.history.record(
        now,
        direction="IN",
        source="C2C_API",
        caller=phone,
        callee=line,
        outer=_outgoing_line(project),
        seconds=int(CALL_SECONDS),
    )
    endpoints.calls.start(phone, line, now, row.id)
    return success()


class CallAudio(msgspec.Struct, rename="camel"):
    id: int | None = None
    tts: TtsSpec | None = None


class OriginateRequest(msgspec.Struct, rename="camel"):
    phone: str | int | None = None
    outer_line: str | None = None
    meta: WireText | None = None  # a JSON number is taken as its text, as the service does
    ivr_id: int | None = None
    voice_secretary_id: int | None = None
    audios: list[CallAudio | None] | None = None


async def originate_new(request: Request) -> Response:
    """/calls/originateNew: an informational call that plays audios, an IVR or a robot."""
    sandbox = sandbox_of(request)
    project, endpoints = sandbox.project, sandbox.endpoints
    body = await json_body(request, OriginateRequest)
    phone = normalize_phone(body.phone)
    if phone is None:
        raise SandboxError("Wrong phone")
    if len(body.meta or "") > MAX_META:
        raise SandboxError("Meta info is too big")
    if body.outer_line is not None:
        line = project.outer_lines.get(normalize_phone(body.outer_line) or body.outer_line)
        if line is None:
            raise SandboxError("Outer line not found")
        if line.tracked:
            raise SandboxError("Outer line is tracked")
    if not body.audios and body.ivr_id is None and body.voice_secretary_id is None:
        raise SandboxError("No audio and IVR")
    if body.ivr_id is not None and body.ivr_id not in project.ivrs:
        # Not in the reference's list: an unknown IVR is answered like a forbidden one.
        raise SandboxError("IVR can be used for SIPs only")
    if body.voice_secretary_id is not None and body.voice_secretary_id not in (
        project.voice_secretaries
    ):
        raise SandboxError("Voice secretary not found")
    _check_audios(body.audios or [], project)
    if not (project.service_paid and project.balance_ok and project.billing_allowed):
        raise SandboxError("Service not paid")
    now = endpoints.now()
    active = endpoints.calls.active(now)
    if any(call.phone == phone for call in active):
        raise SandboxError("Call already in progress")
    if len(active) >= MAX_SIMULTANEOUS_CALLS:
        raise SandboxError("Limit of Simultaneously calls has reached")
    endpoints.calls.start(phone, None, now)
    return success()


def _check_audios(audios: list[CallAudio | None], project: Project) -> None:
    if len(audios) > MAX_CALL_AUDIOS:
        raise SandboxError("audios: Too many audios")
    if sum(1 for a in audios if a is not None and a.id is None and a.tts) > MAX_CALL_TTS:
        raise SandboxError("audios: Too many text to speech")
    for audio in audios:
        if audio is None:
            raise SandboxError("audios: Audio is null")
        if audio.id is not None:  # "If both id and tts are not null, id will be used."
            found = project.audios.get(audio.id)
            if found is None:
                raise SandboxError("audios: Audio not found by id")
            if found.type != "API":
                raise SandboxError("audios: Wrong type of audio")
        elif audio.tts is not None:
            problem = tts_problem(audio.tts, project)
            if problem is not None:
                raise SandboxError(f"audios: {problem}")
        else:
            raise SandboxError("audios: Audio is empty")


class PrompterRequest(msgspec.Struct):
    target: str | int | None = None
    source: str | int | None = None


async def connect_as_prompter(request: Request) -> Response:
    """/calls/connectAsPrompter: line `source` joins `target`'s call as a prompter."""
    sandbox = sandbox_of(request)
    body = await json_body(request, PrompterRequest)
    lines, now = sandbox.project.lines, sandbox.endpoints.now()
    target, source = str(body.target or ""), str(body.source or "")
    if target not in lines:
        raise SandboxError("Target not found")
    if lines[target] != "busy" and not sandbox.endpoints.calls.line_in_call(target, now):
        raise SandboxError("Target is not in call")
    if source not in lines:
        raise SandboxError("Source not found")
    if lines[source] == "offline":
        raise SandboxError("Source is offline")
    return success()


class HangupRequest(msgspec.Struct):
    number: str | int | None = None
    id: int | None = None


async def hangup(request: Request) -> Response:
    """/calls/hangup: end active calls by call id or by inner/outer line number."""
    sandbox = sandbox_of(request)
    body = await json_body(request, HangupRequest)
    if body.id is None and body.number in (None, ""):
        raise SandboxError("Empty request")
    number = None if body.number is None else str(body.number)
    found = sandbox.endpoints.calls.hang_up(body.id, number, sandbox.endpoints.now())
    return success(message=f"Found: {found}")
