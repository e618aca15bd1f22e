"""The reference's dictionaries as string enums, shared by every model.

Every enum is an `OpenStrEnum`: a value the reference does not list (the service adds some
over time) decodes to a cached pseudo-member instead of failing the whole page, and encodes
back unchanged. `member.is_known` tells the two apart.
"""

from __future__ import annotations

import threading
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Final, Literal, TypeAlias

from unitalk_async._reference import CALL_STATES

__all__ = [
    "AudioType",
    "AudioTypeLike",
    "AudioTypeLiteral",
    "AutodialAction",
    "AutodialerMode",
    "AutodialerModeLike",
    "AutodialerModeLiteral",
    "AutodialerType",
    "BalanceOperationType",
    "C2cStepType",
    "C2cStepTypeLike",
    "C2cStepTypeLiteral",
    "CallDirection",
    "CallDirectionLike",
    "CallDirectionLiteral",
    "CallEvent",
    "CallSource",
    "CallState",
    "CallStateLike",
    "CallStateLiteral",
    "ClientCalledMode",
    "ClientCalledModeLike",
    "ClientCalledModeLiteral",
    "CrmMode",
    "CrmModeLike",
    "CrmModeLiteral",
    "DictionaryType",
    "DictionaryTypeLike",
    "DictionaryTypeLiteral",
    "DistributionStatus",
    "DynamicValue",
    "IncomingWebhookAction",
    "IvrActionType",
    "LineStatus",
    "ListName",
    "ListNameLike",
    "ListNameLiteral",
    "ListOperation",
    "ListOperationLike",
    "ListOperationLiteral",
    "MessageStatus",
    "MessageType",
    "MessageTypeLike",
    "MessageTypeLiteral",
    "OpenStrEnum",
    "TaskStatus",
    "TriggerActionEvent",
    "TriggerActionEventLike",
    "TriggerActionEventLiteral",
    "UserRole",
    "ViberMessageType",
    "ViberMessageTypeLike",
    "ViberMessageTypeLiteral",
    "VoiceSecretaryEndNodeType",
    "VoiceSecretaryEndNodeTypeLike",
    "VoiceSecretaryEndNodeTypeLiteral",
    "VoiceSecretaryEndReason",
    "VoiceSecretaryEndReasonLike",
    "VoiceSecretaryEndReasonLiteral",
    "WebhookCallState",
    "WithdrawalCategory",
    "WorkStatus",
    "WorkStatusLike",
    "WorkStatusLiteral",
]

_PSEUDO_MEMBERS: dict[tuple[type, str], Any] = {}
_PSEUDO_LOCK = threading.Lock()


class OpenStrEnum(StrEnum):
    """A `StrEnum` that accepts values it does not list (as cached pseudo-members)."""

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, str):
            return None
        key = (cls, value)
        member = _PSEUDO_MEMBERS.get(key)
        if member is None:
            with _PSEUDO_LOCK:
                member = _PSEUDO_MEMBERS.get(key)
                if member is None:
                    member = str.__new__(cls, value)
                    member._name_ = value
                    member._value_ = value
                    _PSEUDO_MEMBERS[key] = member
        return member

    @property
    def is_known(self) -> bool:
        """True when the reference lists this value (False for a decoded unknown one)."""
        return self._name_ in type(self).__members__


# --- Autodialer ---------------------------------------------------------------------------------
class AutodialAction(OpenStrEnum):
    """The `action` of /autodial/action."""

    GET_LIST = "GET_LIST"
    GET_WITH_DATA = "GET_WITH_DATA"
    ADD = "ADD"
    UPDATE = "UPDATE"
    REMOVE = "REMOVE"
    REFRESH = "REFRESH"
    CANCEL = "CANCEL"
    PAUSE = "PAUSE"
    UNPAUSE = "UNPAUSE"
    ADD_NUMBERS = "ADD_NUMBERS"
    GET_NUMBER = "GET_NUMBER"
    GET_NUMBERS = "GET_NUMBERS"
    GET_CALLS_HISTORY = "GET_CALLS_HISTORY"
    REMOVE_NUMBERS = "REMOVE_NUMBERS"
    REMOVE_ALL_NUMBERS = "REMOVE_ALL_NUMBERS"


