"""Every operation of the reference as one row: the rules that differ from call to call.

A row says where a call goes (path, action), what it sends and how (request type, wire),
what comes back (answer type: an `Envelope[...]` or a bare document), whether it may be
sent again (retry class, justified in one line), which governor mutex and lane it takes,
what it costs beyond the API's processing units, which "already done" answers count as
success after a resend, and the label its statistics go under.

The transport reads the row (`Transport.request`), so do the sandbox's routes, the README's
tables and the tests: a reviewer judges every call's retry safety on one screen, below.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum, StrEnum
from typing import Any, Final, Generic, TypeVar, get_origin

from unitalk_async._config import ANSWER_CAP, LISTING_ANSWER_CAP
from unitalk_async.governor import AUTODIAL_NUMBERS, SCHEDULED_HANDLERS, TTS, Lane
from unitalk_async.models._envelope import Envelope
from unitalk_async.models.analytics import CallAnalytics
from unitalk_async.models.audio import AudioUploadRequest, TtsRequest, TtsResult
from unitalk_async.models.autodial import (
    AddNumbersRequest,
    AddRequest,
    AutodialerNumber,
    AutodialerSummary,
    AutodialerWithData,
    CallsHistoryPage,
    CancelRequest,
    GetCallsHistoryRequest,
    GetListRequest,
    GetNumberRequest,
    GetNumbersRequest,
    GetWithDataRequest,
    PauseRequest,
    RefreshRequest,
    RemoveAllNumbersRequest,
    RemoveNumbersRequest,
    RemoveRequest,
    UnpauseRequest,
    UpdateRequest,
)
from unitalk_async.models.calls import (
    ConnectAsPrompterRequest,
    DirectCallRequest,
    HangupRequest,
    OriginateC2cRequest,
    OriginateNewRequest,
)
from unitalk_async.models.distributions import Distribution, DistributionCreate, DistributionUpdate
from unitalk_async.models.enums import LineStatus
from unitalk_async.models.event_handlers import RemoveScheduledRequest
from unitalk_async.models.history import HistoryPage, HistoryRequest
from unitalk_async.models.lists import ListRequest
from unitalk_async.models.messages import (
    BulkMessageResult,
    MessageStatusInfo,
    SendBulkRequest,
    SendMessageRequest,
)
from unitalk_async.models.users import (
    Group,
    GroupActionRequest,
    OperatorStatistic,
    OperatorStatisticRequest,
    SetLineStatusRequest,
    User,
    UserStatus,
    WorkHistory,
)
from unitalk_async.models.widget import (
    HideNotificationRequest,
    NotificationSent,
    SendNotificationRequest,
)

__all__ = ["OPERATIONS", "AlreadyDone", "Cost", "Operation", "Resend", "Wire", "adhoc"]

T = TypeVar("T")


class Resend(Enum):
    """When a failed attempt of an operation may be sent again."""

    #: after any failure, even one the service may have processed: a repeat changes nothing
    SAFE = "safe to resend"
    #: only after answers that say it was not processed (429, "try again later", no
    #: connection); a failure after which it may have been processed is
    #: `OutcomeUnknownError`
    NOT_PROCESSED_ONLY = "resent only if not processed"
    #: one attempt, whatever happens: even a delayed resend of an unprocessed request
    #: could act on something else than the caller meant
    NEVER = "never resent"


class Wire(Enum):
    """How the request's body travels."""

    JSON = "JSON body"
    QUERY = "URL query"
    FORM = "form body"
    MULTIPART = "multipart form"
    NONE = "no body"


class Cost(StrEnum):
    """What a call costs beyond the API's processing-time units (reference, "Limits")."""

    UNITS = "units"  #: processing-time units only
    CALL = "call"  #: places a call: telephony minutes, and it reaches a person
    MESSAGE = "message"  #: SMS/Viber messages, billed per message, reach people
    SYNTHESIS = "synthesis"  #: speech synthesis
    ANALYTICS = "analytics"  #: voice analytics of a recording


