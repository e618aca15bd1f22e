"""Requests and answers of /autodial/action (the "Autodialer" section of the reference).

Requests are tagged on `action` (`AutodialRequest` is their union), the autodialer task of
ADD/UPDATE on `autodialerType` (`AutodialerTask`). The reference's numeric and length rules
sit on request fields as `Meta` constraints; `models._autodial_rules.validate_request` checks
them before sending, with the cross-field rules (time ranges, required-by-type fields...)
that `Meta` cannot state.

Answers never refuse unknown fields or enum values. Where a part appears in both directions
(composite audio, repeat-call settings, per-number audios) one struct serves both and its
rules are checked by `validate_request`, so a decoded answer that breaks a documented rule
(the reference's own example has 30 repeat attempts) still decodes.

Hot answer rows (GET_NUMBERS, GET_CALLS_HISTORY) keep their date-times as the wire string,
with a parsed property beside it: a per-value decode hook would make a 5,000-row page slower
to decode than `json.loads`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, TypeAlias, Union

import msgspec
from msgspec import UNSET, Meta, UnsetType

from unitalk_async import _codec
from unitalk_async import _reference as ref
from unitalk_async._arguments import known_member, known_members
from unitalk_async._codec import (
    DATETIME_FORMAT,
    WireDateTime,
    WireTime,
    to_wire_datetime,
    to_wire_time,
)
from unitalk_async._exceptions import ValidationError
from unitalk_async.models._base import Maybe, Request, Response
from unitalk_async.models.enums import (
    AutodialAction,
    AutodialerMode,
    AutodialerModeLike,
    AutodialerType,
    CallState,
    CallStateLike,
    ClientCalledMode,
    ClientCalledModeLike,
    CrmMode,
    CrmModeLike,
    DynamicValue,
    TaskStatus,
    TriggerActionEvent,
    TriggerActionEventLike,
    VoiceSecretaryEndNodeType,
    VoiceSecretaryEndNodeTypeLike,
    VoiceSecretaryEndReason,
    VoiceSecretaryEndReasonLike,
    WithdrawalCategory,
)

__all__ = [
    "AddNumbersRequest",
    "AddRequest",
    "AudioPart",
    "AutodialRequest",
    "AutodialTask",
    "Autodialer",
    "AutodialerCall",
    "AutodialerNumber",
    "AutodialerSummary",
    "AutodialerTask",
    "AutodialerWithData",
    "CallStateInfo",
    "CallsHistoryFilter",
    "CallsHistoryPage",
    "CallsHistoryQuery",
    "CancelRequest",
    "CompositeAudio",
    "DynamicValueSynthesis",
    "GetCallsHistoryRequest",
    "GetListRequest",
    "GetNumberRequest",
    "GetNumbersRequest",
    "GetWithDataRequest",
    "GuaranteedDialTask",
    "NumberAudio",
    "NumberStatesInfo",
    "NumberTts",
    "NumberWithData",
    "PauseRequest",
    "ProjectLanguage",
    "RefreshRequest",
    "RemoveAllNumbersRequest",
    "RemoveNumbersRequest",
    "RemoveRequest",
    "RepeatCallsSettings",
    "RepeatStateSettings",
    "SecretaryPassage",
    "SecretaryStep",
    "TaskStatistics",
    "TaskStatusInfo",
    "TriggerActionEventInfo",
    "UnpauseRequest",
    "UpdateRequest",
    "VoiceRobotTask",
    "WithdrawalStatistics",
    "parse_wire_datetime",
]

IdTitles: TypeAlias = dict[int, str]  # GET_WITH_DATA's {"ID": "Title"} dictionaries
Params: TypeAlias = dict[int, str | None]  # number parameters, "1".."10" on the wire
# Request fields that take a date or time: msgspec sees the wire type (decoding "HH:mm" and
# "yyyy-MM-dd HH:mm:ss"), type checkers see what callers may pass; `__post_init__` converts.
if TYPE_CHECKING:
    DateIn: TypeAlias = date | str
    TimeIn: TypeAlias = time | datetime | str
    DateTimeIn: TypeAlias = datetime | date | str
else:
    DateIn = date
    TimeIn = WireTime
    DateTimeIn = WireDateTime
DaysTimes: TypeAlias = Annotated[list[TimeIn | None], Meta(min_length=7, max_length=7)]


def _known_states(
    values: Sequence[CallStateLike] | UnsetType | None, field: str
) -> list[CallState] | UnsetType | None:
    if values is None or isinstance(values, UnsetType):
        return values
    return known_members(CallState, values, field)


def parse_wire_datetime(value: str | UnsetType | None) -> datetime | None:
    """Parse a "yyyy-MM-dd HH:mm:ss" wire string (None when absent or null)."""
    if not isinstance(value, str):
        return None
    return datetime.strptime(value, DATETIME_FORMAT)


# --- Parts shared by requests and answers -------------------------------------------------------
class DynamicValueSynthesis(Response):
    """Speech synthesis of a number field inside composite audio."""

    dynamic_value: DynamicValue | None = None  # required by the service; checked before sending
    settings_id: Maybe[int] = UNSET


class AudioPart(Response):
    """One part of composite audio: exactly one of silence, a project audio, a synthesis.

    Build with `AudioPart.silence(500)`, `AudioPart.audio(46615)` or
    `AudioPart.synthesis(DynamicValue.NO, settings_id=117)`.
    """

    silence_millis: Maybe[int] = UNSET
    id: Maybe[int] = UNSET
    synthesis_from_dynamic_value: Maybe[DynamicValueSynthesis] = UNSET

    @classmethod
    def silence(cls, millis: int) -> AudioPart:
        return cls(silence_millis=millis)

    @classmethod
    def audio(cls, audio_id: int) -> AudioPart:
        return cls(id=audio_id)

    @classmethod
    def synthesis(
        cls, dynamic_value: DynamicValue | str, *, settings_id: int | None = None
    ) -> AudioPart:
        return cls(
            synthesis_from_dynamic_value=DynamicValueSynthesis(
                dynamic_value=DynamicValue(dynamic_value),
                settings_id=UNSET if settings_id is None else settings_id,
            )
        )


class CompositeAudio(Response):
    """The audio an AUTODIAL autodialer plays when the client answers, in order."""

    multi_audios: list[AudioPart] = msgspec.field(default_factory=list)


class RepeatStateSettings(Response):
    """Repeat-call settings for one call state."""

    attempts: Maybe[int] = UNSET  # 0..10; 0 or null disable repeat calling
    interval_minutes: Maybe[int] = UNSET  # 5..1500
    seconds_threshold: Maybe[int] = UNSET  # ANSWER: call again if the talk was shorter


class RepeatCallsSettings(Response):
    """`repeatCallsSettings` of an autodialer."""

    early_start: Maybe[bool] = UNSET
    high_priority: Maybe[bool] = UNSET
    states_settings: Maybe[dict[CallState, RepeatStateSettings]] = UNSET


class NumberTts(Response):
    """Speech synthesis for one number: `text` or `ssml` (ssml wins if both are set)."""

    text: Maybe[str] = UNSET
    ssml: Maybe[str] = UNSET
    settings_id: Maybe[int] = UNSET


class NumberAudio(Response):
    """One audio played to a number instead of the autodialer's: a project audio or a tts."""

    id: Maybe[int] = UNSET
    tts: Maybe[NumberTts] = UNSET

    @classmethod
    def audio(cls, audio_id: int) -> NumberAudio:
        return cls(id=audio_id)

    @classmethod
    def synthesis(
        cls, *, text: str | None = None, ssml: str | None = None, settings_id: int | None = None
    ) -> NumberAudio:
        return cls(
            tts=NumberTts(
                text=UNSET if text is None else text,
                ssml=UNSET if ssml is None else ssml,
                settings_id=UNSET if settings_id is None else settings_id,
            )
        )