class AutodialerType(OpenStrEnum):
    """Dictionary `autodialerType`."""

    AUTODIAL = "AUTODIAL"
    GUARANTEED_DIAL = "GUARANTEED_DIAL"
    VOICE_ROBOT = "VOICE_ROBOT"


class AutodialerMode(OpenStrEnum):
    """Dictionary `autodialerMode`."""

    FIXED = "FIXED"
    FREE = "FREE"
    SMART = "SMART"


class TaskStatus(OpenStrEnum):
    """Dictionary `taskStatus`: the status of an autodialer."""

    NO_NUMBERS = "NO_NUMBERS"
    # The CANCEL/PAUSE prose names a status NEW the dictionary lacks; README "API notes":
    # it is NO_NUMBERS. An alias, and "NEW" on the wire decodes to NO_NUMBERS.
    NEW = "NO_NUMBERS"
    IN_PROGRESS = "IN_PROGRESS"
    WAITING = "WAITING"
    WAITING_OPERATORS = "WAITING_OPERATORS"
    WAITING_REPEAT = "WAITING_REPEAT"
    PAUSED = "PAUSED"
    CANCELED = "CANCELED"
    FINISHED = "FINISHED"

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if value == "NEW":
            return cls.NO_NUMBERS
        return super()._missing_(value)


class CallState(OpenStrEnum):
    """Dictionary `callState`: the state of an autodialer number / the end state of its call.

    The reference's flag columns are properties: `repeatable` (allowed in repeat-call
    settings), `refreshable` (allowed in REFRESH), `warning` (a possible problem in the
    autodialer or telephony settings), `is_call_state` (a state a finished call can end in).
    Unknown states have every flag False.
    """

    NEW = "NEW"
    DIALING = "DIALING"
    ANSWER = "ANSWER"
    ANSW_RJCT = "ANSW_RJCT"
    NOANSWER = "NOANSWER"
    BUSY = "BUSY"
    FAIL = "FAIL"
    BLOCKED = "BLOCKED"
    TALKING = "TALKING"
    UNREACHABLE = "UNREACHABLE"
    NOT_EXIST = "NOT_EXIST"
    VOICE_MAIL = "VOICE_MAIL"
    CLIENT_CALLED = "CLIENT_CALLED"
    CANCEL = "CANCEL"
    ANSW_NF_OP = "ANSW_NF_OP"
    ANSW_OP_NA = "ANSW_OP_NA"
    BUSYOUT = "BUSYOUT"
    AUDIO_ERR = "AUDIO_ERR"
    WRONG_DIR = "WRONG_DIR"
    AUTOCANCEL = "AUTOCANCEL"

    @property
    def description(self) -> str:
        """The reference's name of the state (the value itself when unknown)."""
        return CALL_STATE_TITLES.get(self.value, self.value)

    @property
    def repeatable(self) -> bool:
        return self.value in REPEATABLE_CALL_STATES

    @property
    def refreshable(self) -> bool:
        return self.value in REFRESHABLE_CALL_STATES

    @property
    def warning(self) -> bool:
        return self.value in WARNING_CALL_STATES

    @property
    def is_call_state(self) -> bool:
        return self.value in CALL_END_STATES


def _flags(column: int) -> frozenset[str]:
    return frozenset(state for state, flags in _CALL_STATE_FLAGS.items() if flags[column] == "+")


