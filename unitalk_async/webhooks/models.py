"""The payloads Unitalk posts to your web service, and the answers it waits for.

One struct per payload of the reference's "Webhooks" section. Fields are snake_case in Python
and camelCase on the wire; every field defaults to `UNSET`, so a field the service left out
stays out when the event is encoded again, while an explicit `null` stays `None`. Unknown
fields are ignored, never refused: the service adds some over time.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

import msgspec
from msgspec import UNSET, Meta, UnsetType

from unitalk_async._codec import WireDateTime, WireText
from unitalk_async.models import enums

__all__ = [
    "AutodialCallEvent",
    "AutodialEvent",
    "BalanceMovement",
    "Call",
    "CallEvent",
    "RouteAnswer",
    "RouteCall",
    "RouteRequest",
    "UnknownEvent",
    "VoiceMenuEvent",
    "VoiceQueueAnswer",
    "VoiceQueueEvent",
    "VoiceQueueRequest",
    "WebhookEvent",
]

DEFAULT_PRIORITY = 5  # "By default, UniTalk defines all calls to queue number 5"
MIN_PRIORITY = 1
MAX_PRIORITY = 10

Priority = Annotated[int, Meta(ge=MIN_PRIORITY, le=MAX_PRIORITY)]


class _Payload(msgspec.Struct, kw_only=True, rename="camel"):
    """Base of every payload: camelCase on the wire, unknown fields ignored."""


# --- Balance movement -------------------------------------------------------------------------
class BalanceMovement(_Payload):
    """A change of the project balance ("Balance movement" webhook).

    Amounts are integers: in `sum`, `main_balance` and `bonus_balance` 1000 is one unit of
    the project currency, in the `..._v2` fields 1,000,000 is.
    """

    date: WireDateTime | UnsetType | None = UNSET
    type: enums.BalanceOperationType | UnsetType | None = UNSET
    sum: int | UnsetType | None = UNSET
    sum_v2: int | UnsetType | None = UNSET
    main_balance: int | UnsetType | None = UNSET
    main_balance_v2: int | UnsetType | None = UNSET
    bonus_balance: int | UnsetType | None = UNSET
    description: str | UnsetType | None = UNSET


# --- Call events ------------------------------------------------------------------------------
class Call(_Payload):
    """The `call` object of a call event.

    `to` is empty on CALL_NEW of an incoming call, holds one or more numbers on CALL_REDIRECT,
    one on CALL_ANSWER, the operators who took the call (or none) on CALL_END, and may be
    absent for API calls. `state` is None on CALL_NEW and CALL_REDIRECT; the durations are
    known only on CALL_END; `link` is present only when `state` is ANSWER.
    """

    id: int | UnsetType | None = UNSET
    dbid: int | UnsetType | None = UNSET
    from_: str | UnsetType | None = UNSET
    to: list[str] | UnsetType | None = UNSET
    last_group_name: str | UnsetType | None = UNSET
    outer_number: str | UnsetType | None = UNSET
    direction: enums.CallDirection | UnsetType | None = UNSET
    date: WireDateTime | UnsetType | None = UNSET
    seconds_full_time: int | UnsetType | None = UNSET
    seconds_talk: int | UnsetType | None = UNSET
    utm_source: str | UnsetType | None = UNSET
    utm_medium: str | UnsetType | None = UNSET
    utm_campaign: str | UnsetType | None = UNSET
    utm_term: str | UnsetType | None = UNSET
    utm_content: str | UnsetType | None = UNSET
    google_id: str | UnsetType | None = UNSET
    facebook_client_id: str | UnsetType | None = UNSET
    referer: str | UnsetType | None = UNSET
    callback: bool | UnsetType | None = UNSET  # deprecated by the service: use `source`
    comment: str | UnsetType | None = UNSET
    state: enums.WebhookCallState | UnsetType | None = UNSET
    source: enums.CallSource | UnsetType | None = UNSET
    link: str | UnsetType | None = UNSET
    meta: WireText | UnsetType | None = UNSET  # a JSON number arrives as its text
    cause: int | UnsetType | None = UNSET


class CallEvent(_Payload):
    """A call event ("Standard JSON for call events"): CALL_NEW, CALL_REDIRECT, CALL_ANSWER
    or CALL_END, with the call's data."""

    EVENTS: ClassVar[frozenset[str]] = frozenset(
        {
            enums.CallEvent.CALL_NEW,
            enums.CallEvent.CALL_REDIRECT,
            enums.CallEvent.CALL_ANSWER,
            enums.CallEvent.CALL_END,
        }
    )

    event: enums.CallEvent
    call: Call


# --- Voice menu, autodialer and voice queue events ---------------------------------------------
class VoiceMenuEvent(_Payload):
    """A subscriber's choice in a voice menu ("Standard JSON for voice menu events")."""

    ivr_name: str | UnsetType | None = UNSET
    from_: str | UnsetType | None = UNSET
    outer_number: str | UnsetType | None = UNSET
    pressed_digit: int | UnsetType | None = UNSET
    action_type: enums.IvrActionType | UnsetType | None = UNSET
    project_name: str | UnsetType | None = UNSET
    utm_campaign: str | UnsetType | None = UNSET
    utm_source: str | UnsetType | None = UNSET
    utm_medium: str | UnsetType | None = UNSET
    utm_term: str | UnsetType | None = UNSET
    utm_content: str | UnsetType | None = UNSET
    google_id: str | UnsetType | None = UNSET
    facebook_client_id: str | UnsetType | None = UNSET


