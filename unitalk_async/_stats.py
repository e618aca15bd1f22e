"""What the client has done: counts, times, estimated cost units and retries per path and per
operation, and the governor's waits."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from unitalk_async._reference import cost_units
from unitalk_async.governor import GovernorStatistics


@dataclass(frozen=True, slots=True)
class PathStatistics:
    """Totals for one API path ("/autodial/action") or one operation ("autodial.pause")."""

    requests: int  # attempts sent, retries included
    errors: int  # attempts that failed (error answer or transport failure)
    retries: int
    elapsed_ms: float  # summed round-trip time of the attempts
    max_elapsed_ms: float
    cost_units: int  # estimated from round-trip time with the reference's pricing tiers

    @property
    def mean_elapsed_ms(self) -> float:
        return self.elapsed_ms / self.requests if self.requests else 0.0


@dataclass(frozen=True, slots=True)
class ClientStatistics:
    """A snapshot of `client.stats`.

    Cost units are an estimate: the service bills its own processing time, the client sees
    the round trip, which is never shorter, so the estimate errs high.
    """

    requests: int
    errors: int
    retries: int
    cost_units: int
    paths: dict[str, PathStatistics]
    governor: GovernorStatistics
    #: per operation label of `_operations.py` ("autodial.add_numbers"); `client.post()`
    #: calls count under their path
    operations: dict[str, PathStatistics]

    @property
    def governor_wait_seconds(self) -> float:
        return sum(self.governor.waits.values())


@dataclass(slots=True)
class _PathTotals:
    requests: int = 0
    errors: int = 0
    retries: int = 0
    elapsed_ms: float = 0.0
    max_elapsed_ms: float = 0.0
    cost_units: int = 0

    def freeze(self) -> PathStatistics:
        return PathStatistics(
            self.requests,
            self.errors,
            self.retries,
            self.elapsed_ms,
            self.max_elapsed_ms,
            self.cost_units,
        )


@dataclass(slots=True)
class StatsRecorder:
    """Mutable totals the transport feeds; `snapshot()` gives the frozen view."""

    _paths: dict[str, _PathTotals] = field(default_factory=dict)
    _operations: dict[str, _PathTotals] = field(default_factory=dict)

    def attempt(
        self, path: str, operation: str, elapsed_ms: float, *, failed: bool, answered: bool
    ) -> int:
        """Record one attempt; returns its estimated cost units (0 when nothing was answered)."""
        # Counted here, with the statistics, so a bulk chunk's `requests` and `client.stats`
        # agree: a call the governor refuses before sending counts in neither.
        _note_attempt()
        units = cost_units(elapsed_ms) if answered else 0
        for totals in self._totals(path, operation):
            totals.requests += 1
            totals.errors += failed
            totals.elapsed_ms += elapsed_ms
            totals.max_elapsed_ms = max(totals.max_elapsed_ms, elapsed_ms)
            totals.cost_units += units
        return units

    def retry(self, path: str, operation: str) -> None:
        for totals in self._totals(path, operation):
            totals.retries += 1

    def _totals(self, path: str, operation: str) -> tuple[_PathTotals, _PathTotals]:
        by_path = self._paths.get(path)
        if by_path is None:
            by_path = self._paths[str(path)] = _PathTotals()
        by_operation = self._operations.get(operation)
        if by_operation is None:
            by_operation = self._operations[operation] = _PathTotals()
        return by_path, by_operation

    def snapshot(self, governor: GovernorStatistics) -> ClientStatistics:
        paths = {path: totals.freeze() for path, totals in sorted(self._paths.items())}
        return ClientStatistics(
            requests=sum(p.requests for p in paths.values()),
            errors=sum(p.errors for p in paths.values()),
            retries=sum(p.retries for p in paths.values()),
            cost_units=sum(p.cost_units for p in paths.values()),
            paths=paths,
            governor=governor,
            operations={
                label: totals.freeze() for label, totals in sorted(self._operations.items())
            },
        )


@dataclass(slots=True)
class AttemptCount:
    """HTTP attempts made by the calls of one block (see `count_attempts`)."""

    attempts: int = 0


_counting: ContextVar[AttemptCount | None] = ContextVar("unitalk_attempts", default=None)


@contextmanager
def count_attempts() -> Iterator[AttemptCount]:
    """Count the HTTP attempts (retries included) made in this block by the current task,
    e.g. for one chunk of a bulk call. Blocks nest: an inner count adds to the outer one."""
    outer = _counting.get()
    count = AttemptCount()
    token = _counting.set(count)
    try:
        yield count
    finally:
        _counting.reset(token)
        if outer is not None:
            outer.attempts += count.attempts


def _note_attempt() -> None:
    """Called by `StatsRecorder.attempt` for every attempt sent."""
    count = _counting.get()
    if count is not None:
        count.attempts += 1