@dataclass(frozen=True, slots=True, eq=False)
class Operation(Generic[T]):
    """One operation of the reference; `T` is its answer type, which `request` returns."""

    label: str  #: the statistics key and the name in logs: "autodial.add_numbers"
    path: str  #: relative to the base URL
    action: str | None  #: the body's `action`, for paths that take several
    request: Any  #: the request struct (None: the body is a query or nothing)
    answer: type[T]  #: `Envelope[X]` for enveloped answers, else the bare document's type
    resend: Resend
    why: str  #: the one-line justification of `resend`
    wire: Wire = Wire.JSON
    mutex: str | None = None  #: the governor mutex held while the request is in flight
    lane: Lane = "default"
    cost: Cost = Cost.UNITS
    #: error messages that, answering a resend after a failure that may have been
    #: processed, mean the first attempt landed: the call succeeded
    already_done: tuple[str, ...] = ()
    authorize: bool = True  #: False for links that carry their own token
    #: the largest answer read (`ResponseTooLargeError` beyond); listings get `BIG`
    max_answer_bytes: int = ANSWER_CAP
    enveloped: bool = field(init=False)

    def __post_init__(self) -> None:
        enveloped = self.answer is Envelope or get_origin(self.answer) is Envelope
        object.__setattr__(self, "enveloped", enveloped)
        if self.already_done and not enveloped:
            raise ValueError(f"{self.label}: 'already done' answers need an enveloped answer")
        if self.already_done and self.resend is not Resend.SAFE:
            raise ValueError(f"{self.label}: only operations safe to resend are resent")

    def __repr__(self) -> str:
        return f"<Operation {self.label}>"

    @property
    def endpoint(self) -> str:
        """Path and action as the README names them: "/autodial/action PAUSE"."""
        return f"{self.path} {self.action}" if self.action else self.path


def adhoc(path: str, action: object = None) -> Operation[Any]:
    """The row of `client.post(path)`: any body, so no repeat is assumed harmless.

    A path (and `action`) the table knows keeps what its rows agree on, mutex and lane,
    and is never resent if one of them never is: `client.post("/calls/hangup", ...)` may be
    by number.
    """
    rows = [
        row
        for row in OPERATIONS
        if row.path == path and (action is None or row.action in (None, action))
    ]
    never = any(row.resend is Resend.NEVER for row in rows)
    mutexes = {row.mutex for row in rows}
    lanes = {row.lane for row in rows}
    return Operation(
        label=path,
        path=path,
        action=None,
        request=None,
        answer=Any,
        resend=Resend.NEVER if never else Resend.NOT_PROCESSED_ONLY,
        why="an arbitrary call: the client cannot know whether a repeat is harmless",
        mutex=mutexes.pop() if len(mutexes) == 1 else None,
        lane=lanes.pop() if len(lanes) == 1 else "default",
        max_answer_bytes=LISTING_ANSWER_CAP,  # any path: it may list
    )


S, NP, NEVER = Resend.SAFE, Resend.NOT_PROCESSED_ONLY, Resend.NEVER
A = "/autodial/action"
READ = "a read changes nothing"
BIG = LISTING_ANSWER_CAP

# fmt: off
# -- /autodial/action ------------------------------------------------------------------------
AUTODIAL_GET_LIST: Final = Operation(
    "autodial.get_list", A, "GET_LIST", GetListRequest, Envelope[list[AutodialerSummary]],
    S, READ, max_answer_bytes=BIG)
AUTODIAL_GET_WITH_DATA: Final = Operation(
    "autodial.get_with_data", A, "GET_WITH_DATA", GetWithDataRequest, AutodialerWithData,
    S, READ, max_answer_bytes=BIG)
AUTODIAL_GET_NUMBER: Final = Operation(
    "autodial.get_number", A, "GET_NUMBER", GetNumberRequest, AutodialerNumber, S, READ)
AUTODIAL_GET_NUMBERS: Final = Operation(
    "autodial.get_numbers", A, "GET_NUMBERS", GetNumbersRequest, list[AutodialerNumber],
    S, READ, max_answer_bytes=BIG)