_CALL_STATE_FLAGS: Final[dict[str, str]] = {s: flags for s, (flags, _) in CALL_STATES.items()}
REPEATABLE_CALL_STATES: Final = _flags(0)
REFRESHABLE_CALL_STATES: Final = _flags(1)
WARNING_CALL_STATES: Final = _flags(2)
CALL_END_STATES: Final = _flags(3)
CALL_STATE_TITLES: Final[dict[str, str]] = {s: title for s, (_, title) in CALL_STATES.items()}


class TriggerActionEvent(OpenStrEnum):
    """Dictionary `triggerActionEvent`: autodialer and autodialer-call events."""

    AUTODIAL_ANSWER = "AUTODIAL_ANSWER"
    AUTODIAL_ANSW_RJCT = "AUTODIAL_ANSW_RJCT"
    AUTODIAL_ANSW_NF_OP = "AUTODIAL_ANSW_NF_OP"
    AUTODIAL_ANSW_OP_NA = "AUTODIAL_ANSW_OP_NA"
    AUTODIAL_NOANSWER = "AUTODIAL_NOANSWER"
    AUTODIAL_BUSY = "AUTODIAL_BUSY"
    AUTODIAL_CALL_FAIL = "AUTODIAL_CALL_FAIL"
    AUTODIAL_TALKING = "AUTODIAL_TALKING"
    AUTODIAL_UNREACHABLE = "AUTODIAL_UNREACHABLE"
    AUTODIAL_NOT_EXIST = "AUTODIAL_NOT_EXIST"
    AUTODIAL_BUSYOUT = "AUTODIAL_BUSYOUT"
    AUTODIAL_WRONG_DIR = "AUTODIAL_WRONG_DIR"
    AUTODIAL_AUDIO_ERR = "AUTODIAL_AUDIO_ERR"
    AUTODIAL_NUMBER_BLOCKED = "AUTODIAL_NUMBER_BLOCKED"
    AUTODIAL_REPEAT_ATTEMPTS_ENDED = "AUTODIAL_REPEAT_ATTEMPTS_ENDED"
    AUTODIAL_CLIENT_CALLED = "AUTODIAL_CLIENT_CALLED"
    AUTODIAL_USER_PAUSED = "AUTODIAL_USER_PAUSED"
    AUTODIAL_STATUS_CHANGED = "AUTODIAL_STATUS_CHANGED"
    AUTODIAL_CANCEL = "AUTODIAL_CANCEL"
    AUTODIAL_AUTOCANCEL = "AUTODIAL_AUTOCANCEL"
    AUTODIAL_FINISH = "AUTODIAL_FINISH"


class DynamicValue(OpenStrEnum):
    """Dictionary `audioSynthesisDynamicValues`: number fields speech synthesis can read."""

    NA = "NA"  # name
    NO = "NO"  # note
    LI = "LI"  # data for Web Dialer
    P1 = "P1"
    P2 = "P2"
    P3 = "P3"
    P4 = "P4"
    P5 = "P5"
    P6 = "P6"
    P7 = "P7"
    P8 = "P8"
    P9 = "P9"
    P10 = "P10"


class WithdrawalCategory(OpenStrEnum):
    """GET_WITH_DATA `withdrawalCategories`: what a charge was for."""

    CALL = "CALL"
    AUTODIALER = "AUTODIALER"
    VOICE_SECRETARY = "VOICE_SECRETARY"
    TEXT_TO_SPEECH = "TEXT_TO_SPEECH"
    SPEECH_RECOGNITION = "SPEECH_RECOGNITION"
    VOICE_ANALYTICS = "VOICE_ANALYTICS"
    ANSWERING_MACHINE_DETECTION = "ANSWERING_MACHINE_DETECTION"
    MESSAGE_SERVICE_MESSAGE = "MESSAGE_SERVICE_MESSAGE"


class CrmMode(OpenStrEnum):
    """`crmMode`: which autodialer calls are sent to the CRM."""

    DONT_SEND = "DONT_SEND"
    SEND_ANSWERED = "SEND_ANSWERED"
    SEND_SUCCESS = "SEND_SUCCESS"
    ALL_CALLS = "ALL_CALLS"