class NumberWithData(Response):
    """A number with its name, note, Web Dialer data, parameters and audios (ADD_NUMBERS).

    The service keeps the first 100 characters of `name` and 500 of `note`, `link` and each
    parameter value; `params` keys are 1..10.
    """

    phone: str
    name: Maybe[str] = UNSET
    note: Maybe[str] = UNSET
    link: Maybe[str] = UNSET
    params: Maybe[Params] = UNSET
    audios: Maybe[list[NumberAudio]] = UNSET


# --- Answers ------------------------------------------------------------------------------------
class AutodialerSummary(Response):
    """An element of GET_LIST's `data`."""

    id: int
    name: Maybe[str] = UNSET
    autodialer_type: Maybe[AutodialerType] = UNSET
    autodialer_mode: Maybe[AutodialerMode] = UNSET
    status: Maybe[TaskStatus] = UNSET


class TaskStatistics(Response):
    """Number statistics of an autodialer."""

    total_count: Maybe[int] = UNSET
    done_count: Maybe[int] = UNSET
    repeat_count: Maybe[int] = UNSET
    calls_done_count: Maybe[int] = UNSET
    states_count: Maybe[dict[CallState, int]] = UNSET


class WithdrawalStatistics(Response):
    """Money spent by an autodialer, in total and by category (decimal strings on the wire)."""

    total: Maybe[Decimal] = UNSET
    by_categories: Maybe[dict[WithdrawalCategory, Decimal]] = UNSET


