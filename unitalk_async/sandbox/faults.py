"""Fault injection per route: latency, resets, 5xx and busy answers, dropped responses.

Rules are drawn in the order they were added with a generator seeded from the sandbox's
seed, so the same requests in the same order meet the same faults.

- ``latency``: sleep `latency` seconds before processing (billed as processing time);
- ``reset_before``: close the connection without an answer, not processed;
- ``reset_after``: process (the side effect happens), then close without an answer;
- ``error_500`` / ``error_503``: answer that status with an error body, not processed;
- ``busy``: answer "Handler is busy, try again later", not processed;
- ``drop_after``: process, hang `hang` seconds, then close without an answer.
"""

from __future__ import annotations

import fnmatch
import random
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, get_args

FaultKind = Literal[
    "latency", "reset_before", "reset_after", "error_500", "error_503", "busy", "drop_after"
]
FAULT_KINDS: frozenset[str] = frozenset(get_args(FaultKind))
# Kinds after which the request has been processed (its side effect happened).
PROCESSED_KINDS: frozenset[str] = frozenset({"reset_after", "drop_after"})


@dataclass(frozen=True, kw_only=True)
class FaultRule:
    """One fault to inject into requests to `path` (and `action`, when the body has one).

    `path` is relative to the API mount ("/autodial/action"), or the full path for the
    tracking routes; shell-style wildcards match ("*" is every path). `times` bounds how
    often the rule fires (None: no bound); `probability` is drawn per matching request.
    """

    path: str
    kind: FaultKind
    action: str | None = None
    probability: float = 1.0
    times: int | None = None
    latency: float = 0.0
    hang: float = 30.0

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}")
        if not 0.0 <= self.probability <= 1.0:
            raise ValueError("probability must be within 0..1")

    def matches(self, path: str, action: str | None) -> bool:
        if self.action is not None and self.action != action:
            return False
        return self.path == path or fnmatch.fnmatchcase(path, self.path)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class _ActiveRule:
    rule: FaultRule
    remaining: int | None


@dataclass(frozen=True, slots=True)
class FaultPlan:
    """What to do to one request: total latency first, then at most one other fault."""

    latency: float
    fault: FaultRule | None


@dataclass
class Faults:
    """The rules in force and a count of the faults applied, by kind and path."""

    seed: int = 0
    applied: Counter[tuple[str, str]] = field(default_factory=Counter)
    _rules: list[_ActiveRule] = field(default_factory=list)
    _rng: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self._rng = random.Random(f"faults-{self.seed}")

    @property
    def rules(self) -> list[FaultRule]:
        return [active.rule for active in self._rules]

    def add(self, rule: FaultRule) -> None:
        self._rules.append(_ActiveRule(rule, rule.times))

    def clear(self) -> None:
        """Remove every rule and restart the draws; the applied counts are kept."""
        self._rules.clear()
        self._rng = random.Random(f"faults-{self.seed}")

    def reset(self) -> None:
        self.clear()
        self.applied.clear()

    def applied_count(self, kind: str | None = None, path: str | None = None) -> int:
        return sum(
            n
            for (k, p), n in self.applied.items()
            if (kind is None or k == kind) and (path is None or p == path)
        )

    def plan(self, path: str, action: str | None) -> FaultPlan | None:
        """Draw the faults for one request; None when no rule fires (the common case)."""
        if not self._rules:
            return None
        latency = 0.0
        chosen: FaultRule | None = None
        for active in self._rules:
            rule = active.rule
            if active.remaining == 0 or not rule.matches(path, action):
                continue
            if rule.kind != "latency" and chosen is not None:
                continue
            if rule.probability < 1.0 and self._rng.random() >= rule.probability:
                continue
            if active.remaining is not None:
                active.remaining -= 1
            self.applied[(rule.kind, path)] += 1
            if rule.kind == "latency":
                latency += rule.latency
            else:
                chosen = rule
        if latency == 0.0 and chosen is None:
            return None
        return FaultPlan(latency, chosen)