AUTODIAL_GET_CALLS_HISTORY: Final = Operation(
    "autodial.get_calls_history", A, "GET_CALLS_HISTORY", GetCallsHistoryRequest,
    CallsHistoryPage, S, READ, max_answer_bytes=BIG)
AUTODIAL_ADD: Final = Operation(
    "autodial.add", A, "ADD", AddRequest, Envelope[int],
    NP, "a second ADD creates a second autodialer",
    # Numbers given with ADD race ADD_NUMBERS/REMOVE_NUMBERS like theirs ("Handler is busy").
    mutex=AUTODIAL_NUMBERS)
AUTODIAL_UPDATE: Final = Operation(
    "autodial.update", A, "UPDATE", UpdateRequest, Envelope[Any],
    S, "sets the whole configuration: a repeat sets the same one")
AUTODIAL_REMOVE: Final = Operation(
    "autodial.remove", A, "REMOVE", RemoveRequest, Envelope[Any],
    S, "an id names one autodialer: removing it again removes nothing else",
    mutex=AUTODIAL_NUMBERS, already_done=("Task not found",))
AUTODIAL_REFRESH: Final = Operation(
    "autodial.refresh", A, "REFRESH", RefreshRequest, Envelope[Any],
    NP, "a repeat a minute later dials again the numbers called since", cost=Cost.CALL)
AUTODIAL_CANCEL: Final = Operation(
    "autodial.cancel", A, "CANCEL", CancelRequest, Envelope[Any],
    S, "a canceled autodialer stays canceled",
    already_done=("Task is canceled", "Task is finished"))
AUTODIAL_PAUSE: Final = Operation(
    "autodial.pause", A, "PAUSE", PauseRequest, Envelope[Any],
    S, "pausing a paused autodialer changes nothing")
AUTODIAL_UNPAUSE: Final = Operation(
    "autodial.unpause", A, "UNPAUSE", UnpauseRequest, Envelope[Any],
    S, "resuming a running autodialer changes nothing")
AUTODIAL_ADD_NUMBERS: Final = Operation(
    "autodial.add_numbers", A, "ADD_NUMBERS", AddNumbersRequest, Envelope[Any],
    S, "without refreshDuplicates only missing numbers are added: a repeat adds none",
    mutex=AUTODIAL_NUMBERS, already_done=("Numbers not added",))
AUTODIAL_ADD_NUMBERS_REFRESHING: Final = Operation(
    "autodial.add_numbers", A, "ADD_NUMBERS", AddNumbersRequest, Envelope[Any],
    NP, "refreshDuplicates=true: a repeat dials again numbers processed since",
    mutex=AUTODIAL_NUMBERS, cost=Cost.CALL)
AUTODIAL_REMOVE_NUMBERS: Final = Operation(
    "autodial.remove_numbers", A, "REMOVE_NUMBERS", RemoveNumbersRequest, Envelope[Any],
    S, "removing numbers already gone removes nothing else",
    mutex=AUTODIAL_NUMBERS, already_done=("Numbers not found", "Numbers not found by states"))
AUTODIAL_REMOVE_ALL_NUMBERS: Final = Operation(
    "autodial.remove_all_numbers", A, "REMOVE_ALL_NUMBERS", RemoveAllNumbersRequest,
    Envelope[Any], S, "an empty autodialer stays empty",
    mutex=AUTODIAL_NUMBERS, already_done=("Numbers not found",))

# -- calls -----------------------------------------------------------------------------------
CALLS_DIRECT_CALL: Final = Operation(
    "calls.direct_call", "/phones/directCall", None, DirectCallRequest, Envelope[Any],
    NP, "a repeat rings the line and the number again", wire=Wire.FORM, cost=Cost.CALL)
CALLS_ORIGINATE_C2C: Final = Operation(
    "calls.originate_c2c", "/calls/originateC2c", None, OriginateC2cRequest, Envelope[Any],
    NP, "a repeat calls the client again", cost=Cost.CALL)
CALLS_ORIGINATE_NEW: Final = Operation(
    "calls.originate_new", "/calls/originateNew", None, OriginateNewRequest, Envelope[Any],
    NP, "a repeat calls the person again", cost=Cost.CALL)