class ClientCalledMode(OpenStrEnum):
    """`clientCalledMode`: when to skip numbers of subscribers who called in."""

    NEVER = "NEVER"
    ANSWERED_CALLS = "ANSWERED_CALLS"
    ALL_CALLS = "ALL_CALLS"


class VoiceSecretaryEndNodeType(OpenStrEnum):
    """Dictionary `voiceSecretaryEndNodeTypes`."""

    INTERMEDIATE = "INTERMEDIATE"
    END_SUCCESS = "END_SUCCESS"
    END_FAIL = "END_FAIL"
    BACKGROUND = "BACKGROUND"
    BACKGROUND_DEFER = "BACKGROUND_DEFER"


class VoiceSecretaryEndReason(OpenStrEnum):
    """Dictionary `voiceSecretaryEndReasons`."""

    NORMAL = "NORMAL"
    USER_REJECT = "USER_REJECT"
    GREETING_SILENCE = "GREETING_SILENCE"
    ANSWERING_MACHINE = "ANSWERING_MACHINE"
    RECOGNITION_ERROR = "RECOGNITION_ERROR"
    JUMP_LIMIT = "JUMP_LIMIT"
    NODE_LIMIT = "NODE_LIMIT"
    FAIL = "FAIL"


# --- Calls, audio, lists, users -----------------------------------------------------------------
class AudioType(OpenStrEnum):
    """The section of a project audio (/audio/upload, /audio/tts)."""

    GENERAL = "GENERAL"  # scripts
    IVR = "IVR"  # voice menus
    MELODY = "MELODY"  # waiting and queue melodies
    AUTODIAL = "AUTODIAL"  # autodialers
    API = "API"  # API calls


class C2cStepType(OpenStrEnum):
    """`steps[].type` of /calls/originateC2c."""

    GSM = "GSM"
    SIP = "SIP"
    GROUP = "GROUP"


class CallDirection(OpenStrEnum):
    """Call direction (call history filter and webhooks)."""

    IN = "IN"
    OUT = "OUT"
    INNER = "INNER"


class CallSource(OpenStrEnum):
    """The `source` field of call webhooks and call history."""

    REGULAR = "REGULAR"
    TRACKING = "TRACKING"
    CLICK2CALL = "CLICK2CALL"
    LEAD_CATCHER = "LEAD_CATCHER"
    FORM = "FORM"
    CALLBACK = "CALLBACK"
    AUTO_CB = "AUTO_CB"
    AUTODIAL = "AUTODIAL"
    API_CALL = "API_CALL"
    C2C_API = "C2C_API"


class WebhookCallState(OpenStrEnum):
    """The `state` field of call webhooks and call history (not the autodialer `callState`)."""

    ANSWER = "ANSWER"
    BUSY = "BUSY"
    FAIL = "FAIL"
    NOANSWER = "NOANSWER"
    CHANUNAVAIL = "CHANUNAVAIL"
    NOMONEY = "NOMONEY"
    BUSYOUT = "BUSYOUT"
    WRONGDIR = "WRONGDIR"
    BLOCKED = "BLOCKED"
    DIALING = "DIALING"
    UNREACHABLE = "UNREACHABLE"
    NOT_EXIST = "NOT_EXIST"


class CallEvent(OpenStrEnum):
    """The `event` of call webhooks ("Standard JSON for call events") and routing."""

    CALL_NEW = "CALL_NEW"
    CALL_REDIRECT = "CALL_REDIRECT"
    CALL_ANSWER = "CALL_ANSWER"
    CALL_END = "CALL_END"
    ROUTE = "ROUTE"


class IvrActionType(OpenStrEnum):
    """`actionType` of voice menu webhooks."""

    MAIN = "MAIN"
    NO_CHOICE = "NO_CHOICE"
    WRONG_DIGIT = "WRONG_DIGIT"