class TaskStatusInfo(Response):
    """`taskStatusInfo` of an autodialer."""

    millis: Maybe[int] = UNSET
    status: Maybe[TaskStatus] = UNSET
    date_for_description: Maybe[date] = UNSET
    duration_millis: Maybe[int] = UNSET


class Autodialer(Response):
    """An autodialer's full configuration and statistics (GET_WITH_DATA `tasks`).

    Type- and mode-specific fields are present only for the types and modes that use them.
    """

    id: int
    name: Maybe[str] = UNSET
    autodialer_type: Maybe[AutodialerType] = UNSET
    autodialer_mode: Maybe[AutodialerMode] = UNSET
    statistics: Maybe[TaskStatistics] = UNSET
    finished_date: Maybe[date] = UNSET
    thread_count: Maybe[int] = UNSET
    delay: Maybe[int] = UNSET
    smart_speed: Maybe[int] = UNSET
    cold_base_start_calls_multiplier: Maybe[float] = UNSET
    call_delay: Maybe[int] = UNSET
    call_delay_only_answered: Maybe[bool] = UNSET
    composite_audio: Maybe[CompositeAudio] = UNSET
    moh: Maybe[int] = UNSET
    start_date: Maybe[date] = UNSET
    end_date: Maybe[date] = UNSET
    time_from: Maybe[list[WireTime | None]] = UNSET
    time_to: Maybe[list[WireTime | None]] = UNSET
    voice_secretary_id: Maybe[int] = UNSET
    group_id: Maybe[int] = UNSET
    pseudo_group_operators: Maybe[list[str]] = UNSET
    scenario_id: Maybe[int] = UNSET
    out_scenario_id: Maybe[int] = UNSET
    pause_operator_no_answer_limit: Maybe[int] = UNSET
    tts_settings_id: Maybe[int] = UNSET
    use_task_audio_if_audio_error: Maybe[bool] = UNSET
    repeat_calls_settings: Maybe[RepeatCallsSettings] = UNSET
    repeat_call_attempts: Maybe[int] = UNSET  # deprecated: repeat_calls_settings
    repeat_call_interval_minutes: Maybe[int] = UNSET  # deprecated
    repeat_call_high_priority: Maybe[bool] = UNSET  # deprecated
    repeat_call_states: Maybe[list[CallState]] = UNSET  # deprecated
    repeat_call_early: Maybe[bool] = UNSET  # deprecated
    caller_id_prefix: Maybe[str] = UNSET
    crm_mode: Maybe[CrmMode] = UNSET
    client_called_mode: Maybe[ClientCalledMode] = UNSET
    display_name: Maybe[bool] = UNSET
    display_note: Maybe[bool] = UNSET
    remove_after_finish: Maybe[bool] = UNSET
    mark_as_busy_seconds: Maybe[int] = UNSET
    mark_as_busy_min_seconds_talk: Maybe[int] = UNSET
    reserved_sips_busy_only_for_autodials: Maybe[bool] = UNSET
    trigger_actions: Maybe[dict[TriggerActionEvent, list[int]]] = UNSET
    withdrawal_statistics: Maybe[WithdrawalStatistics] = UNSET
    task_status_info: Maybe[TaskStatusInfo] = UNSET

    @property
    def status(self) -> TaskStatus | None:
        """The autodialer's status (from `task_status_info`), if given."""
        info = self.task_status_info
        if isinstance(info, TaskStatusInfo) and isinstance(info.status, TaskStatus):
            return info.status
        return None

    def to_task(self) -> AutodialerTask:
        """This configuration as an ADD/UPDATE task (with its `id`), to change and send back:

            task = msgspec.structs.replace(autodialer.to_task(), thread_count=3)
            await client.autodial.update(task)

        Raises `msgspec.ValidationError` if a field a task requires is missing here.
        """
        task: AutodialerTask = _codec.decode(_codec.encode(self), AutodialerTask)
        return task

    @property
    def total_count(self) -> int | None:
        """Numbers in the autodialer (from `statistics`), if given."""
        stats = self.statistics
        if isinstance(stats, TaskStatistics) and isinstance(stats.total_count, int):
            return stats.total_count
        return None