CALLS_HANGUP_BY_ID: Final = Operation(
    "calls.hangup", "/calls/hangup", None, HangupRequest, Envelope[Any],
    S, "by id, which names one call: ending it again cannot end another")
CALLS_HANGUP_BY_NUMBER: Final = Operation(
    "calls.hangup", "/calls/hangup", None, HangupRequest, Envelope[Any],
    NEVER, "by number: the line may be on its next call by then, a resend would end it")
CALLS_CONNECT_AS_PROMPTER: Final = Operation(
    "calls.connect_as_prompter", "/calls/connectAsPrompter", None, ConnectAsPrompterRequest,
    Envelope[Any], NP, "a repeat rings the prompter's line into the call again")
CALLS_ANALYTICS: Final = Operation(
    "calls.analytics", "/calls/analytics/create", None, None, CallAnalytics,
    NP, "each analysis is billed: a repeat pays twice",
    wire=Wire.QUERY, lane="analytics", cost=Cost.ANALYTICS, max_answer_bytes=BIG)

# -- audio -----------------------------------------------------------------------------------
AUDIO_UPLOAD: Final = Operation(
    "audio.upload", "/audio/upload", None, AudioUploadRequest, Envelope[Any],
    NP, "a repeat stores the file twice (or answers 'Same name already present')",
    wire=Wire.MULTIPART)
AUDIO_TTS: Final = Operation(
    "audio.tts", "/audio/tts", None, TtsRequest, Envelope[list[TtsResult]],
    NP, "each synthesis is billed and stored: a repeat pays and stores twice",
    mutex=TTS, cost=Cost.SYNTHESIS)

# -- lists -----------------------------------------------------------------------------------
LISTS_GET: Final = Operation(
    "lists.get", "/lists", "GET", ListRequest, Envelope[list[str]], S, READ,
    max_answer_bytes=BIG)
LISTS_ADD: Final = Operation(
    "lists.add", "/lists", "ADD", ListRequest, Envelope[Any],
    S, "adding a listed number again changes nothing")
LISTS_REMOVE: Final = Operation(
    "lists.remove", "/lists", "REMOVE", ListRequest, Envelope[Any],
    S, "removing an unlisted number changes nothing")

# -- users, lines, groups, operators -----------------------------------------------------------
USERS_LIST: Final = Operation(
    "users.list", "/users/list", None, None, list[User], S, READ, wire=Wire.NONE,
    max_answer_bytes=BIG)
USERS_GET_STATUS: Final = Operation(
    "users.get_status", "/users/getStatus", None, None, list[UserStatus], S, READ,
    wire=Wire.NONE, max_answer_bytes=BIG)
USERS_WORK_HISTORY: Final = Operation(
    "users.work_history", "/users/workHistory", None, None, WorkHistory, S, READ,
    wire=Wire.QUERY, max_answer_bytes=BIG)
PHONES_INNER: Final = Operation(
    "phones.inner", "/phones/inner", None, None, Envelope[dict[str, LineStatus]], S, READ,
    wire=Wire.NONE, max_answer_bytes=BIG)
PHONES_SET_STATUS: Final = Operation(
    "phones.set_status", "/phones/inner/setStatus", None, SetLineStatusRequest,
    Envelope[Any], S, "sets a status: a repeat sets the same one", wire=Wire.QUERY)
GROUPS_LIST: Final = Operation(
    "groups.list", "/groups/action", "GET_LIST", GroupActionRequest, Envelope[list[Group]],
    S, READ, max_answer_bytes=BIG)
GROUPS_REMOVE_NUMBER: Final = Operation(
    "groups.remove_number", "/groups/action", "REMOVE_NUMBER", GroupActionRequest,
    Envelope[Any], S, "a line removed from a group stays removed",
    already_done=("Numbers not found",))
OPERATORS_STATISTIC: Final = Operation(
    "operators.statistic", "/operator/statistic", None, OperatorStatisticRequest,
    list[OperatorStatistic], S, READ, max_answer_bytes=BIG)
