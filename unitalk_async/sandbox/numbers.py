"""An autodialer's numbers, stored compactly enough for the reference's 1,000,000.

Numbers live in parallel lists indexed by slot, in insertion order, with a dict from phone
to slot. Removals leave holes that are compacted before the next listing, so paging with
offset/limit is a slice: O(limit), not O(offset). Optional per-number data (name, note,
link, params, audios) is kept aside, only for the numbers that have some.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(slots=True)
class NumberData:
    """What `numbersWithData` may attach to a number, already truncated to the reference."""

    name: str | None = None
    note: str | None = None
    link: str | None = None
    params: dict[str, str | None] | None = None
    audios: list[dict[str, Any]] | None = None


class NumberStore:
    """Phone -> state and counters, in insertion order, with a dialing queue."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.phones: list[str | None] = []  # None: a removed number's hole
        self.states: list[str] = []
        self.state_times: list[str | None] = []
        self.called: list[int] = []
        self.real_called: list[int] = []
        self.high_priority: list[bool] = []
        self.data: dict[str, NumberData] = {}
        self.state_counts: Counter[str] = Counter()
        self._holes = 0
        # Numbers waiting to be dialed, high priority first; stale entries are skipped.
        self._queue_high: deque[str] = deque()
        self._queue: deque[str] = deque()
        self._filtered: tuple[int, frozenset[str], list[int]] | None = None
        self.version = 0  # changes with every mutation (caches of filtered listings)

    @property
    def count(self) -> int:
        return len(self.index)

    def __contains__(self, phone: str) -> bool:
        return phone in self.index

    def add_many(
        self,
        phones: Iterable[str],
        *,
        high_priority: bool,
        refresh_duplicates: bool,
        data: dict[str, NumberData] | None = None,
    ) -> int:
        """Add numbers (already normalised, no duplicates); the number added or reset to NEW."""
        phones = list(phones)
        index, states = self.index, self.states
        queue = self._queue_high if high_priority else self._queue
        known = index.__contains__
        fresh = [phone for phone in phones if not known(phone)]
        if fresh:  # the bulk path: one extend per column
            first = len(self.phones)
            index.update(zip(fresh, range(first, first + len(fresh)), strict=True))
            self.phones.extend(fresh)
            states.extend(["NEW"] * len(fresh))
            self.state_times.extend([None] * len(fresh))
            self.called.extend([0] * len(fresh))
            self.real_called.extend([0] * len(fresh))
            self.high_priority.extend([high_priority] * len(fresh))
            self.state_counts["NEW"] += len(fresh)
            queue.extend(fresh)
        added = len(fresh)
        if refresh_duplicates and added < len(phones):
            fresh_set = set(fresh)
            for phone in phones:
                if phone in fresh_set:
                    continue
                slot = index[phone]
                self.state_counts[states[slot]] -= 1
                self.state_counts["NEW"] += 1
                states[slot] = "NEW"
                self.called[slot] = 0
                self.high_priority[slot] = high_priority
                queue.append(phone)
                added += 1
            targets: list[str] = phones
        else:
            targets = fresh
        if data:
            for phone in targets:
                extra = data.get(phone)
                if extra is not None:
                    self.data[phone] = extra
        if added:
            self.version += 1
        return added

    def remove_many(self, phones: Iterable[str]) -> int:
        removed = 0
        for phone in phones:
            slot = self.index.pop(phone, None)
            if slot is None:
                continue
            self.state_counts[self.states[slot]] -= 1
            self.phones[slot] = None
            self.data.pop(phone, None)
            removed += 1
        self._holes += removed
        if removed:
            self.version += 1
        return removed

    def phones_in_states(self, states: frozenset[str]) -> list[str]:
        return [
            phone
            for phone, state in zip(self.phones, self.states, strict=True)
            if phone is not None and state in states
        ]

    def clear(self) -> None:
        self.__init__()  # type: ignore[misc]  # a fresh store, same object

    def refresh(self, states: frozenset[str]) -> int:
        """Put every number in `states` back to NEW (REFRESH); how many were."""
        refreshed = 0
        for slot, (phone, state) in enumerate(zip(self.phones, self.states, strict=True)):
            if phone is not None and state in states:
                self.state_counts[state] -= 1
                self.states[slot] = "NEW"
                self.called[slot] = 0
                (self._queue_high if self.high_priority[slot] else self._queue).append(phone)
                refreshed += 1
        self.state_counts["NEW"] += refreshed
        if refreshed:
            self.version += 1
        return refreshed

    def next_to_dial(self) -> int | None:
        """The slot of the next NEW number to dial, high priority first; None when none."""
        for queue in (self._queue_high, self._queue):
            while queue:
                phone = queue.popleft()
                slot = self.index.get(phone)
                if slot is not None and self.states[slot] == "NEW":
                    return slot
        return None

    def set_state(self, slot: int, state: str, when: str) -> None:
        self.state_counts[self.states[slot]] -= 1
        self.state_counts[state] += 1
        self.states[slot] = state
        self.state_times[slot] = when
        self.called[slot] += 1
        self.real_called[slot] += 1
        self.version += 1

    def compact(self) -> None:
        """Close the holes left by removals (slots change; phones and order do not)."""
        if not self._holes:
            return
        first_hole = self.phones.index(None)
        keep = [s for s in range(first_hole, len(self.phones)) if self.phones[s] is not None]
        for column in (
            "phones", "states", "state_times", "called", "real_called", "high_priority"
        ):  # fmt: skip
            values = getattr(self, column)
            values[first_hole:] = [values[s] for s in keep]
        # Only the numbers after the first hole moved.
        tail = self.phones[first_hole:]
        self.index.update(zip(tail, range(first_hole, len(self.phones)), strict=True))  # type: ignore[arg-type]
        self._holes = 0

    def page(self, offset: int, limit: int, states: frozenset[str] | None = None) -> list[int]:
        """Slots of the numbers at `offset`..`offset + limit` in insertion order."""
        self.compact()
        if not states:
            return list(range(offset, min(offset + limit, len(self.phones))))
        cached = self._filtered
        if cached is None or cached[0] != self.version or cached[1] != states:
            matching = [slot for slot, state in enumerate(self.states) if state in states]
            cached = self._filtered = (self.version, states, matching)
        return cached[2][offset : offset + limit]

    def view(self, slot: int, task_id: int) -> dict[str, Any]:
        """The GET_NUMBER / GET_NUMBERS item of one number."""
        phone = self.phones[slot]
        assert phone is not None
        extra = self.data.get(phone)
        return {
            "taskId": task_id,
            "phone": phone,
            "state": self.states[slot],
            "stateDateTime": self.state_times[slot],
            "calledCount": self.called[slot],
            "realCalledCount": self.real_called[slot],
            "highPriority": self.high_priority[slot],
            "name": extra.name if extra else None,
            "note": extra.note if extra else None,
            "link": extra.link if extra else None,
            "params": extra.params if extra else None,
            "audios": extra.audios if extra else None,
        }
