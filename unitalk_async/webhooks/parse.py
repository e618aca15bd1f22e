"""Recognising a webhook body: which of the reference's payloads it is, decoded to its struct.

Only call events and ROUTE carry an `event` field; the other payloads are told apart by their
shape. The rules, in order:

1. `event` is CALL_NEW, CALL_REDIRECT, CALL_ANSWER or CALL_END -> `CallEvent`;
   `event` is ROUTE -> `RouteRequest`; any other `event` -> `UnknownEvent`.
2. `{}` (no field at all) -> `AutodialEvent` (the non-call autodialer events).
3. `ivrName` present -> `VoiceMenuEvent`.
4. `dialName` or `callState` present -> `AutodialCallEvent`.
5. `type` with `mainBalance` or `mainBalanceV2` -> `BalanceMovement` (whatever the operation
   type, so a type the reference does not list still decodes).
6. `from` with `outerNumber` -> `VoiceQueueRequest` (voice queue management, answered);
   `from` without `outerNumber` -> `VoiceQueueEvent` (the Event-handling notification, which
   carries `projectName` and `ip` instead). If the service ever adds `outerNumber` to the
   notification, the worst case is an answer it does not read.
7. Anything else, including a JSON value that is not an object -> `UnknownEvent`.

A payload that matches a rule but whose fields have the wrong types (the service changed
one) becomes an `UnknownEvent` whose `error` says why, never an exception: a receiver must
not refuse a real event. Only a body that is not JSON, or is nested deeper than the decoder
goes, raises `WebhookPayloadError`.

Date-times are read more leniently than the API's answers: besides the reference's
"yyyy-MM-dd HH:mm:ss", any ISO 8601 form a Java service writes decodes ("T" separator,
seconds left out when zero, fractions of up to nanoseconds, which keep their microseconds),
so one changed date format does not turn every call event into an `UnknownEvent`. An offset
("Z", "+03:00"), when present, is kept: the value is then an aware datetime.
"""

from __future__ import annotations

from typing import Any, Final

import msgspec

from unitalk_async import _codec
from unitalk_async._exceptions import UnitalkError
from unitalk_async.models import enums
from unitalk_async.webhooks.models import (
    AutodialCallEvent,
    AutodialEvent,
    BalanceMovement,
    CallEvent,
    RouteRequest,
    UnknownEvent,
    VoiceMenuEvent,
    VoiceQueueEvent,
    VoiceQueueRequest,
    WebhookEvent,
)

__all__ = ["WebhookPayloadError", "event_name", "parse", "payload_type"]

_KnownPayload = (
    type[BalanceMovement]
    | type[CallEvent]
    | type[VoiceMenuEvent]
    | type[AutodialCallEvent]
    | type[AutodialEvent]
    | type[VoiceQueueEvent]
    | type[VoiceQueueRequest]
    | type[RouteRequest]
)


NOT_JSON: Final = "body is not JSON"
TOO_DEEP: Final = "body is nested too deeply"


class WebhookPayloadError(UnitalkError, ValueError):
    """Raised when a webhook body is not JSON (the receiver answers it with HTTP 400).

    `reason` is the short form the receiver answers with: `NOT_JSON` or `TOO_DEEP`.
    """

    def __init__(self, message: str, *, reason: str = NOT_JSON) -> None:
        super().__init__(message)
        self.reason = reason


def payload_type(raw: Any) -> _KnownPayload | None:
    """The struct a decoded payload belongs to by the module's rules, or None if unknown."""
    if not isinstance(raw, dict):
        return None
    if "event" in raw:
        event = raw["event"]
        if event in CallEvent.EVENTS:
            return CallEvent
        if event == enums.CallEvent.ROUTE:
            return RouteRequest
        return None
    if not raw:
        return AutodialEvent
    if "ivrName" in raw:
        return VoiceMenuEvent
    if "dialName" in raw or "callState" in raw:
        return AutodialCallEvent
    if "type" in raw and ("mainBalance" in raw or "mainBalanceV2" in raw):
        return BalanceMovement
    if "from" in raw:
        return VoiceQueueRequest if "outerNumber" in raw else VoiceQueueEvent
    return None


def parse(body: bytes | bytearray | memoryview | str) -> WebhookEvent:
    """Decode a webhook body into the struct of the payload it is (see the module's rules).

    Raises `WebhookPayloadError` if the body is not JSON; never for a payload it does not
    know, which comes back as an `UnknownEvent`.
    """
    try:
        raw = msgspec.json.decode(body)
    except msgspec.DecodeError as exc:
        raise WebhookPayloadError(f"webhook body is not JSON: {exc}") from None
    except RecursionError:  # `[[[[...` a few thousand deep: msgspec stops at the stack limit
        raise WebhookPayloadError(
            "webhook body is nested deeper than the decoder goes", reason=TOO_DEEP
        ) from None
    event = raw.get("event") if isinstance(raw, dict) else None
    event = event if isinstance(event, str) else None
    cls = payload_type(raw)
    if cls is None:
        return UnknownEvent(raw=raw, event=event)
    # The payload is already decoded to find its type; convert it with the codec so wire
    # dates become WireDateTime exactly as `_codec.decode` would.
    try:
        result: WebhookEvent = msgspec.convert(raw, cls, dec_hook=_lenient_dates)
    except msgspec.ValidationError as exc:
        return UnknownEvent(raw=raw, event=event, error=f"not a {cls.__name__}: {exc}")
    return result


def _lenient_dates(type_: type, obj: Any) -> Any:
    """The codec's hook, plus every ISO 8601 date-time (see the module docstring)."""
    if type_ is _codec.WireDateTime and isinstance(obj, str):
        try:
            return _codec.WireDateTime.fromisoformat(obj)
        except ValueError:
            pass  # the codec's hook raises the error that names the expected format
    return _codec._dec_hook(type_, obj)


def event_name(event: WebhookEvent) -> str | None:
    """The payload's `event` field (CALL_END, ROUTE, ...), or None for payloads without one."""
    if isinstance(event, CallEvent | RouteRequest):
        return str(event.event)
    if isinstance(event, UnknownEvent):
        return event.event
    return None
