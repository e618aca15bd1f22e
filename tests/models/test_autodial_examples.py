"""Every JSON example of the reference's "Autodialer" section round-trips through the models.

The examples are located in tests/reference/unitalk-api.txt (not copied here) and cleaned by
tests/reference/examples.py: `//` comments, `...` and trailing commas removed. Decoding an
example into its type and encoding it back must give the same document.

Repairs the reference needs (listed by the extractor, asserted below):
- GET_WITH_DATA's answer: `"callsDoneCount":` has no value (null inserted) and four
  members lack their comma;
- the GUARANTEED_DIAL, FREE and SMART fragments: a comma missing after
  `"pseudoGroupOperators" : ["1000", ... ]`;
- GET_NUMBER, GET_NUMBERS, GET_CALLS_HISTORY answers: a comma missing after one member.
"""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from reference.examples import Example, examples_between

from unitalk_async import _codec
from unitalk_async._exceptions import ValidationError
from unitalk_async.models._autodial_rules import validate_request
from unitalk_async.models._envelope import Envelope
from unitalk_async.models.autodial import (
    AddRequest,
    AutodialerNumber,
    AutodialerWithData,
    AutodialRequest,
    AutodialTask,
    CallsHistoryPage,
    GuaranteedDialTask,
    VoiceRobotTask,
)

EXAMPLES = examples_between("Autodialer", "Calls initiation")
WHOLE = [e for e in EXAMPLES if not e.fragment]
FRAGMENTS = [e for e in EXAMPLES if e.fragment]

# The answer type of each section's success example (bare or enveloped: README "API notes").
ANSWER_TYPES: dict[str, Any] = {
    "Obtaining complete information about autodialers with additional data": (AutodialerWithData),
    "Creating and updating autodialers": Envelope[int],
    "Autodialer removal": Envelope[Any],
    "Re-call numbers": Envelope[Any],
    "Autodialer cancellation": Envelope[Any],
    "Pausing": Envelope[Any],
    "Unpausing": Envelope[Any],
    "Adding numbers": Envelope[Any],
    "Obtaining information about the autodialer number": AutodialerNumber,
    "Obtaining information about all autodialer numbers": list[AutodialerNumber],
    "Obtaining information about autodialer calls": CallsHistoryPage,
    "Deleting numbers": Envelope[list[str]],
    "Delete all numbers": Envelope[Any],
}


def _round_trip(document: Any, type_: Any) -> Any:
    decoded = _codec.decode(msgspec.json.encode(document), type_)
    return decoded, _codec.to_builtins(decoded)


def test_every_example_of_the_section_is_found() -> None:
    # 15 requests (GET_LIST has none; ADD/UPDATE share one) + 13 answers + 6 fragments
    assert len(WHOLE) == 26
    assert len(FRAGMENTS) == 6
    assert {e.heading for e in WHOLE if not e.is_request} == set(ANSWER_TYPES)


def test_repairs_are_the_known_mistakes_of_the_reference() -> None:
    repaired = {(e.heading, e.fragment): e.repairs for e in EXAMPLES if e.repairs}
    assert repaired[(next(iter(ANSWER_TYPES)), False)] == (
        "key without a value: null inserted (1x)",
        "missing comma between members/elements (4x)",
    )
    assert len(repaired) == 5  # GET_WITH_DATA, fragments (one key), 3 number/call answers


@pytest.mark.parametrize("example", [e for e in WHOLE if e.is_request], ids=lambda e: e.line)
def test_request_example_round_trips(example: Example) -> None:
    document = example.value
    decoded, encoded = _round_trip(document, AutodialRequest)
    assert encoded == document
    assert type(decoded).__name__.upper().startswith(document["action"].replace("_", ""))


@pytest.mark.parametrize(
    "example", [e for e in WHOLE if not e.is_request], ids=lambda e: f"{e.line}"
)
def test_answer_example_round_trips(example: Example) -> None:
    document = example.value
    _, encoded = _round_trip(document, ANSWER_TYPES[example.heading])
    assert encoded == document


def _common_task() -> dict[str, Any]:
    add = next(e for e in WHOLE if e.is_request and e.value["action"] == "ADD")
    task: dict[str, Any] = add.value["task"]
    return task


@pytest.mark.parametrize("example", FRAGMENTS, ids=lambda e: e.intro.split(" part")[0][-20:])
def test_fragment_round_trips_inside_the_common_task(example: Example) -> None:
    # A fragment is a part of the task: merged into the common example's task it must
    # round-trip as a whole, decoded as the type it documents.
    task = _common_task() | example.value
    if "GUARANTEED_DIAL" in example.intro:
        task["autodialerType"] = "GUARANTEED_DIAL"
    elif "VOICE_ROBOT" in example.intro:
        task["autodialerType"] = "VOICE_ROBOT"
    document = {"action": "ADD", "task": task}
    decoded, encoded = _round_trip(document, AutodialRequest)
    assert encoded == document
    assert isinstance(decoded, AddRequest)
    expected = {
        "AUTODIAL": AutodialTask,
        "GUARANTEED_DIAL": GuaranteedDialTask,
        "VOICE_ROBOT": VoiceRobotTask,
    }[task["autodialerType"]]
    assert type(decoded.task) is expected
    for key in example.value:  # every fragment member landed in a field, none ignored
        assert key in encoded["task"]


def test_the_add_example_breaks_its_own_repeat_rule() -> None:
    # The example's NOANSWER setting has 30 attempts where the prose allows 0..10: it
    # decodes (answers must never fail on it) but the client refuses to send it.
    add = next(e for e in WHOLE if e.is_request and e.value["action"] == "ADD")
    request: Any = _codec.decode(msgspec.json.encode(add.value), AutodialRequest)
    with pytest.raises(ValidationError) as caught:
        validate_request(request)
    assert caught.value.field == "task.repeat_calls_settings.states_settings[NOANSWER].attempts"
