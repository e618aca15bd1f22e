"""`/autodial/action`: the fifteen autodialer actions, each with the reference's errors.

Answers follow README "API notes": GET_LIST is enveloped; GET_WITH_DATA, GET_NUMBER,
GET_NUMBERS and GET_CALLS_HISTORY are bare; every error is the envelope with HTTP 400.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from starlette.responses import Response

from unitalk_async._codec import DATETIME_FORMAT
from unitalk_async._reference import (
    CALLS_HISTORY_DEFAULT_LIMIT,
    CALLS_HISTORY_MAX_LIMIT,
    GET_NUMBERS_DEFAULT_LIMIT,
    GET_NUMBERS_MAX_LIMIT,
    MAX_ADD_NUMBERS_PER_REQUEST,
    MAX_COMPOSITE_AUDIO_PARTS,
    MAX_REMOVE_NUMBERS_PER_REQUEST,
    MAX_SILENCE_MILLIS,
    MIN_SILENCE_MILLIS,
)
from unitalk_async.sandbox._answers import SandboxError, bare, success
from unitalk_async.sandbox.autodial_numbers import parse_numbers
from unitalk_async.sandbox.autodial_settings import validate_task
from unitalk_async.sandbox.autodialers import (
    DIALING_STATUSES,
    Autodialer,
    add_numbers,
    remove_numbers,
)
from unitalk_async.sandbox.calls import HistoryQuery
from unitalk_async.sandbox.dictionaries import (
    ALL_STATES,
    AUTODIALER_MODES,
    AUTODIALER_TYPES,
    CALL_STATES,
    DONE_STATES,
    DYNAMIC_VALUES,
    REFRESHABLE_STATES,
    REPEATABLE_STATES,
    TASK_STATUSES,
    TRIGGER_ACTION_EVENTS,
    WITHDRAWAL_CATEGORIES,
)
from unitalk_async.sandbox.number_handler import number_operation
from unitalk_async.sandbox.phones import normalize_phone

if TYPE_CHECKING:
    from unitalk_async.sandbox.state import Sandbox

# Our text for a missing or unknown action (the reference shows none).
MSG_WRONG_ACTION = "Wrong action"
CALLS_HISTORY_LIMIT_MESSAGE = "Limit range is 1-5000"  # the reference's text; 1-1000 enforced

Action = Callable[["Sandbox", dict[str, Any]], Awaitable[Response]]


def _int(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


# --- list and describe ----------------------------------------------------------------------
async def get_list(sandbox: Sandbox, body: dict[str, Any]) -> Response:
    return success(data=[a.summary() for a in sandbox.autodial.autodialers.values()])


async def get_with_data(sandbox: Sandbox, body: dict[str, Any]) -> Response:
    project = sandbox.project
    events_data = [
        {"event": event, "title": title, "order": 10 * (n + 1)}
        for n, (event, title) in enumerate(TRIGGER_ACTION_EVENTS.items())
    ]
    return bare(
        {
            "audios": project.audios_of("AUTODIAL"),
            "moh": project.audios_of("MELODY"),
            "groups": {g.id: g.name for g in project.groups.values() if g.type == "SIP"},
            "pseudoGroupOperators": sorted(project.lines),
            "scenarios": project.scenarios,
            "outScenarios": project.out_scenarios,
            "ttsSettings": project.tts_profiles,
            "voiceSecretaries": project.voice_secretaries,
            "triggerActionEvents": TRIGGER_ACTION_EVENTS,
            "triggerActionEventsData": events_data,
            "triggerActionEventsAndTriggerActions": {
                event: {a.id: a.name for a in project.trigger_actions.values() if event in a.events}
                for event in TRIGGER_ACTION_EVENTS
            },
            "triggerActionsPresent": bool(project.trigger_actions),
            "autodialNumberStatesInfo": {
                "lang": {"locale": "en", "shortLocaleCode": "en", "code": "EN"},
                "orderedStates": [row.state for row in CALL_STATES],
                "statesAndTitles": {row.state: row.title for row in CALL_STATES},
                "repeatableStates": [r.state for r in CALL_STATES if r.state in REPEATABLE_STATES],
                "refreshableStates": [r.state for r in CALL_STATES if r.refreshable],
                "warningStates": [r.state for r in CALL_STATES if r.warning],
                "doneStates": [r.state for r in CALL_STATES if r.state in DONE_STATES],
            },
            "taskStatuses": TASK_STATUSES,
            "autodialerTypes": AUTODIALER_TYPES,
            "autodialerModes": AUTODIALER_MODES,
            "maxAddNumbersCount": MAX_ADD_NUMBERS_PER_REQUEST,
            "maxRemoveNumbersCount": MAX_REMOVE_NUMBERS_PER_REQUEST,
            "multiAudiosLimit": MAX_COMPOSITE_AUDIO_PARTS,
            "minMultiAudioSilenceMillis": MIN_SILENCE_MILLIS,
            "maxMultiAudioSilenceMillis": MAX_SILENCE_MILLIS,
            "audioSynthesisDynamicValues": DYNAMIC_VALUES,
            "withdrawalCategories": WITHDRAWAL_CATEGORIES,
            "tasks": [a.view() for a in sandbox.autodial.autodialers.values()],
            "statesInfo": [
                {
                    "state": row.state,
                    "order": 10 * (n + 1),
                    "title": row.title,
                    "repeatable": row.repeatable,
                    "refreshable": row.refreshable,
                    "warning": row.warning,
                }
                for n, row in enumerate(CALL_STATES)
            ],
        }
    )


# --- create, update, remove -----------------------------------------------------------------
def _task_of(sandbox: Sandbox, body: dict[str, Any]) -> dict[str, Any]:
    task = body.get("task")
    if not isinstance(task, dict):
        raise SandboxError("task is null")
    if not sandbox.project.phone_confirmed:
        raise SandboxError("Please confirm phone number")
    if not sandbox.project.billing_allowed:
        raise SandboxError("Billing not allow")
    return task


async def add(sandbox: Sandbox, body: dict[str, Any]) -> Response:
    task = _task_of(sandbox, body)
    state = sandbox.autodial
    name = task.get("name")
    settings = validate_task(
        task,
        sandbox.project,
        autodialer_type=str(task.get("autodialerType")),  # checked inside
        name_taken=isinstance(name, str) and state.name_taken(name),
    )
    if len(state.autodialers) >= sandbox.config.max_autodialers:
        raise SandboxError("Tasks limit exceeded")
    numbers = task.get("numbers")
    batch = parse_numbers(numbers, None, sandbox, settings.autodialer_type) if numbers else None
    if batch is None:
        autodialer = state.create(
            settings.name, settings.autodialer_type, settings.autodialer_mode, settings.settings
        )
        return success(data=autodialer.id)
    # "Handler is busy" can only occur here when numbers are given.
    async with number_operation(sandbox.number_handler, batch.count):
        autodialer = state.create(
            settings.name, settings.autodialer_type, settings.autodialer_mode, settings.settings
        )
        high_priority = bool(task.get("highPriority"))
        autodialer.numbers.add_many(
            batch.phones, high_priority=high_priority, refresh_duplicates=False
        )
        autodialer.numbers_added(sandbox.now())
    return success(data=autodialer.id)


async def update(sandbox: Sandbox, body: dict[str, Any]) -> Response:
    task = _task_of(sandbox, body)
    autodialer = sandbox.autodial.get(task.get("id"))
    name = task.get("name")
    settings = validate_task(
        task,
        sandbox.project,
        autodialer_type=autodialer.autodialer_type,  # "ignored on UPDATE"
        name_taken=isinstance(name, str)
        and sandbox.autodial.name_taken(name, other_than=autodialer.id),
    )
    autodialer.name = settings.name
    autodialer.autodialer_mode = settings.autodialer_mode
    autodialer.settings = settings.settings
    return success(data=autodialer.id)


async def remove(sandbox: Sandbox, body: dict[str, Any]) -> Response:
    autodialer = sandbox.autodial.get(body.get("id"))
    async with number_operation(sandbox.number_handler, autodialer.numbers.count):
        del sandbox.autodial.autodialers[autodialer.id]
    return success(message="Removed")


# --- status machine -------------------------------------------------------------------------
def _refuse_finished_or_canceled(autodialer: Autodialer) -> None:
    if autodialer.status == "FINISHED":
        raise SandboxError("Task is finished")
    if autodialer.status == "CANCELED":
        raise SandboxError("Task is canceled")


async def cancel(sandbox: Sandbox, body: dict[str, Any]) -> Response:
    autodialer = sandbox.autodial.get(body.get("id"))
    _refuse_finished_or_canceled(autodialer)
    if autodialer.status != "NO_NUMBERS":  # "Applying to NEW will not cause any changes"
        autodialer.set_status("CANCELED", sandbox.now())
    return success(message="Cancelled")


async def pause(sandbox: Sandbox, body: dict[str, Any]) -> Response:
    autodialer = sandbox.autodial.get(body.get("id"))
    _refuse_finished_or_canceled(autodialer)
    if autodialer.status in DIALING_STATUSES:
        autodialer.paused_from = autodialer.status
        autodialer.set_status("PAUSED", sandbox.now())
    return success()


async def unpause(sandbox: Sandbox, body: dict[str, Any]) -> Response:
    autodialer = sandbox.autodial.get(body.get("id"))
    _refuse_finished_or_canceled(autodialer)
    if autodialer.status == "PAUSED":
        autodialer.set_status(autodialer.paused_from or "WAITING", sandbox.now())
        autodialer.paused_from = None
    return success()


async def refresh(sandbox: Sandbox, body: dict[str, Any]) -> Response:
    autodialer = sandbox.autodial.get(body.get("id"))
    states = body.get("callStates")
    if not isinstance(states, list) or not states:
        raise SandboxError("states is null or empty")
    if any(state not in REFRESHABLE_STATES for state in states):
        raise SandboxError("state is not allowed")
    now = sandbox.clock()
    last = autodialer.last_refresh
    # README "API notes": the minute counts from the previous REFRESH of this autodialer.
    if last is not None and now - last < sandbox.config.refresh_interval:
        raise SandboxError("Try again later")
    if not autodialer.numbers.refresh(frozenset(states)):
        raise SandboxError("Numbers not found by states")
    autodialer.last_refresh = now
    if autodialer.status in ("FINISHED", "NO_NUMBERS"):
        autodialer.set_status("WAITING", sandbox.now())
    return success()


# --- numbers --------------------------------------------------------------------------------
async def add_numbers_action(sandbox: Sandbox, body: dict[str, Any]) -> Response:
    autodialer = sandbox.autodial.get(body.get("id"))
    numbers, with_data = body.get("numbers"), body.get("numbersWithData")
    if not numbers and not with_data:
        raise SandboxError("Numbers is null or empty")
    batch = parse_numbers(numbers, with_data, sandbox, autodialer.autodialer_type)
    refresh_duplicates = bool(body.get("refreshDuplicates"))
    store = autodialer.numbers
    fresh = batch.count - sum(map(store.index.__contains__, batch.phones))
    if store.count + fresh > sandbox.config.max_numbers_per_autodialer:
        raise SandboxError("Numbers limit exceeded")
    added = await add_numbers(
        sandbox,
        autodialer,
        batch.phones,
        data=batch.data,
        high_priority=bool(body.get("highPriority")),
        refresh_duplicates=refresh_duplicates,
    )
    if not added:
        raise SandboxError("Numbers not added")
    return success(message="Numbers added")


async def get_number(sandbox: Sandbox, body: dict[str, Any]) -> Response:
    autodialer = sandbox.autodial.get(body.get("id"))
    phone = normalize_phone(body.get("number"))
    if phone is None:
        raise SandboxError("Wrong phone number")
    slot = autodialer.numbers.index.get(phone)
    if slot is None:
        raise SandboxError("Call not found")
    return bare(autodialer.numbers.view(slot, autodialer.id))


async def get_numbers(sandbox: Sandbox, body: dict[str, Any]) -> Response:
    autodialer = sandbox.autodial.get(body.get("id"))
    raw_limit, raw_offset = body.get("limit"), body.get("offset")
    limit = GET_NUMBERS_DEFAULT_LIMIT if raw_limit is None else _int(raw_limit)
    if limit is None or not 1 <= limit <= GET_NUMBERS_MAX_LIMIT:
        raise SandboxError("Limit range is 1-5000")
    offset = 0 if raw_offset is None else _int(raw_offset)
    if offset is None or offset < 0:
        raise SandboxError("Offset cannot be negative")
    states = body.get("callStates")
    wanted = frozenset(states) if isinstance(states, list) and states else None
    store = autodialer.numbers
    return bare([store.view(slot, autodialer.id) for slot in store.page(offset, limit, wanted)])


def _history_date(value: Any, message: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise SandboxError(message)
    try:
        datetime.strptime(value, DATETIME_FORMAT)
    except ValueError:
        raise SandboxError(message) from None
    return value


def _strings(value: Any) -> frozenset[str] | None:
    if not isinstance(value, list) or not value:
        return None
    return frozenset(str(item) for item in value)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


async def get_calls_history(sandbox: Sandbox, body: dict[str, Any]) -> Response:
    autodialer = sandbox.autodial.get(body.get("id"))
    request = body.get("callHistoryRequest")
    if not isinstance(request, dict):
        raise SandboxError("callHistoryRequest is null")
    raw_limit, raw_offset = request.get("limit"), request.get("offset")
    limit = CALLS_HISTORY_DEFAULT_LIMIT if raw_limit is None else _int(raw_limit)
    # README "API notes": 1-1000 is enforced, with the reference's own error text.
    if limit is None or not 1 <= limit <= CALLS_HISTORY_MAX_LIMIT:
        raise SandboxError(CALLS_HISTORY_LIMIT_MESSAGE)
    offset = 0 if raw_offset is None else _int(raw_offset)
    if offset is None or offset < 0:
        raise SandboxError("Offset is less than 0")
    date_from = _history_date(request.get("dateFrom"), "Invalid date from")
    date_to = _history_date(request.get("dateTo"), "Invalid date to")
    found = request.get("filter")
    filters: dict[str, Any] = found if isinstance(found, dict) else {}
    query = HistoryQuery(
        offset=offset,
        limit=limit,
        max_id=_int(request.get("maxId")),
        date_from=date_from,
        date_to=date_to,
        states=_strings(filters.get("states")),
        phone=_text(filters.get("phone")),
        operator_number=_text(filters.get("operatorNumber")),
        name=_text(filters.get("name")),
        note=_text(filters.get("note")),
        link=_text(filters.get("link")),
        param=_text(filters.get("param")),
        voice_secretary_ids=_strings(filters.get("voiceSecretaryIds")),
        end_node_types=_strings(filters.get("voiceSecretaryEndNodeTypes")),
        end_reasons=_strings(filters.get("voiceSecretaryEndReasons")),
    )
    return bare(autodialer.calls.query(query))


async def remove_numbers_action(sandbox: Sandbox, body: dict[str, Any]) -> Response:
    autodialer = sandbox.autodial.get(body.get("id"))
    numbers, states = body.get("numbers"), body.get("callStates")
    if not numbers and not states:
        raise SandboxError("numbers and states is null")
    store = autodialer.numbers
    if numbers:  # "if both are specified, numbers is used"
        if not isinstance(numbers, list):
            raise SandboxError("Phones not found")
        if len(numbers) > MAX_REMOVE_NUMBERS_PER_REQUEST:
            raise SandboxError("Too many numbers")
        valid: list[str] = []
        invalid: list[Any] = []
        for raw in numbers:
            phone = normalize_phone(raw)
            if phone is None:
                invalid.append(raw)
            else:
                valid.append(phone)
        if not valid:
            raise SandboxError("Phones not found")
        targets = list(dict.fromkeys(p for p in valid if p in store))
        if not targets:
            raise SandboxError("Numbers not found")
        await remove_numbers(sandbox, autodialer, targets)
        return success(data=invalid)
    wanted = frozenset(states) if isinstance(states, list) else frozenset()
    targets = store.phones_in_states(wanted & ALL_STATES)
    if not targets:
        raise SandboxError("Numbers not found by states")
    await remove_numbers(sandbox, autodialer, targets)
    return success(data=[])


async def remove_all_numbers(sandbox: Sandbox, body: dict[str, Any]) -> Response:
    autodialer = sandbox.autodial.get(body.get("id"))
    if not autodialer.numbers.count:
        raise SandboxError("Numbers not found")
    async with number_operation(sandbox.number_handler, autodialer.numbers.count):
        autodialer.numbers.clear()
        autodialer.numbers_removed(sandbox.now())
    return success(message="Removed")


ACTIONS: dict[str, Action] = {
    "GET_LIST": get_list,
    "GET_WITH_DATA": get_with_data,
    "ADD": add,
    "UPDATE": update,
    "REMOVE": remove,
    "REFRESH": refresh,
    "CANCEL": cancel,
    "PAUSE": pause,
    "UNPAUSE": unpause,
    "ADD_NUMBERS": add_numbers_action,
    "GET_NUMBER": get_number,
    "GET_NUMBERS": get_numbers,
    "GET_CALLS_HISTORY": get_calls_history,
    "REMOVE_NUMBERS": remove_numbers_action,
    "REMOVE_ALL_NUMBERS": remove_all_numbers,
}