class TriggerActionEventInfo(Response):
    """An element of `triggerActionEventsData`."""

    event: TriggerActionEvent
    title: Maybe[str] = UNSET
    order: Maybe[int] = UNSET


class ProjectLanguage(Response):
    """`autodialNumberStatesInfo.lang`."""

    locale: Maybe[str] = UNSET
    short_locale_code: Maybe[str] = UNSET
    code: Maybe[str] = UNSET


class NumberStatesInfo(Response):
    """`autodialNumberStatesInfo`: the call states as the project shows them."""

    lang: Maybe[ProjectLanguage] = UNSET
    ordered_states: Maybe[list[CallState]] = UNSET
    states_and_titles: Maybe[dict[CallState, str]] = UNSET
    repeatable_states: Maybe[list[CallState]] = UNSET
    refreshable_states: Maybe[list[CallState]] = UNSET
    warning_states: Maybe[list[CallState]] = UNSET
    done_states: Maybe[list[CallState]] = UNSET


class CallStateInfo(Response):
    """An element of `statesInfo`."""

    state: CallState
    order: Maybe[int] = UNSET
    title: Maybe[str] = UNSET
    repeatable: Maybe[bool] = UNSET
    refreshable: Maybe[bool] = UNSET
    warning: Maybe[bool] = UNSET


class AutodialerWithData(Response):
    """GET_WITH_DATA's answer (bare): every autodialer plus the dictionaries to read them."""

    audios: Maybe[IdTitles] = UNSET
    moh: Maybe[IdTitles] = UNSET
    groups: Maybe[IdTitles] = UNSET
    scenarios: Maybe[IdTitles] = UNSET
    out_scenarios: Maybe[IdTitles] = UNSET
    tts_settings: Maybe[IdTitles] = UNSET
    voice_secretaries: Maybe[IdTitles] = UNSET
    trigger_action_events: Maybe[dict[TriggerActionEvent, str]] = UNSET
    trigger_action_events_data: Maybe[list[TriggerActionEventInfo]] = UNSET
    trigger_action_events_and_trigger_actions: Maybe[dict[TriggerActionEvent, IdTitles]] = UNSET
    trigger_actions_present: Maybe[bool] = UNSET
    autodial_number_states_info: Maybe[NumberStatesInfo] = UNSET
    task_statuses: Maybe[dict[str, str]] = UNSET
    autodialer_types: Maybe[dict[AutodialerType, str]] = UNSET
    autodialer_modes: Maybe[dict[AutodialerMode, str]] = UNSET
    max_add_numbers_count: Maybe[int] = UNSET
    max_remove_numbers_count: Maybe[int] = UNSET
    multi_audios_limit: Maybe[int] = UNSET
    min_multi_audio_silence_millis: Maybe[int] = UNSET
    max_multi_audio_silence_millis: Maybe[int] = UNSET
    audio_synthesis_dynamic_values: Maybe[dict[DynamicValue, str]] = UNSET
    withdrawal_categories: Maybe[dict[WithdrawalCategory, str]] = UNSET
    tasks: list[Autodialer] = msgspec.field(default_factory=list)
    states_info: Maybe[list[CallStateInfo]] = UNSET

    def task(self, autodialer_id: int) -> Autodialer | None:
        """The autodialer with this id, if listed."""
        return next((task for task in self.tasks if task.id == autodialer_id), None)


