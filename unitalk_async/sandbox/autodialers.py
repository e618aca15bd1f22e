"""The project's autodialers: their settings, status machine, numbers and simulated calls.

Status machine (reference "Autodialer"; `NEW` is `NO_NUMBERS`, README "API notes"):

    NO_NUMBERS --numbers added--> WAITING --first call--> IN_PROGRESS --all done--> FINISHED
    WAITING/IN_PROGRESS --PAUSE--> PAUSED --UNPAUSE--> the status it was paused in
    WAITING/IN_PROGRESS/PAUSED --CANCEL--> CANCELED --(next simulated round)--> FINISHED
    FINISHED --numbers added or REFRESH--> WAITING
"""

from __future__ import annotations

import bisect
import itertools
import random
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from unitalk_async._codec import DATETIME_FORMAT
from unitalk_async.sandbox._answers import SandboxError
from unitalk_async.sandbox.calls import CallHistory, CallItem, Secretary, SecretaryStep
from unitalk_async.sandbox.dictionaries import (
    SIMULATED_OUTCOMES,
    STATE_EVENTS,
    VOICE_SECRETARY_END_NODE_TYPES,
    VOICE_SECRETARY_END_REASONS,
)
from unitalk_async.sandbox.number_handler import number_operation
from unitalk_async.sandbox.numbers import NumberData, NumberStore
from unitalk_async.sandbox.project import User

if TYPE_CHECKING:
    from unitalk_async.sandbox.state import Sandbox

MSG_TASK_NOT_FOUND = "Task not found"
DIALING_STATUSES = frozenset({"WAITING", "IN_PROGRESS", "WAITING_OPERATORS", "WAITING_REPEAT"})
# Outcomes in which an operator took part (they carry operatorNumber and userId).
OPERATOR_STATES = frozenset({"ANSWER", "ANSW_OP_NA"})
ANSWERED_STATES = frozenset({"ANSWER", "ANSW_RJCT", "ANSW_NF_OP", "ANSW_OP_NA", "VOICE_MAIL"})


@dataclass
class Autodialer:
    """One autodialer (a "task" on the wire)."""

    id: int
    name: str
    autodialer_type: str
    autodialer_mode: str
    settings: dict[str, Any]  # the other task fields, as validated, in wire names
    status: str = "NO_NUMBERS"
    status_changed: datetime = field(default_factory=datetime.now)
    paused_from: str | None = None
    finished_date: str | None = None
    last_refresh: float | None = None  # sandbox clock of the last successful REFRESH
    repeat_calls: int = 0
    numbers: NumberStore = field(default_factory=NumberStore)
    calls: CallHistory = field(default_factory=CallHistory)

    def set_status(self, status: str, now: datetime) -> None:
        if status != self.status:
            self.status = status
            self.status_changed = now
        self.finished_date = now.strftime("%Y-%m-%d") if status == "FINISHED" else None

    def numbers_added(self, now: datetime) -> None:
        """Numbers became NEW: a dialer with nothing to do has work again."""
        if self.status in ("NO_NUMBERS", "FINISHED"):
            self.set_status("WAITING", now)

    def numbers_removed(self, now: datetime) -> None:
        if self.status in ("PAUSED", "CANCELED"):
            return
        if self.numbers.count == 0:
            self.set_status("NO_NUMBERS", now)
        elif self.numbers.state_counts["NEW"] <= 0 and self.status in DIALING_STATUSES:
            self.set_status("FINISHED", now)

    def add_numbers(
        self,
        phones: list[str],
        *,
        name: str | None = None,
        note: str | None = None,
        link: str | None = None,
    ) -> int:
        """Add normalised numbers with optional shared data (the AUTODIAL_ADD webhook link).

        The API's ADD_NUMBERS goes through `add_numbers()` below instead, which also
        holds the project's number handler.
        """
        data = None
        if name is not None or note is not None or link is not None:
            shared = NumberData(name=name, note=note, link=link)
            data = dict.fromkeys(phones, shared)
        added = self.numbers.add_many(
            phones, high_priority=False, refresh_duplicates=False, data=data
        )
        if added:
            self.numbers_added(datetime.now().replace(microsecond=0))
        return added

    def remove_numbers(self, phones: list[str]) -> int:
        """Remove numbers (the AUTODIAL_REMOVE webhook link); how many were there."""
        removed = self.numbers.remove_many(phones)
        if removed:
            self.numbers_removed(datetime.now().replace(microsecond=0))
        return removed

    def summary(self) -> dict[str, Any]:
        """A GET_LIST item."""
        return {
            "id": self.id,
            "name": self.name,
            "autodialerType": self.autodialer_type,
            "autodialerMode": self.autodialer_mode,
            "status": self.status,
        }

    def statistics(self) -> dict[str, Any]:
        counts = {s: n for s, n in self.numbers.state_counts.items() if n > 0}
        total = self.numbers.count
        pending = counts.get("NEW", 0) + counts.get("DIALING", 0)
        return {
            "totalCount": total,
            "doneCount": total - pending,
            "repeatCount": self.repeat_calls,
            "callsDoneCount": len(self.calls),
            "statesCount": counts,
        }

    def view(self) -> dict[str, Any]:
        """A GET_WITH_DATA `tasks` item."""
        task: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "autodialerType": self.autodialer_type,
            "autodialerMode": self.autodialer_mode,
            "statistics": self.statistics(),
        }
        if self.finished_date is not None:
            task["finishedDate"] = self.finished_date
        task.update(self.settings)
        task["withdrawalStatistics"] = {"total": "0.00", "byCategories": {}}
        task["taskStatusInfo"] = {
            "millis": int(self.status_changed.timestamp() * 1000),
            "status": self.status,
            "dateForDescription": self.status_changed.strftime("%Y-%m-%d"),
            "durationMillis": max(
                0, int((datetime.now() - self.status_changed).total_seconds() * 1000)
            ),
        }
        return task


