"""The autodialer task's ranges and required fields: one table (`_reference.TASK_RANGES`,
`TASK_REQUIRED_BY_MODE`, `REPEAT_RANGES`) read by the client's checks before sending and by
the sandbox's answers. A property test proves the two verdicts agree on every input."""

from __future__ import annotations

from datetime import date
from typing import Any

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unitalk_async import _codec
from unitalk_async import _reference as ref
from unitalk_async._exceptions import ValidationError
from unitalk_async.models._autodial_rules import validate_request
from unitalk_async.models.autodial import (
    AddRequest,
    AutodialTask,
    RepeatCallsSettings,
    RepeatStateSettings,
)
from unitalk_async.sandbox import SandboxConfig
from unitalk_async.sandbox._answers import SandboxError
from unitalk_async.sandbox.autodial_settings import validate_task
from unitalk_async.sandbox.project import Project

PROJECT = Project.generate(SandboxConfig())
SNAKE = {
    name: "".join("_" + c.lower() if c.isupper() else c for c in name) for name in ref.TASK_RANGES
}


def near(bounds: ref.Bounds) -> st.SearchStrategy[Any]:
    """Values around a range: inside, on and just past each bound, of every JSON kind."""
    low = bounds[0] if bounds[0] is not None else -100
    high = bounds[1] if bounds[1] is not None else low + 100
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(int(low) - 2, int(high) + 2),
        st.floats(low - 1, high + 1, allow_nan=False),
        st.sampled_from([low, high, low - 0.01, high + 0.01, low - 1, high + 1]),
    )


FIELDS = st.fixed_dictionaries({}, optional={name: near(b) for name, b in ref.TASK_RANGES.items()})
REPEAT = st.fixed_dictionaries(
    {},
    optional={
        "attempts": near(ref.REPEAT_RANGES["attempts"]),
        "interval_minutes": near(ref.REPEAT_RANGES["intervalMinutes"]),
    },
)


def client_task(mode: str, fields: dict[str, Any], repeat: dict[str, Any] | None) -> AutodialTask:
    settings_ = (
        RepeatCallsSettings(states_settings={"NOANSWER": RepeatStateSettings(**repeat)})  # type: ignore[dict-item]
        if repeat is not None
        else msgspec.UNSET
    )
    return AutodialTask(
        name="Ranges",
        autodialer_mode=mode,  # type: ignore[arg-type]
        start_date=date(2030, 3, 15),
        end_date=date(2030, 5, 15),
        time_from=["09:00"] * 7,  # type: ignore[list-item]
        time_to=["19:00"] * 7,  # type: ignore[list-item]
        crm_mode="DONT_SEND",  # type: ignore[arg-type]
        client_called_mode="NEVER",  # type: ignore[arg-type]
        scenario_id=70,
        group_id=300 if mode != "FIXED" else msgspec.UNSET,
        repeat_calls_settings=settings_,
        **{SNAKE[name]: value for name, value in fields.items()},
    )


def client_refuses(task: AutodialTask) -> bool:
    try:
        validate_request(AddRequest(task=task))
    except ValidationError:
        return True
    return False


def sandbox_refuses(task: AutodialTask) -> bool:
    wire = _codec.to_builtins(task)
    try:
        validate_task(wire, PROJECT, autodialer_type="AUTODIAL", name_taken=False)
    except SandboxError:
        return True
    return False


@settings(max_examples=400, deadline=None)
@given(
    mode=st.sampled_from(["FIXED", "FREE", "SMART"]),
    fields=FIELDS,
    repeat=st.one_of(st.none(), REPEAT),
)
def test_client_and_sandbox_agree_on_every_task(
    mode: str, fields: dict[str, Any], repeat: dict[str, Any] | None
) -> None:
    task = client_task(mode, fields, repeat)
    assert client_refuses(task) == sandbox_refuses(task)


@pytest.mark.parametrize(
    ("name", "value", "refused"),
    [
        ("coldBaseStartCallsMultiplier", 0.1, False),
        ("coldBaseStartCallsMultiplier", 1.5, False),
        ("coldBaseStartCallsMultiplier", 0.09, True),
        ("coldBaseStartCallsMultiplier", 1.6, True),
        ("markAsBusySeconds", 3600, False),
        ("markAsBusySeconds", 3601, True),
        ("markAsBusyMinSecondsTalk", -1, True),
        ("smartSpeed", -10, False),
        ("smartSpeed", 11, True),
        ("smartSpeed", 1.5, True),
        ("threadCount", 0, True),
    ],
)
def test_the_documented_ranges_on_both_sides(name: str, value: Any, refused: bool) -> None:
    task = client_task("SMART", {name: value}, None)
    assert client_refuses(task) is refused
    assert sandbox_refuses(task) is refused


def test_fixed_mode_needs_thread_count_on_both_sides() -> None:
    task = client_task("FIXED", {}, None)
    assert client_refuses(task) and sandbox_refuses(task)
    assert not client_refuses(client_task("FIXED", {"threadCount": 2}, None))
    assert not sandbox_refuses(client_task("FIXED", {"threadCount": 2}, None))