class AutodialerNumber(Response):
    """A number of an autodialer (GET_NUMBER, GET_NUMBERS rows)."""

    phone: str
    task_id: Maybe[int] = UNSET
    state: Maybe[CallState] = UNSET
    state_date_time: Maybe[str] = UNSET  # "yyyy-MM-dd HH:mm:ss"; parsed: `state_at`
    called_count: Maybe[int] = UNSET
    real_called_count: Maybe[int] = UNSET
    high_priority: Maybe[bool] = UNSET
    name: Maybe[str] = UNSET
    note: Maybe[str] = UNSET
    link: Maybe[str] = UNSET
    params: Maybe[Params] = UNSET
    audios: Maybe[list[NumberAudio]] = UNSET

    @property
    def state_at(self) -> datetime | None:
        """When the last call to this number ended (`state_date_time` parsed)."""
        return parse_wire_datetime(self.state_date_time)


class SecretaryStep(Response):
    """One step of a voice secretary passage."""

    node_id: Maybe[int] = UNSET
    action_title: Maybe[str] = UNSET
    recognized_text: Maybe[str] = UNSET
    recognized_dates: Maybe[list[date]] = UNSET
    alternative_audio_index: Maybe[str] = UNSET
    jump_to_node: Maybe[bool] = UNSET
    start_background_secretary_id: Maybe[int] = UNSET
    end_background_secretary_id: Maybe[int] = UNSET


class SecretaryPassage(Response):
    """How a call went through a voice secretary."""

    id: Maybe[int] = UNSET
    duration: Maybe[int] = UNSET
    end_node_type: Maybe[VoiceSecretaryEndNodeType] = UNSET
    end_reason: Maybe[VoiceSecretaryEndReason] = UNSET
    end_node_id: Maybe[int] = UNSET
    end_node_title: Maybe[str] = UNSET
    end_voice_secretary_id: Maybe[int] = UNSET
    steps: Maybe[list[SecretaryStep]] = UNSET


class AutodialerCall(Response):
    """A call of an autodialer (GET_CALLS_HISTORY `items`)."""

    id: int
    phone: Maybe[str] = UNSET
    state: Maybe[CallState] = UNSET
    call_end_time: Maybe[str] = UNSET  # "yyyy-MM-dd HH:mm:ss"; parsed: `call_end_at`
    operator_number: Maybe[str] = UNSET
    user_id: Maybe[int] = UNSET
    called_count: Maybe[int] = UNSET
    real_called_count: Maybe[int] = UNSET
    seconds: Maybe[int] = UNSET
    seconds_for_client_answered: Maybe[int] = UNSET
    seconds_dial_to_client: Maybe[int] = UNSET
    seconds_client_wait_operator: Maybe[int] = UNSET
    seconds_operator_wait_call: Maybe[int] = UNSET
    seconds_for_operator_answered: Maybe[int] = UNSET
    seconds_talk: Maybe[int] = UNSET
    rid: Maybe[int] = UNSET
    name: Maybe[str] = UNSET
    note: Maybe[str] = UNSET
    link: Maybe[str] = UNSET
    params: Maybe[Params] = UNSET
    withdraw_total: Maybe[Decimal] = UNSET
    withdraw_by_categories: Maybe[dict[WithdrawalCategory, Decimal]] = UNSET
    executed_trigger_action_ids: Maybe[list[int]] = UNSET
    send_first_message_to_client_success: Maybe[bool] = UNSET
    secretary: Maybe[SecretaryPassage] = UNSET

    @property
    def call_end_at(self) -> datetime | None:
        """When the call ended (`call_end_time` parsed)."""
        return parse_wire_datetime(self.call_end_time)


class CallsHistoryPage(Response):
    """GET_CALLS_HISTORY's answer (bare)."""

    count: Maybe[int] = UNSET
    offset: Maybe[int] = UNSET
    limit: Maybe[int] = UNSET
    items: list[AutodialerCall] = msgspec.field(default_factory=list)


# --- The autodialer task of ADD / UPDATE --------------------------------------------------------
Name = Annotated[str, Meta(min_length=1, max_length=ref.MAX_AUTODIALER_NAME)]
Prefix = Annotated[str, Meta(max_length=ref.MAX_CALLER_ID_PREFIX)]