class BalanceOperationType(OpenStrEnum):
    """`type` of the "Balance movement" webhook."""

    MAIN_REFILL = "MAIN_REFILL"
    BONUS_REFILL = "BONUS_REFILL"
    CALL = "CALL"
    SMS = "SMS"
    SERVICES = "SERVICES"


class IncomingWebhookAction(OpenStrEnum):
    """`action` of incoming webhooks."""

    AUTODIAL_ADD = "AUTODIAL_ADD"
    AUTODIAL_REMOVE = "AUTODIAL_REMOVE"


class ListName(OpenStrEnum):
    """The `list` of /lists."""

    BLOCKED_PHONES = "BLOCKED_PHONES"
    BLOCKED_FOR_AUTODIAL_PHONES = "BLOCKED_FOR_AUTODIAL_PHONES"


class ListOperation(OpenStrEnum):
    """The `operation` of /lists."""

    GET = "GET"
    ADD = "ADD"
    REMOVE = "REMOVE"


class WorkStatus(OpenStrEnum):
    """A user's work status (/users/*, /phones/inner/setStatus)."""

    WORK = "WORK"
    STOP = "STOP"
    PAUS = "PAUS"


class LineStatus(OpenStrEnum):
    """The status of an internal line (/phones/inner)."""

    ONLINE = "online"
    BUSY = "busy"
    OFFLINE = "offline"


class UserRole(OpenStrEnum):
    """A user's role in the project; the reference shows only ADMIN (others decode as open)."""

    ADMIN = "ADMIN"


# --- Messages and distributions -----------------------------------------------------------------
class MessageType(OpenStrEnum):
    """`messageType` / `messagesType` of messages and distributions."""

    SMS = "SMS"
    VIBER = "VIBER"


class ViberMessageType(OpenStrEnum):
    """`viberMessageType` of Viber distributions."""

    PROMO = "PROMO"
    TRANSACTIONAL = "TRANSACTIONAL"
    CAROUSEL = "CAROUSEL"


class MessageStatus(OpenStrEnum):
    """Sending status of a message (/message/getStatus)."""

    SENT = "SENT"
    DELIVERED = "DELIVERED"
    NOT_DELIVERED = "NOT_DELIVERED"
    ERROR = "ERROR"


class DistributionStatus(OpenStrEnum):
    """Status of a message distribution."""

    COMPLETED = "COMPLETED"
    PAUSED = "PAUSED"
    WAITING_START_TIME = "WAITING_START_TIME"
    IN_PROGRESS = "IN_PROGRESS"
    MESSAGE_SERVICE_NOT_CONNECTED = "MESSAGE_SERVICE_NOT_CONNECTED"


# --- /dictionary --------------------------------------------------------------------------------
class DictionaryType(OpenStrEnum):
    """The `type` of /dictionary."""

    IVR = "IVR"
    INNER_PHONE = "INNER_PHONE"
    USER = "USER"
    SITE = "SITE"
    IN_SCENARIO = "IN_SCENARIO"
    OUT_SCENARIO = "OUT_SCENARIO"
    TTS_PROFILE = "TTS_PROFILE"
    STT_PROFILE = "STT_PROFILE"
    PHONE_GROUP = "PHONE_GROUP"
    TRIGGER_ACTION = "TRIGGER_ACTION"
    VOICE_ROBOT = "VOICE_ROBOT"
    MESSAGE_DISTRIBUTION = "MESSAGE_DISTRIBUTION"
    CONTACT_FORMS = "CONTACT_FORMS"
    VOICE_ANALYTICS_PROFILE = "VOICE_ANALYTICS_PROFILE"
    AUDIO_ALL = "AUDIO_ALL"
    AUDIO_GENERAL = "AUDIO_GENERAL"
    AUDIO_IVR = "AUDIO_IVR"
    AUDIO_AUTODIAL = "AUDIO_AUTODIAL"
    AUDIO_MELODY = "AUDIO_MELODY"
    AUDIO_API = "AUDIO_API"
    AUDIO_VOICE_ROBOT = "AUDIO_VOICE_ROBOT"
    AUDIO_VOICE_QUEUE = "AUDIO_VOICE_QUEUE"
    AUTODIAL_ALL = "AUTODIAL_ALL"
    AUTODIAL_AUTODIALER = "AUTODIAL_AUTODIALER"
    AUTODIAL_PREDICTIVE = "AUTODIAL_PREDICTIVE"
    AUTODIAL_ROBOT = "AUTODIAL_ROBOT"


