"""The autodialer dictionaries of the reference ("Dictionaries" under "Autodialer") as data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from unitalk_async import _reference as ref


@dataclass(frozen=True, slots=True)
class CallStateInfo:
    """One row of the reference's `callState` table."""

    state: str
    title: str
    repeatable: bool  # allowed in repeatCallStates / repeatCallsSettings
    refreshable: bool  # allowed in REFRESH's callStates
    warning: bool
    is_call_state: bool  # a state a finished call can end in


def _row(state: str, title: str, flags: str) -> CallStateInfo:
    repeat, refresh, warn, call = (flag == "+" for flag in flags)
    return CallStateInfo(state, title, repeat, refresh, warn, call)


CALL_STATES: Final[tuple[CallStateInfo, ...]] = tuple(
    _row(state, title, flags) for state, (flags, title) in ref.CALL_STATES.items()
)
CALL_STATE_BY_NAME: Final = {row.state: row for row in CALL_STATES}
ALL_STATES: Final = frozenset(CALL_STATE_BY_NAME)
REFRESHABLE_STATES: Final = frozenset(row.state for row in CALL_STATES if row.refreshable)
REPEATABLE_STATES: Final = frozenset(row.state for row in CALL_STATES if row.repeatable)
# "Done" means processed: every state but the two a number is in before its call ends.
DONE_STATES: Final = frozenset(ALL_STATES - {"NEW", "DIALING"})
# The outcomes simulated calls end in, with weights (answered calls dominate).
SIMULATED_OUTCOMES: Final[tuple[tuple[str, int], ...]] = (
    ("ANSWER", 40),
    ("NOANSWER", 25),
    ("BUSY", 12),
    ("ANSW_RJCT", 8),
    ("FAIL", 5),
    ("VOICE_MAIL", 4),
    ("UNREACHABLE", 3),
    ("ANSW_NF_OP", 2),
    ("NOT_EXIST", 1),
)

TASK_STATUSES: Final[dict[str, str]] = {
    "NO_NUMBERS": "No numbers have been added",
    "IN_PROGRESS": "Dialling at the moment",
    "WAITING": "Waiting for the start of the autodial",
    "WAITING_OPERATORS": "Waiting for free operators",
    "WAITING_REPEAT": "Waiting for the “Repeat call” setting to be triggered",
    "PAUSED": "On pause",
    "CANCELED": "Canceled, but not completed yet (some of the call numbers are in DIALING status)",
    "FINISHED": "Completed",
}
AUTODIALER_TYPES: Final[dict[str, str]] = {
    "AUTODIAL": "Autodialer",
    "GUARANTEED_DIAL": "Guaranteed autodialer",
    "VOICE_ROBOT": "Voice robot",
}
AUTODIALER_MODES: Final[dict[str, str]] = {
    "FIXED": "By number of threads",
    "FREE": "By free operators",
    "SMART": "Smart selection",
}
CRM_MODES: Final = frozenset({"DONT_SEND", "SEND_ANSWERED", "SEND_SUCCESS", "ALL_CALLS"})
CLIENT_CALLED_MODES: Final = frozenset({"NEVER", "ANSWERED_CALLS", "ALL_CALLS"})

DYNAMIC_VALUES: Final[dict[str, str]] = {
    "NA": "Autodialer number: name",
    "NO": "Autodialer number: note",
    "LI": "Autodialer number: data for Web Dialer",
    **{f"P{i}": f"Autodialer number: parameter #{i}" for i in range(1, 11)},
}
WITHDRAWAL_CATEGORIES: Final[dict[str, str]] = {
    "CALL": "Making calls",
    "AUTODIALER": "Autodialer",
    "VOICE_SECRETARY": "Voice secretary",
    "TEXT_TO_SPEECH": "Speech synthesis",
    "SPEECH_RECOGNITION": "Speech recognition",
    "VOICE_ANALYTICS": "Speech analytics",
    "ANSWERING_MACHINE_DETECTION": "Answering machine detection",
    "MESSAGE_SERVICE_MESSAGE": "Sending messages",
}

TRIGGER_ACTION_EVENTS: Final[dict[str, str]] = {
    "AUTODIAL_ANSWER": "Call completed – answered by subscriber and operator",
    "AUTODIAL_ANSW_RJCT": "Call completed – answered by the subscriber and there was no call to the"
    " operators",
    "AUTODIAL_ANSW_NF_OP": "Call completed – answered by a subscriber and there were no available"
    " operators",
    "AUTODIAL_ANSW_OP_NA": "Call completed – answered by the subscriber and the operators did not"
    " accept the call",
    "AUTODIAL_NOANSWER": "Call completed – no answer",
    "AUTODIAL_BUSY": "Call completed – busy or reset",
    "AUTODIAL_CALL_FAIL": "Call completed – connection failure",
    "AUTODIAL_TALKING": "Call completed – the caller is talking",
    "AUTODIAL_UNREACHABLE": "Call completed – the caller is unavailable",
    "AUTODIAL_NOT_EXIST": "Call completed – the number does not exist",
    "AUTODIAL_BUSYOUT": "Call completed – not enough lines",
    "AUTODIAL_WRONG_DIR": "Call completed – wrong direction",
    "AUTODIAL_AUDIO_ERR": "Call completed – audio error",
    "AUTODIAL_NUMBER_BLOCKED": "Phone number is blocked by the project settings",
    "AUTODIAL_REPEAT_ATTEMPTS_ENDED": (
        "Сall completed unsuccessfully and the number of re-ring attempts has been exceeded"
    ),
    "AUTODIAL_CLIENT_CALLED": "The caller made the call himself or it was an outgoing call",
    "AUTODIAL_USER_PAUSED": "User paused by autodialer. Only available for guaranteed autodial",
    "AUTODIAL_STATUS_CHANGED": "Autodialer status changed",
    "AUTODIAL_CANCEL": "Autodialer is canceled",
    "AUTODIAL_AUTOCANCEL": "Autodialer canceled automatically",
    "AUTODIAL_FINISH": "Autodialing completed",
}
# Events about a single call, versus events about the autodialer as a whole; trigger actions
# in the generated project are compatible with one family or both.
CALL_EVENTS: Final = frozenset(
    event
    for event in TRIGGER_ACTION_EVENTS
    if event
    not in {
        "AUTODIAL_STATUS_CHANGED",
        "AUTODIAL_CANCEL",
        "AUTODIAL_AUTOCANCEL",
        "AUTODIAL_FINISH",
        "AUTODIAL_USER_PAUSED",
    }
)
TASK_EVENTS: Final = frozenset(TRIGGER_ACTION_EVENTS) - CALL_EVENTS
# The event a call ending in a state raises (VOICE_MAIL, CANCEL... raise none).
STATE_EVENTS: Final[dict[str, str]] = {
    **{
        state: f"AUTODIAL_{state}"
        for state in ALL_STATES
        if f"AUTODIAL_{state}" in TRIGGER_ACTION_EVENTS
    },
    "FAIL": "AUTODIAL_CALL_FAIL",
    "BLOCKED": "AUTODIAL_NUMBER_BLOCKED",
}

VOICE_SECRETARY_END_NODE_TYPES: Final = (
    "INTERMEDIATE",
    "END_SUCCESS",
    "END_FAIL",
    "BACKGROUND",
    "BACKGROUND_DEFER",
)
VOICE_SECRETARY_END_REASONS: Final = (
    "NORMAL",
    "USER_REJECT",
    "GREETING_SILENCE",
    "ANSWERING_MACHINE",
    "RECOGNITION_ERROR",
    "JUMP_LIMIT",
    "NODE_LIMIT",
    "FAIL",
)