def _task_range(wire_name: str) -> Meta:
    """The `Meta` constraint of a task field, from the table the sandbox also reads."""
    low, high = ref.TASK_RANGES[wire_name]
    return Meta(ge=low, le=high)


ThreadCount = Annotated[int, _task_range("threadCount")]
CallDelay = Annotated[int, _task_range("callDelay")]
ColdBaseMultiplier = Annotated[float, _task_range("coldBaseStartCallsMultiplier")]
NoAnswerLimit = Annotated[int, _task_range("pauseOperatorNoAnswerLimit")]
MarkAsBusySeconds = Annotated[int, _task_range("markAsBusySeconds")]
MarkAsBusyMinTalk = Annotated[int, _task_range("markAsBusyMinSecondsTalk")]
SmartSpeed = Annotated[int, _task_range("smartSpeed")]
AudioDelay = Annotated[int, _task_range("delay")]


class _TaskBase(Request, tag_field="autodialerType"):
    """Fields every autodialer type has, including the mode-specific ones.

    Required by mode (checked before sending): FIXED `thread_count`; FREE and SMART
    `group_id` or `pseudo_group_operators`. `id` is the autodialer to change on UPDATE.
    """

    name: Name
    autodialer_mode: AutodialerModeLike
    start_date: DateIn
    end_date: DateIn
    time_from: DaysTimes  # Monday..Sunday, "HH:mm" or None (no calls that day)
    time_to: DaysTimes
    crm_mode: CrmModeLike
    client_called_mode: ClientCalledModeLike
    id: Maybe[int] = UNSET
    out_scenario_id: Maybe[int] = UNSET
    trigger_actions: Maybe[dict[TriggerActionEventLike, list[int]]] = UNSET
    repeat_calls_settings: Maybe[RepeatCallsSettings] = UNSET
    caller_id_prefix: Maybe[Prefix] = UNSET
    display_name: Maybe[bool] = UNSET
    display_note: Maybe[bool] = UNSET
    remove_after_finish: Maybe[bool] = UNSET
    numbers: Maybe[list[str]] = UNSET  # ADD only; the client normalises them
    high_priority: Maybe[bool] = UNSET  # ADD only
    # FIXED mode
    thread_count: Maybe[ThreadCount] = UNSET
    call_delay: Maybe[CallDelay] = UNSET
    call_delay_only_answered: Maybe[bool] = UNSET
    # FREE and SMART modes (group_id also for GUARANTEED_DIAL)
    group_id: Maybe[int] = UNSET
    pseudo_group_operators: Maybe[list[str]] = UNSET
    cold_base_start_calls_multiplier: Maybe[ColdBaseMultiplier] = UNSET
    pause_operator_no_answer_limit: Maybe[NoAnswerLimit] = UNSET
    mark_as_busy_seconds: Maybe[MarkAsBusySeconds] = UNSET
    mark_as_busy_min_seconds_talk: Maybe[MarkAsBusyMinTalk] = UNSET
    reserved_sips_busy_only_for_autodials: Maybe[bool] = UNSET
    # SMART mode
    smart_speed: Maybe[SmartSpeed] = UNSET

    autodialer_type: ClassVar[AutodialerType]

    def __post_init__(self) -> None:
        # Callers may pass plain strings for the enums ("FIXED")...
        self.autodialer_mode = known_member(
            AutodialerMode, self.autodialer_mode, "task.autodialer_mode"
        )
        self.crm_mode = known_member(CrmMode, self.crm_mode, "task.crm_mode")
        self.client_called_mode = known_member(
            ClientCalledMode, self.client_called_mode, "task.client_called_mode"
        )
        # ... and datetime/date/time/str where the wire wants "yyyy-MM-dd" and "HH:mm".
        self.start_date = _to_date(self.start_date, "task.start_date")
        self.end_date = _to_date(self.end_date, "task.end_date")
        self.time_from = _to_times(self.time_from, "task.time_from")
        self.time_to = _to_times(self.time_to, "task.time_to")