# --- What a caller may type ----------------------------------------------------------------------
# Request fields and method parameters take an enum member or its value as a string literal
# (`autodialer_mode="FIXED"`), so type checkers catch typos without forcing imports. At run
# time each `...Like` is the enum itself: msgspec and the argument checks read the enum, and
# a test proves every literal lists exactly its enum's values.
AudioTypeLiteral = Literal["GENERAL", "IVR", "MELODY", "AUTODIAL", "API"]
AutodialerModeLiteral = Literal["FIXED", "FREE", "SMART"]
C2cStepTypeLiteral = Literal["GSM", "SIP", "GROUP"]
CallDirectionLiteral = Literal["IN", "OUT", "INNER"]
CallStateLiteral = Literal[
    "NEW",
    "DIALING",
    "ANSWER",
    "ANSW_RJCT",
    "NOANSWER",
    "BUSY",
    "FAIL",
    "BLOCKED",
    "TALKING",
    "UNREACHABLE",
    "NOT_EXIST",
    "VOICE_MAIL",
    "CLIENT_CALLED",
    "CANCEL",
    "ANSW_NF_OP",
    "ANSW_OP_NA",
    "BUSYOUT",
    "AUDIO_ERR",
    "WRONG_DIR",
    "AUTOCANCEL",
]
ClientCalledModeLiteral = Literal["NEVER", "ANSWERED_CALLS", "ALL_CALLS"]
CrmModeLiteral = Literal["DONT_SEND", "SEND_ANSWERED", "SEND_SUCCESS", "ALL_CALLS"]
DictionaryTypeLiteral = Literal[
    "IVR",
    "INNER_PHONE",
    "USER",
    "SITE",
    "IN_SCENARIO",
    "OUT_SCENARIO",
    "TTS_PROFILE",
    "STT_PROFILE",
    "PHONE_GROUP",
    "TRIGGER_ACTION",
    "VOICE_ROBOT",
    "MESSAGE_DISTRIBUTION",
    "CONTACT_FORMS",
    "VOICE_ANALYTICS_PROFILE",
    "AUDIO_ALL",
    "AUDIO_GENERAL",
    "AUDIO_IVR",
    "AUDIO_AUTODIAL",
    "AUDIO_MELODY",
    "AUDIO_API",
    "AUDIO_VOICE_ROBOT",
    "AUDIO_VOICE_QUEUE",
    "AUTODIAL_ALL",
    "AUTODIAL_AUTODIALER",
    "AUTODIAL_PREDICTIVE",
    "AUTODIAL_ROBOT",
]
ListNameLiteral = Literal["BLOCKED_PHONES", "BLOCKED_FOR_AUTODIAL_PHONES"]
ListOperationLiteral = Literal["GET", "ADD", "REMOVE"]
MessageTypeLiteral = Literal["SMS", "VIBER"]
TriggerActionEventLiteral = Literal[
    "AUTODIAL_ANSWER",
    "AUTODIAL_ANSW_RJCT",
    "AUTODIAL_ANSW_NF_OP",
    "AUTODIAL_ANSW_OP_NA",
    "AUTODIAL_NOANSWER",
    "AUTODIAL_BUSY",
    "AUTODIAL_CALL_FAIL",
    "AUTODIAL_TALKING",
    "AUTODIAL_UNREACHABLE",
    "AUTODIAL_NOT_EXIST",
    "AUTODIAL_BUSYOUT",
    "AUTODIAL_WRONG_DIR",
    "AUTODIAL_AUDIO_ERR",
    "AUTODIAL_NUMBER_BLOCKED",
    "AUTODIAL_REPEAT_ATTEMPTS_ENDED",
    "AUTODIAL_CLIENT_CALLED",
    "AUTODIAL_USER_PAUSED",
    "AUTODIAL_STATUS_CHANGED",
    "AUTODIAL_CANCEL",
    "AUTODIAL_AUTOCANCEL",
    "AUTODIAL_FINISH",
]
VoiceSecretaryEndNodeTypeLiteral = Literal[
    "INTERMEDIATE", "END_SUCCESS", "END_FAIL", "BACKGROUND", "BACKGROUND_DEFER"
]
VoiceSecretaryEndReasonLiteral = Literal[
    "NORMAL",
    "USER_REJECT",
    "GREETING_SILENCE",
    "ANSWERING_MACHINE",
    "RECOGNITION_ERROR",
    "JUMP_LIMIT",
    "NODE_LIMIT",
    "FAIL",
]
ViberMessageTypeLiteral = Literal["PROMO", "TRANSACTIONAL", "CAROUSEL"]
WorkStatusLiteral = Literal["WORK", "STOP", "PAUS"]

