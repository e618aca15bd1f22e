"""The API reference's rules as data: limits, caps, cost tiers and the error-message table.

Everything here is quoted from the reference (`tests/reference/unitalk-api.txt`, a copy of
the only spec). The client, the sandbox and the tests read these names instead of repeating
literals, so a rule changes in one place.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

DEFAULT_BASE_URL: Final = "https://api.unitalk.cloud/api"
SUCCESS: Final = "Success"

# --- Limits (section "Limits"), per API key -------------------------------------------------
MAX_IN_FLIGHT: Final = 20
MAX_PER_SECOND: Final = 15
MAX_PER_10_SECONDS: Final = 30
PERMANENT_BLOCK_PER_10_SECONDS: Final = 100  # "more than 100 requests in 10 seconds"
MAX_ANALYTICS_IN_PROCESSING: Final = 50  # /calls/analytics/create

# --- Caps per request / per entity ------------------------------------------------------------
MAX_ADD_NUMBERS_PER_REQUEST: Final = 100_000
MAX_NUMBERS_PER_AUTODIALER: Final = 1_000_000
MAX_REMOVE_NUMBERS_PER_REQUEST: Final = 10_000
MAX_LIST_ITEMS_PER_REQUEST: Final = 100
MAX_BULK_MESSAGES_PER_REQUEST: Final = 100
MAX_DISTRIBUTION_NUMBERS: Final = 10_000
MAX_SCHEDULED_HANDLER_PHONES: Final = 100
MAX_TTS_ITEMS_PER_REQUEST: Final = 5
MAX_AUDIO_UPLOAD_BYTES: Final = 15 * 1024 * 1024

GET_NUMBERS_DEFAULT_LIMIT: Final = 1000
GET_NUMBERS_MAX_LIMIT: Final = 5000
# GET_CALLS_HISTORY: the prose says default 50, max 1000; its error text says "1-5000".
# We follow the prose (1000) on both sides; see README "API notes".
CALLS_HISTORY_DEFAULT_LIMIT: Final = 50
CALLS_HISTORY_MAX_LIMIT: Final = 1000
HISTORY_MAX_LIMIT: Final = 1000

MAX_AUTODIALER_NAME: Final = 45
MAX_DISTRIBUTION_NAME: Final = 45
MAX_AUDIO_NAME: Final = 200
MAX_CALLER_ID_PREFIX: Final = 20
MAX_TRIGGER_ACTIONS_PER_EVENT: Final = 5
MAX_COMPOSITE_AUDIO_PARTS: Final = 20
MIN_SILENCE_MILLIS: Final = 1
MAX_SILENCE_MILLIS: Final = 10_000
MAX_TTS_TEXT: Final = 4960
MAX_TTS_SSML: Final = 5000
MAX_NUMBER_TTS_TEXT: Final = 2500  # per-number audios in ADD_NUMBERS
MAX_NUMBER_AUDIOS_AUTODIAL: Final = 5
MAX_NUMBER_TTS_AUTODIAL: Final = 2
MAX_NUMBER_AUDIOS_GUARANTEED: Final = 1
MAX_CALL_AUDIOS: Final = 5  # /calls/originateNew
MAX_CALL_TTS: Final = 2
MAX_META: Final = 1000
MAX_NUMBER_PARAMS: Final = 10
MAX_NUMBER_NAME: Final = 100
MAX_NUMBER_NOTE: Final = 500
MAX_NUMBER_LINK: Final = 500
MAX_VIBER_TEXT: Final = 1000
MIN_PHONE_DIGITS: Final = 7
MAX_PHONE_DIGITS: Final = 15

# --- Autodialer task ranges, by wire name ------------------------------------------------------
# One table for both sides: the client's request models read it into their `Meta`
# constraints (checked before sending), the sandbox checks answers against it. (low, high),
# None: no bound. "Available values from 0.1 to 1.5", "from 0 to 3600", "from -10 to 10";
# the lower bounds of threadCount, callDelay, pauseOperatorNoAnswerLimit, delay are ours (a count
# or a pause cannot be negative; README "API notes").
Bounds = tuple[float | None, float | None]
TASK_RANGES: Final[dict[str, Bounds]] = {
    "threadCount": (1, None),
    "callDelay": (0, None),
    "coldBaseStartCallsMultiplier": (0.1, 1.5),
    "pauseOperatorNoAnswerLimit": (0, None),
    "markAsBusySeconds": (0, 3600),
    "markAsBusyMinSecondsTalk": (0, 3600),
    "smartSpeed": (-10, 10),
    "delay": (0, None),  # AUTODIAL: seconds between the audio and the scenario
}
TASK_FRACTIONAL: Final = frozenset({"coldBaseStartCallsMultiplier"})  # the rest are integers
# "For autodialers in FIXED mode, number of simultanious calls (threads) must be specified".
TASK_REQUIRED_BY_MODE: Final[dict[str, tuple[str, ...]]] = {"FIXED": ("threadCount",)}
# repeatCallsSettings.statesSettings.<state>: attempts 0..10 (0 or null: no repeats),
# intervalMinutes 5..1500, needed once attempts is above 0.
REPEAT_RANGES: Final[dict[str, Bounds]] = {"attempts": (0, 10), "intervalMinutes": (5, 1500)}


def out_of_range(name: str, value: object, ranges: dict[str, Bounds] = TASK_RANGES) -> str | None:
    """The rule `value` breaks for field `name` of `ranges`, or None when it keeps it.

    None (absent or null) keeps every range; a bool is no number.
    """
    if value is None:
        return None
    low, high = ranges[name]
    numeric = (int, float) if name in TASK_FRACTIONAL else (int,)
    kind = "a number" if name in TASK_FRACTIONAL else "an integer"
    if isinstance(value, bool) or not isinstance(value, numeric):
        return f"must be {kind}"
    if low is not None and value < low:
        return f"must be {_bounds_text(low, high)}"
    if high is not None and value > high:
        return f"must be {_bounds_text(low, high)}"
    return None


def _bounds_text(low: float | None, high: float | None) -> str:
    if high is None:
        return f">= {low:g}"
    return f"{low:g}..{high:g}"


# --- Dictionary callState ----------------------------------------------------------------------
# State -> (flags, title). Flags in the reference's column order: available for automatic
# repeat calling, available for REFRESH, indicates possible problems, is a call's state.
CALL_STATES: Final[dict[str, tuple[str, str]]] = {
    "NEW": ("----", "Not processed"),
    "DIALING": ("----", "In the process of calling"),
    "ANSWER": ("-+-+", "Answered by subscriber and operator"),
    "ANSW_RJCT": ("++-+", "Answered by the subscriber and there was no call to the operators"),
    "NOANSWER": ("++-+", "No answer"),
    "BUSY": ("++-+", "Busy or reset"),
    "FAIL": ("++-+", "Connection failure"),
    "BLOCKED": ("-+--", "Blocked"),
    "TALKING": ("++-+", "Answering machine: the caller is talking"),
    "UNREACHABLE": ("++-+", "Answering machine: the caller is unavailable"),
    "NOT_EXIST": ("++-+", "Answering machine: number does not exist"),
    "VOICE_MAIL": ("++-+", "Answering machine: voice mail"),
    "CLIENT_CALLED": ("-+--", "The caller made the call himself or it was an outgoing call"),
    "CANCEL": ("-+--", "Canceled"),
    "ANSW_NF_OP": ("++++", "Answered by a subscriber and there were no available operators"),
    "ANSW_OP_NA": ("++++", "Answered by a subscriber and operators did not accept the call"),
    "BUSYOUT": ("++++", "Not enough lines"),
    "AUDIO_ERR": ("-+++", "Audio error"),
    "WRONG_DIR": ("-+++", "Wrong direction"),
    "AUTOCANCEL": ("-++-", "Canceled automatically"),
}


# --- Billing ("Pricing"): processing time -> request units --------------------------------------
COST_TIERS_MS: Final = ((50.0, 1), (200.0, 2), (500.0, 3), (1000.0, 4))
MAX_COST_UNITS: Final = 5


def cost_units(processing_ms: float) -> int:
    """Request units the service bills for one request that took `processing_ms` to process."""
    for bound, units in COST_TIERS_MS:
        if processing_ms < bound:
            return units
    return MAX_COST_UNITS


# --- Error messages --------------------------------------------------------------------------
class ErrorKind(StrEnum):
    """What an error answer means to a caller; each maps to one exception class."""

    AUTHENTICATION = "authentication"
    NOT_FOUND = "not_found"
    BAD_REQUEST = "bad_request"
    INVALID_ITEMS = "invalid_items"  # bad request whose `data` lists the rejected items
    CONFLICT = "conflict"
    LIMIT_EXCEEDED = "limit_exceeded"
    BILLING = "billing"
    BUSY = "busy"  # not processed: safe to retry after a pause
    RATE_LIMITED = "rate_limited"
    BLOCKED = "blocked"  # permanent block of the key
    UNAVAILABLE = "unavailable"


K = ErrorKind

# Every error message the reference lists, with its meaning. Messages ending in a detail
# ("Operator not found: 1000") are in ERROR_PREFIXES. The sandbox answers with these texts.
ERROR_MESSAGES: Final[dict[str, ErrorKind]] = {
    # Autodialer ADD / UPDATE
    "task is null": K.BAD_REQUEST,
    "Please confirm phone number": K.BILLING,
    "Billing not allow": K.BILLING,
    "Task not found": K.NOT_FOUND,
    "groupId and pseudoGroupOperators is null": K.BAD_REQUEST,
    "Group not found": K.NOT_FOUND,
    "Wrong group type": K.BAD_REQUEST,
    "Moh not found": K.NOT_FOUND,
    "Wrong audio type: moh": K.BAD_REQUEST,
    "In scenario not found": K.NOT_FOUND,
    "Not found in scenario and audio": K.BAD_REQUEST,
    "voiceSecretaryId is null": K.BAD_REQUEST,
    "Voice secretary not found": K.NOT_FOUND,
    "Wrong name": K.BAD_REQUEST,
    "Name already present": K.CONFLICT,
    "Not found out scenario": K.NOT_FOUND,
    "Wrong dates": K.BAD_REQUEST,
    "Wrong time ranges": K.BAD_REQUEST,
    "Prefix is too long": K.BAD_REQUEST,
    "Handler is busy, try again later": K.BUSY,
    "Wrong numbers": K.INVALID_ITEMS,
    "Repeat call states is empty": K.BAD_REQUEST,
    "Repeat call state is not allowed": K.BAD_REQUEST,
    "Not found text to speech settings": K.NOT_FOUND,
    "Wrong trigger action event": K.BAD_REQUEST,
    "triggerActionIds is null": K.BAD_REQUEST,
    "Too many trigger actions": K.BAD_REQUEST,
    "Trigger action not found": K.NOT_FOUND,
    "Few trigger actions with same type": K.BAD_REQUEST,
    "Not compatible trigger action": K.BAD_REQUEST,
    "crmMode is null": K.BAD_REQUEST,
    "clientCalledMode is null": K.BAD_REQUEST,
    "Tasks limit exceeded": K.LIMIT_EXCEEDED,
    # REFRESH / CANCEL / PAUSE / UNPAUSE
    "states is null or empty": K.BAD_REQUEST,
    "state is not allowed": K.BAD_REQUEST,
    "Try again later": K.BUSY,
    "Numbers not found by states": K.NOT_FOUND,
    "Task is finished": K.CONFLICT,
    "Task is canceled": K.CONFLICT,
    # ADD_NUMBERS / GET_NUMBER(S) / GET_CALLS_HISTORY / REMOVE_NUMBERS
    "Numbers is null or empty": K.BAD_REQUEST,
    "Too many numbers": K.BAD_REQUEST,
    "Numbers limit exceeded": K.LIMIT_EXCEEDED,
    "Numbers not added": K.CONFLICT,
    "Wrong audios": K.INVALID_ITEMS,
    "Too many params": K.BAD_REQUEST,
    "Wrong parameter key": K.BAD_REQUEST,
    "Wrong phone number": K.BAD_REQUEST,
    "Call not found": K.NOT_FOUND,
    "Limit range is 1-5000": K.BAD_REQUEST,
    "Offset cannot be negative": K.BAD_REQUEST,
    "Offset is less than 0": K.BAD_REQUEST,
    "callHistoryRequest is null": K.BAD_REQUEST,
    "Invalid date from": K.BAD_REQUEST,
    "Invalid date to": K.BAD_REQUEST,
    "numbers and states is null": K.BAD_REQUEST,
    "Phones not found": K.BAD_REQUEST,
    "Numbers not found": K.NOT_FOUND,
    # /phones/directCall
    "Sip not found": K.NOT_FOUND,
    "Sip not ready": K.UNAVAILABLE,
    "Wrong phone": K.BAD_REQUEST,
    "Meta info is too big": K.BAD_REQUEST,
    # /calls/originateNew
    "Call already in progress": K.CONFLICT,
    "Outer line not found": K.NOT_FOUND,
    "Outer line is tracked": K.BAD_REQUEST,
    "No audio and IVR": K.BAD_REQUEST,
    "IVR can be used for SIPs only": K.BAD_REQUEST,
    "Service not paid": K.BILLING,
    "Limit of Simultaneously calls has reached": K.BUSY,
    # /calls/hangup, /calls/connectAsPrompter
    "Empty request": K.BAD_REQUEST,
    "Target not found": K.NOT_FOUND,
    "Target is not in call": K.CONFLICT,
    "Source not found": K.NOT_FOUND,
    "Source is offline": K.UNAVAILABLE,
    # /calls/analytics/create
    "Only 50 concurrent requests are allowed": K.BUSY,
    "Call does not exist": K.NOT_FOUND,
    "Profile does not exist": K.NOT_FOUND,
    "Analytics is not available for this call": K.BAD_REQUEST,
    "Voice analytics is already in progress": K.CONFLICT,
    "Voice analytics is not available": K.UNAVAILABLE,
    "Insufficient funds": K.BILLING,
    # /audio/tts (request-level and per-item errors)
    "Allowed only one simultaneous text to speech request per project": K.BUSY,
    "data is null": K.BAD_REQUEST,
    "data is empty": K.BAD_REQUEST,
    "Too many elements in data": K.BAD_REQUEST,
    "type is null": K.BAD_REQUEST,
    "Name is empty": K.BAD_REQUEST,
    "Name length more than 200 chars": K.BAD_REQUEST,
    "Same name already present": K.CONFLICT,
    "tts is null": K.BAD_REQUEST,
    "Text to speech ‘text’ and ‘ssml’ is null": K.BAD_REQUEST,
    "Text to speech ‘text’ not valid": K.BAD_REQUEST,
    "Text to speech ‘ssml’ not valid": K.BAD_REQUEST,
    "Text to speech ‘settingsId’ is null": K.BAD_REQUEST,
    "Text to speech settings not found by id": K.NOT_FOUND,
    "Text to speech failed": K.UNAVAILABLE,
    "Internal error": K.UNAVAILABLE,
    # /users/workHistory, /operator/statistic, /history/get
    "Future data is absent": K.NOT_FOUND,
    "Wrong FROM date": K.BAD_REQUEST,
    "Wrong TO date": K.BAD_REQUEST,
    "Limit range is 1-1000": K.BAD_REQUEST,
    # /eventHandlers/removeScheduledByPhones
    "Phones is not specified": K.BAD_REQUEST,
    "Too many phones": K.BAD_REQUEST,
    "Invalid phones": K.INVALID_ITEMS,
    "Wait until the previous request is processed": K.BUSY,
    # Incoming webhooks (AUTODIAL_ADD / AUTODIAL_REMOVE)
    "Token not found": K.AUTHENTICATION,
    "Action not found": K.BAD_REQUEST,
    "Id is null": K.BAD_REQUEST,
    "Autodial not found": K.NOT_FOUND,
    "Empty phones": K.BAD_REQUEST,
    "Phones not added": K.CONFLICT,
    "Calls not found": K.NOT_FOUND,
    # /message/send, /message/sendBulk, /message/getStatus
    "Message service not connected": K.UNAVAILABLE,
    "Validation error": K.BAD_REQUEST,
    "UniTalk did not allow sending": K.BILLING,
    "Service response": K.UNAVAILABLE,
    "Unknown error": K.UNAVAILABLE,
    "messagesType is null": K.BAD_REQUEST,
    "Messages not specified": K.BAD_REQUEST,
    "Too many messages": K.BAD_REQUEST,
    "messages is empty": K.BAD_REQUEST,
    "messages contains null key": K.BAD_REQUEST,
    "messages contains null value": K.BAD_REQUEST,
    "Too many recipients": K.BAD_REQUEST,
    "recipients is empty": K.BAD_REQUEST,
    "recipients contains null": K.BAD_REQUEST,
    "text is null or empty": K.BAD_REQUEST,
    "Invalid id": K.BAD_REQUEST,
    "Message not found": K.NOT_FOUND,
    # /messageDistribution/*
    "The project does not have a messaging service connected": K.UNAVAILABLE,
    "The name cannot be empty or contain more than 45 characters": K.BAD_REQUEST,
    "The name already exists": K.CONFLICT,
    "No customer numbers are listed": K.BAD_REQUEST,
    "There can be no more than 10000 numbers in the message distribution": K.BAD_REQUEST,
    "Incorrect time format": K.BAD_REQUEST,
    "id is not specified": K.BAD_REQUEST,
    "Message distribution not found": K.NOT_FOUND,
    "Message distribution completed": K.CONFLICT,
    # /widget/*
    "No users was specified for notifications send": K.BAD_REQUEST,
    "Data fields is all null": K.BAD_REQUEST,
    "No users with connected chrome extension was found": K.NOT_FOUND,
    "No users was specified for notifications hide": K.BAD_REQUEST,
    "NotificationId not specified": K.BAD_REQUEST,
    "The specified users are not found or chrome extension not connected": K.NOT_FOUND,
}

# Messages that carry a detail after a fixed start; matched by prefix, longest first.
ERROR_PREFIXES: Final[dict[str, ErrorKind]] = {
    "Operator not found: ": K.NOT_FOUND,  # "Operator not found: …"
    "User with id ": K.NOT_FOUND,  # "User with id *xxxx* not found"
    "audios: ": K.BAD_REQUEST,  # /calls/originateNew "audios: Too many audios", ...
    "compositeAudio": K.BAD_REQUEST,  # "compositeAudio" + reason
    "Validation error": K.BAD_REQUEST,
    "Service response": K.UNAVAILABLE,
    "UniTalk did not allow sending": K.BILLING,
}

# The service's answer to a missing or wrong key. The reference does not print it; public
# connectors that talk to the real API match this text, and its earlier server sent it with
# HTTP 200 (README "API notes"). So the text decides, whatever the HTTP status.
MSG_AUTHORIZATION_INVALID: Final = "Authorization invalid"

# Answers the reference does not spell out; these are our decisions (README "API notes"),
# and the sandbox uses exactly these texts.
MSG_UNAUTHORIZED: Final = "Unauthorized"  # kept: a proxy in front of the service may say it
MSG_TEMPORARILY_BLOCKED: Final = "Too many requests, temporarily blocked"
MSG_PERMANENTLY_BLOCKED: Final = "API key is permanently blocked"
MSG_TOO_MANY_IN_FLIGHT: Final = "Too many simultaneous requests"
MSG_TOO_MANY_PER_SECOND: Final = "Too many requests per second"

ERROR_MESSAGES.update(
    {
        MSG_AUTHORIZATION_INVALID: K.AUTHENTICATION,
        MSG_UNAUTHORIZED: K.AUTHENTICATION,
        MSG_TEMPORARILY_BLOCKED: K.RATE_LIMITED,
        MSG_PERMANENTLY_BLOCKED: K.BLOCKED,
        MSG_TOO_MANY_IN_FLIGHT: K.RATE_LIMITED,
        MSG_TOO_MANY_PER_SECOND: K.RATE_LIMITED,
    }
)


def classify_message(message: str) -> ErrorKind | None:
    """The kind of a service error message, or None for a message the reference does not list."""
    kind = ERROR_MESSAGES.get(message)
    if kind is not None:
        return kind
    for prefix in sorted(ERROR_PREFIXES, key=len, reverse=True):
        if message.startswith(prefix):
            return ERROR_PREFIXES[prefix]
    return None