class AutodialTask(_TaskBase, tag="AUTODIAL"):
    """An AUTODIAL autodialer: plays `composite_audio`, then may start `scenario_id`.

    One of `composite_audio` and `scenario_id` is required.
    """

    autodialer_type: ClassVar[AutodialerType] = AutodialerType.AUTODIAL
    scenario_id: Maybe[int] = UNSET
    composite_audio: Maybe[CompositeAudio] = UNSET
    tts_settings_id: Maybe[int] = UNSET
    use_task_audio_if_audio_error: Maybe[bool] = UNSET
    delay: Maybe[AudioDelay] = UNSET


class GuaranteedDialTask(_TaskBase, tag="GUARANTEED_DIAL"):
    """A GUARANTEED_DIAL autodialer: calls go to the operators of `group_id` (or the SIP
    lines of `pseudo_group_operators`), one of which is required."""

    autodialer_type: ClassVar[AutodialerType] = AutodialerType.GUARANTEED_DIAL
    moh: Maybe[int] = UNSET
    tts_settings_id: Maybe[int] = UNSET
    use_task_audio_if_audio_error: Maybe[bool] = UNSET


class VoiceRobotTask(_TaskBase, tag="VOICE_ROBOT"):
    """A VOICE_ROBOT autodialer: the voice secretary `voice_secretary_id` (required) talks."""

    autodialer_type: ClassVar[AutodialerType] = AutodialerType.VOICE_ROBOT
    voice_secretary_id: Maybe[int] = UNSET


AutodialerTask: TypeAlias = Union[AutodialTask, GuaranteedDialTask, VoiceRobotTask]  # noqa: UP007


def _to_date(value: Any, field: str) -> date:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            raise ValidationError(field, "pass a naive date or datetime, not an aware one")
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValidationError(field, f"expected 'yyyy-MM-dd', got {value!r}") from None
    raise ValidationError(field, f"expected a date, got {type(value).__name__}")


def _to_times(values: Any, field: str) -> list[TimeIn | None]:
    if not isinstance(values, (list, tuple)):
        raise ValidationError(field, "expected a list of 7 times (Monday..Sunday) or None")
    out: list[TimeIn | None] = []
    for day, value in enumerate(values):
        if value is None:
            out.append(None)
            continue
        if isinstance(value, datetime):
            value = value.timetz()
        if not isinstance(value, (time, str)):
            raise ValidationError(f"{field}[{day}]", "expected a time, 'HH:mm' or None")
        try:
            out.append(to_wire_time(value, field=f"{field}[{day}]"))
        except ValueError as exc:
            raise ValidationError(f"{field}[{day}]", str(exc).split(": ", 1)[-1]) from None
    return out


# --- Requests, tagged on `action` ---------------------------------------------------------------
class _Action(Request, tag_field="action"):
    """Base of every /autodial/action request body."""


class _ById(_Action):
    id: Annotated[int, Meta(ge=1)]


class GetListRequest(_Action, tag=AutodialAction.GET_LIST.value):
    pass


class GetWithDataRequest(_Action, tag=AutodialAction.GET_WITH_DATA.value):
    pass


class AddRequest(_Action, tag=AutodialAction.ADD.value):
    task: AutodialerTask


class UpdateRequest(_Action, tag=AutodialAction.UPDATE.value):
    task: AutodialerTask


class RemoveRequest(_ById, tag=AutodialAction.REMOVE.value):
    pass


class RefreshRequest(_ById, tag=AutodialAction.REFRESH.value):
    call_states: Annotated[Sequence[CallStateLike], Meta(min_length=1)]

    def __post_init__(self) -> None:
        self.call_states = known_members(CallState, self.call_states, "call_states")


class CancelRequest(_ById, tag=AutodialAction.CANCEL.value):
    pass


class PauseRequest(_ById, tag=AutodialAction.PAUSE.value):
    pass


class UnpauseRequest(_ById, tag=AutodialAction.UNPAUSE.value):
    pass


class AddNumbersRequest(_ById, tag=AutodialAction.ADD_NUMBERS.value):
    refresh_duplicates: Maybe[bool] = UNSET
    high_priority: Maybe[bool] = UNSET
    numbers: Maybe[list[str]] = UNSET
    numbers_with_data: Maybe[list[NumberWithData]] = UNSET