if TYPE_CHECKING:
    AudioTypeLike: TypeAlias = AudioType | AudioTypeLiteral
    AutodialerModeLike: TypeAlias = AutodialerMode | AutodialerModeLiteral
    C2cStepTypeLike: TypeAlias = C2cStepType | C2cStepTypeLiteral
    CallDirectionLike: TypeAlias = CallDirection | CallDirectionLiteral
    CallStateLike: TypeAlias = CallState | CallStateLiteral
    ClientCalledModeLike: TypeAlias = ClientCalledMode | ClientCalledModeLiteral
    CrmModeLike: TypeAlias = CrmMode | CrmModeLiteral
    DictionaryTypeLike: TypeAlias = DictionaryType | DictionaryTypeLiteral
    ListNameLike: TypeAlias = ListName | ListNameLiteral
    ListOperationLike: TypeAlias = ListOperation | ListOperationLiteral
    MessageTypeLike: TypeAlias = MessageType | MessageTypeLiteral
    TriggerActionEventLike: TypeAlias = TriggerActionEvent | TriggerActionEventLiteral
    VoiceSecretaryEndNodeTypeLike: TypeAlias = (
        VoiceSecretaryEndNodeType | VoiceSecretaryEndNodeTypeLiteral
    )
    VoiceSecretaryEndReasonLike: TypeAlias = (
        VoiceSecretaryEndReason | VoiceSecretaryEndReasonLiteral
    )
    ViberMessageTypeLike: TypeAlias = ViberMessageType | ViberMessageTypeLiteral
    WorkStatusLike: TypeAlias = WorkStatus | WorkStatusLiteral
else:
    AudioTypeLike = AudioType
    AutodialerModeLike = AutodialerMode
    C2cStepTypeLike = C2cStepType
    CallDirectionLike = CallDirection
    CallStateLike = CallState
    ClientCalledModeLike = ClientCalledMode
    CrmModeLike = CrmMode
    DictionaryTypeLike = DictionaryType
    ListNameLike = ListName
    ListOperationLike = ListOperation
    MessageTypeLike = MessageType
    TriggerActionEventLike = TriggerActionEvent
    VoiceSecretaryEndNodeTypeLike = VoiceSecretaryEndNodeType
    VoiceSecretaryEndReasonLike = VoiceSecretaryEndReason
    ViberMessageTypeLike = ViberMessageType
    WorkStatusLike = WorkStatus