class AutodialCallEvent(_Payload):
    """The end of an autodialer call ("Standard JSON for autodialers calls completion events").

    `call_state` is the autodialer `callState` dictionary; `operator_number` may be None.
    """

    from_: str | UnsetType | None = UNSET
    operator_number: str | UnsetType | None = UNSET
    call_name: str | UnsetType | None = UNSET
    call_note: str | UnsetType | None = UNSET
    called_count: int | UnsetType | None = UNSET
    call_state: enums.CallState | UnsetType | None = UNSET
    dial_name: str | UnsetType | None = UNSET
    total_count: int | UnsetType | None = UNSET
    done_count: int | UnsetType | None = UNSET
    project_name: str | UnsetType | None = UNSET


class AutodialEvent(_Payload):
    """An autodialer event that is not about a call ("Standard JSON for non-call autodialer
    events"): the service sends an empty object, so there is nothing to read but the fact."""


class VoiceQueueEvent(_Payload):
    """A call entering a voice queue ("Standard JSON for voice queue events", Event handling).

    A notification: the answer is not read. Compare `VoiceQueueRequest`, which is.
    """

    from_: str | UnsetType | None = UNSET
    project_name: str | UnsetType | None = UNSET
    utm_campaign: str | UnsetType | None = UNSET
    utm_source: str | UnsetType | None = UNSET
    utm_medium: str | UnsetType | None = UNSET
    utm_term: str | UnsetType | None = UNSET
    utm_content: str | UnsetType | None = UNSET
    google_id: str | UnsetType | None = UNSET
    facebook_client_id: str | UnsetType | None = UNSET
    gclid: str | UnsetType | None = UNSET
    cdid: str | UnsetType | None = UNSET
    referer: str | UnsetType | None = UNSET
    ip: str | UnsetType | None = UNSET


# --- Webhooks that wait for an answer ---------------------------------------------------------
class RouteCall(_Payload):
    """The `call` object of a ROUTE request."""

    from_: str | UnsetType | None = UNSET
    outer_number: str | UnsetType | None = UNSET


class RouteRequest(_Payload, kw_only=True):
    """A ROUTE request ("Transferring a call to the responsible operator").

    Unitalk asks whom to connect the caller to; answer with a `RouteAnswer`.
    """

    EVENT: ClassVar[str] = enums.CallEvent.ROUTE

    event: enums.CallEvent = enums.CallEvent.ROUTE
    call: RouteCall


class RouteAnswer(msgspec.Struct, kw_only=True, rename="camel"):
    """The answer to a `RouteRequest`.

    `operator_number` is the responsible operator's line (SIP or GSM), `ivr_id` a voice menu
    to play first; both may be None. There is no need to check that the operator is free: a
    busy operator is skipped by the service. `RouteAnswer()` is the "no operator" answer,
    `{"operatorNumber": null, "ivrId": null}`, which the receiver also sends when the handler
    fails.
    """

    operator_number: str | None = None
    caller_name: str | UnsetType | None = UNSET
    ivr_id: int | None = None


class VoiceQueueRequest(_Payload):
    """A "Voice queue management" request.

    Unitalk asks which of the 10 queues a caller goes to; answer with a `VoiceQueueAnswer`.
    """

    outer_number: str | UnsetType | None = UNSET
    from_: str | UnsetType | None = UNSET
    utm_source: str | UnsetType | None = UNSET
    utm_medium: str | UnsetType | None = UNSET
    utm_campaign: str | UnsetType | None = UNSET
    utm_term: str | UnsetType | None = UNSET
    utm_content: str | UnsetType | None = UNSET
    google_id: str | UnsetType | None = UNSET
    facebook_client_id: str | UnsetType | None = UNSET
    gclid: str | UnsetType | None = UNSET
    cdid: str | UnsetType | None = UNSET
    referer: str | UnsetType | None = UNSET


class VoiceQueueAnswer(msgspec.Struct, kw_only=True, rename={"priority": "setPriority"}):
    """The answer to a `VoiceQueueRequest`: the caller's queue, 1 to 10 (queues are served in
    descending order). `VoiceQueueAnswer()` is the service's own default, queue 5."""

    priority: Priority = DEFAULT_PRIORITY

    def __post_init__(self) -> None:
        # Meta constraints are checked on decode only; an answer built in code is checked here.
        if (
            isinstance(self.priority, bool)
            or not isinstance(self.priority, int)
            or not MIN_PRIORITY <= self.priority <= MAX_PRIORITY
        ):
            raise ValueError(
                f"priority: must be an integer from {MIN_PRIORITY} to {MAX_PRIORITY}, "
                f"got {self.priority!r}"
            )


# --- Anything else ----------------------------------------------------------------------------
class UnknownEvent(msgspec.Struct, kw_only=True):
    """A payload `parse` does not recognise, kept as decoded (`raw`, usually a dict).

    `event` is the payload's `event` field when it has a string one. `error` says why a
    payload that looked like a known event was not decoded as one (a field of the wrong
    type), None when it simply matched no rule.
    """

    raw: Any
    event: str | None = None
    error: str | None = None


WebhookEvent = (
    BalanceMovement
    | CallEvent
    | VoiceMenuEvent
    | AutodialCallEvent
    | AutodialEvent
    | VoiceQueueEvent
    | VoiceQueueRequest
    | RouteRequest
    | UnknownEvent
)
"""Every value `parse` returns."""