class GetNumberRequest(_ById, tag=AutodialAction.GET_NUMBER.value):
    number: str


class GetNumbersRequest(_ById, tag=AutodialAction.GET_NUMBERS.value):
    limit: Maybe[Annotated[int, Meta(ge=1, le=ref.GET_NUMBERS_MAX_LIMIT)]] = UNSET
    offset: Maybe[Annotated[int, Meta(ge=0)]] = UNSET
    call_states: Maybe[Sequence[CallStateLike]] = UNSET

    def __post_init__(self) -> None:
        self.call_states = _known_states(self.call_states, "call_states")


class CallsHistoryFilter(Request):
    """GET_CALLS_HISTORY `filter`: every field optional; text fields match a part."""

    states: Maybe[Sequence[CallStateLike]] = UNSET
    phone: Maybe[str] = UNSET
    operator_number: Maybe[str] = UNSET
    name: Maybe[str] = UNSET
    note: Maybe[str] = UNSET
    link: Maybe[str] = UNSET
    param: Maybe[str] = UNSET
    voice_secretary_ids: Maybe[list[str]] = UNSET  # ids as strings on the wire
    voice_secretary_end_node_types: Maybe[Sequence[VoiceSecretaryEndNodeTypeLike]] = UNSET
    voice_secretary_end_reasons: Maybe[Sequence[VoiceSecretaryEndReasonLike]] = UNSET

    def __post_init__(self) -> None:
        for name, enum in (
            ("states", CallState),
            ("voice_secretary_end_node_types", VoiceSecretaryEndNodeType),
            ("voice_secretary_end_reasons", VoiceSecretaryEndReason),
        ):
            values = getattr(self, name)
            if values is not None and values is not UNSET:
                setattr(self, name, known_members(enum, values, f"filter.{name}"))
        if isinstance(self.voice_secretary_ids, list):
            self.voice_secretary_ids = [str(value) for value in self.voice_secretary_ids]


class CallsHistoryQuery(Request):
    """GET_CALLS_HISTORY `callHistoryRequest`; `date_to` is exclusive, `max_id` inclusive."""

    date_from: Maybe[DateTimeIn] = UNSET
    date_to: Maybe[DateTimeIn] = UNSET
    offset: Maybe[Annotated[int, Meta(ge=0)]] = UNSET
    limit: Maybe[Annotated[int, Meta(ge=1, le=ref.CALLS_HISTORY_MAX_LIMIT)]] = UNSET
    max_id: Maybe[int] = UNSET
    filter: Maybe[CallsHistoryFilter] = UNSET

    def __post_init__(self) -> None:
        for name in ("date_from", "date_to"):
            value = getattr(self, name)
            if value is not None and value is not UNSET:
                try:
                    setattr(self, name, to_wire_datetime(value, field=name))
                except ValueError as exc:
                    rule = str(exc).split(": ", 1)[-1]
                    raise ValidationError(f"call_history_request.{name}", rule) from None


class GetCallsHistoryRequest(_ById, tag=AutodialAction.GET_CALLS_HISTORY.value):
    call_history_request: CallsHistoryQuery = msgspec.field(default_factory=CallsHistoryQuery)


class RemoveNumbersRequest(_ById, tag=AutodialAction.REMOVE_NUMBERS.value):
    call_states: Maybe[Sequence[CallStateLike]] = UNSET
    numbers: Maybe[Annotated[list[str], Meta(max_length=ref.MAX_REMOVE_NUMBERS_PER_REQUEST)]] = (
        UNSET
    )

    def __post_init__(self) -> None:
        self.call_states = _known_states(self.call_states, "call_states")


class RemoveAllNumbersRequest(_ById, tag=AutodialAction.REMOVE_ALL_NUMBERS.value):
    pass


AutodialRequest: TypeAlias = Union[  # noqa: UP007
    GetListRequest,
    GetWithDataRequest,
    AddRequest,
    UpdateRequest,
    RemoveRequest,
    RefreshRequest,
    CancelRequest,
    PauseRequest,
    UnpauseRequest,
    AddNumbersRequest,
    GetNumberRequest,
    GetNumbersRequest,
    GetCallsHistoryRequest,
    RemoveNumbersRequest,
    RemoveAllNumbersRequest,
]