class AutodialState:
    """Every autodialer of the project, and the simulated dialing."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.autodialers: dict[int, Autodialer] = {}
        self._call_ids = itertools.count(1)
        self._rng = random.Random(f"calls-{sandbox.config.seed}")
        self._outcomes = [state for state, _ in SIMULATED_OUTCOMES]
        self._weights = list(itertools.accumulate(w for _, w in SIMULATED_OUTCOMES))

    @property
    def tasks(self) -> dict[int, Autodialer]:
        """The autodialers by id (the reference calls them tasks)."""
        return self.autodialers

    def get(self, autodialer_id: Any) -> Autodialer:
        """The autodialer with this id, or the documented "Task not found"."""
        if isinstance(autodialer_id, bool) or not isinstance(autodialer_id, int):
            raise SandboxError(MSG_TASK_NOT_FOUND)
        autodialer = self.autodialers.get(autodialer_id)
        if autodialer is None:
            raise SandboxError(MSG_TASK_NOT_FOUND)
        return autodialer

    def name_taken(self, name: str, *, other_than: int | None = None) -> bool:
        return any(a.name == name and a.id != other_than for a in self.autodialers.values())

    def create(
        self, name: str, autodialer_type: str, mode: str, settings: dict[str, Any]
    ) -> Autodialer:
        autodialer_id = self.sandbox.project.next_id("autodialer")
        autodialer = Autodialer(
            autodialer_id, name, autodialer_type, mode, settings, status_changed=self.sandbox.now()
        )
        self.autodialers[autodialer_id] = autodialer
        return autodialer

    # --- simulated dialing -----------------------------------------------------------------
    def simulate_calls(self, autodialer_id: int, count: int) -> int:
        """Dial the next `count` NEW numbers (high priority first); the calls made.

        Only a dialing autodialer dials; a CANCELED one finishes instead (its pending
        calls are over), PAUSED, FINISHED and NO_NUMBERS ones make no calls.
        """
        autodialer = self.get(autodialer_id)
        now = self.sandbox.now()
        if autodialer.status == "CANCELED":
            autodialer.set_status("FINISHED", now)
            return 0
        if autodialer.status not in DIALING_STATUSES:
            return 0
        when = now.strftime(DATETIME_FORMAT)
        store = autodialer.numbers
        lists = self.sandbox.endpoints.lists
        blocked = lists.blocked_for_autodial.keys() | lists.blocked.keys()
        operators = [u for u in self.sandbox.project.users.values() if u.phone is not None]
        random, outcomes, weights = self._rng.random, self._outcomes, self._weights
        total = weights[-1]
        made = 0
        for _ in range(count):
            slot = store.next_to_dial()
            if slot is None:
                break
            if store.phones[slot] in blocked:  # "blocked by the project settings"
                state = "BLOCKED"
            else:
                state = outcomes[bisect.bisect_right(weights, random() * total)]
            store.set_state(slot, state, when)
            if store.real_called[slot] > 1:
                autodialer.repeat_calls += 1
            autodialer.calls.append(self._call(autodialer, slot, state, when, operators))
            made += 1
        if made and autodialer.status == "WAITING":
            autodialer.set_status("IN_PROGRESS", now)
        if store.state_counts["NEW"] <= 0:
            autodialer.set_status("FINISHED", now)
        return made

    def _call(
        self, autodialer: Autodialer, slot: int, state: str, when: str, operators: list[User]
    ) -> CallItem:
        random = self._rng.random
        store = autodialer.numbers
        phone = store.phones[slot]
        assert phone is not None
        extra = store.data.get(phone)
        answered = state in ANSWERED_STATES
        operator: str | None = None
        user_id: int | None = None
        if state in OPERATOR_STATES and operators:
            user = operators[int(random() * len(operators))]
            operator, user_id = str(user.phone), user.id
        # int(random() * n) rather than randint: 100,000 simulated calls in well under 1 s.
        talk = 5 + int(random() * 296) if state == "ANSWER" else None
        dial = 3 + int(random() * 38)
        cost = 0.05 + (talk or 0) * 0.005
        return CallItem(
            id=next(self._call_ids),
            phone=phone,
            state=state,
            call_end_time=when,
            operator_number=operator,
            user_id=user_id,
            called_count=store.called[slot],
            real_called_count=store.real_called[slot],
            seconds=(talk or 0) + dial if answered else None,
            seconds_for_client_answered=dial if answered else None,
            seconds_dial_to_client=dial,
            seconds_client_wait_operator=int(random() * 21) if operator else None,
            seconds_operator_wait_call=int(random() * 61) if operator else None,
            seconds_for_operator_answered=1 + int(random() * 10) if operator else None,
            seconds_talk=talk,
            rid=1_000_000_000 + int(random() * 1_000_000_000),
            name=extra.name if extra else None,
            note=extra.note if extra else None,
            link=extra.link if extra else None,
            params=extra.params if extra else None,
            withdraw_total=f"{cost:.2f}",
            withdraw_by_categories={"CALL": f"{cost - 0.02:.2f}", "AUTODIALER": "0.02"},
            executed_trigger_action_ids=self._handlers(autodialer, state),
            send_first_message_to_client_success=False,
            secretary=self._secretary(autodialer) if answered else None,
        )

    @staticmethod
    def _handlers(autodialer: Autodialer, state: str) -> list[int] | None:
        """The handlers bound to the event the call's end raises, as executed."""
        bindings = autodialer.settings.get("triggerActions")
        event = STATE_EVENTS.get(state)
        if not isinstance(bindings, dict) or event is None:
            return None
        handlers = bindings.get(event)
        return list(handlers) if handlers else None

    def _secretary(self, autodialer: Autodialer) -> Secretary | None:
        secretary_id = autodialer.settings.get("voiceSecretaryId")
        if autodialer.autodialer_type != "VOICE_ROBOT" or not isinstance(secretary_id, int):
            return None
        rng = self._rng
        steps = [
            SecretaryStep(node_id=n, action_title=f"Action #{n}", recognized_text="yes")
            for n in range(1, rng.randint(1, 3) + 1)
        ]
        return Secretary(
            id=secretary_id,
            duration=rng.randint(3, 90),
            end_node_type=rng.choice(VOICE_SECRETARY_END_NODE_TYPES),
            end_reason=rng.choice(VOICE_SECRETARY_END_REASONS),
            end_node_id=steps[-1].node_id,
            end_node_title=steps[-1].action_title,
            end_voice_secretary_id=secretary_id,
            steps=steps,
        )


async def add_numbers(
    sandbox: Sandbox,
    autodialer: Autodialer,
    phones: list[str],
    *,
    data: dict[str, NumberData] | None = None,
    high_priority: bool = False,
    refresh_duplicates: bool = False,
) -> int:
    """Add normalised numbers through the project's number handler; how many were added.

    Raises SandboxError("Handler is busy, try again later") when another number operation
    holds the handler. Also what the incoming-webhook link AUTODIAL_ADD uses.
    """
    async with number_operation(sandbox.number_handler, len(phones)):
        added = autodialer.numbers.add_many(
            phones, high_priority=high_priority, refresh_duplicates=refresh_duplicates, data=data
        )
        if added:
            autodialer.numbers_added(sandbox.now())
    return added


async def remove_numbers(sandbox: Sandbox, autodialer: Autodialer, phones: list[str]) -> int:
    """Remove numbers through the number handler; how many were there (AUTODIAL_REMOVE too)."""
    async with number_operation(sandbox.number_handler, len(phones)):
        removed = autodialer.numbers.remove_many(phones)
        if removed:
            autodialer.numbers_removed(sandbox.now())
    return removed