HISTORY_GET: Final = Operation(
    "history.get", "/history/get", None, HistoryRequest, HistoryPage, S, READ,
    max_answer_bytes=BIG)
EVENT_HANDLERS_REMOVE_SCHEDULED: Final = Operation(
    "event_handlers.remove_scheduled_by_phones", "/eventHandlers/removeScheduledByPhones",
    None, RemoveScheduledRequest, Envelope[int],
    S, "handlers removed stay removed: a repeat removes none", mutex=SCHEDULED_HANDLERS)

# -- messages, distributions, widget, dictionary -----------------------------------------------
MESSAGES_SEND: Final = Operation(
    "messages.send", "/message/send", None, SendMessageRequest, Envelope[int],
    NP, "a repeat sends the message twice", cost=Cost.MESSAGE)
MESSAGES_SEND_BULK: Final = Operation(
    "messages.send_bulk", "/message/sendBulk", None, SendBulkRequest,
    Envelope[dict[str, BulkMessageResult]],
    NP, "a repeat sends every message of the chunk twice", cost=Cost.MESSAGE)
MESSAGES_GET_STATUS: Final = Operation(
    "messages.get_status", "/message/getStatus", None, None, Envelope[MessageStatusInfo],
    S, READ, wire=Wire.QUERY)
DISTRIBUTIONS_GET_ALL: Final = Operation(
    "distributions.get_all", "/messageDistribution/getAll", None, None, list[Distribution],
    S, READ, wire=Wire.NONE, max_answer_bytes=BIG)
DISTRIBUTIONS_CREATE: Final = Operation(
    "distributions.create", "/messageDistribution/create", None, DistributionCreate,
    Envelope[int],
    NP, "a repeat creates (and sends) a second distribution", cost=Cost.MESSAGE)
DISTRIBUTIONS_UPDATE: Final = Operation(
    "distributions.update", "/messageDistribution/update", None, DistributionUpdate,
    Envelope[Any], S, "sets name, type, text and start: a repeat sets the same")
DISTRIBUTIONS_REMOVE: Final = Operation(
    "distributions.remove", "/messageDistribution/remove", None, None, Envelope[Any],
    S, "an id names one distribution: removing it again removes nothing else",
    wire=Wire.QUERY, already_done=("Message distribution not found",))
DISTRIBUTIONS_SET_PAUSED: Final = Operation(
    "distributions.set_paused", "/messageDistribution/setPaused", None, None, Envelope[Any],
    S, "sets a flag: a repeat sets the same", wire=Wire.QUERY)
WIDGET_SEND_NOTIFICATION: Final = Operation(
    "widget.send_notification", "/widget/sendNotification", None, SendNotificationRequest,
    Envelope[NotificationSent], NP, "a repeat shows the users a second notification")
WIDGET_HIDE_NOTIFICATION: Final = Operation(
    "widget.hide_notification", "/widget/hideNotification", None, HideNotificationRequest,
    Envelope[Any], S, "a hidden notification stays hidden")
DICTIONARY: Final = Operation(
    "dictionary", "/dictionary", None, None, Envelope[dict[str, str | None]], S, READ,
    wire=Wire.QUERY, max_answer_bytes=BIG)

# -- the incoming-webhook links (their own host and token) -------------------------------------
INCOMING_WEBHOOK: Final = Operation(
    "webhooks.incoming", "/tracking/webhook/event", None, None, Envelope[Any],
    NP, "AUTODIAL_ADD with a repeat after dialing would add the numbers again",
    wire=Wire.QUERY, authorize=False)
# fmt: on

#: Every row above, in the reference's order.
OPERATIONS: Final[tuple[Operation[Any], ...]] = tuple(
    value for value in list(globals().values()) if isinstance(value, Operation)
)


class AlreadyDone(Envelope[Any], kw_only=True):
    """What `Transport.request` returns when a resend, after a failure that may have been
    processed, is answered with one of the row's `already_done` messages (kept in `message`):
    the first attempt had landed, so the call succeeded; what it did is not known."""

    message: str = ""
