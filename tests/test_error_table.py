"""Every error message of the reference maps to a class; the table is walked against the text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from unitalk_async import _exceptions as exc
from unitalk_async._reference import ERROR_MESSAGES, ErrorKind, classify_message

REFERENCE = Path(__file__).parent / "reference" / "unitalk-api.txt"
HEADINGS = (
    "Possible errors:",
    "Possible mistakes:",
    "Possible values of the error field for each of the voicing elements on Success:",
)
# Message/description pairs the reference prints without a description line, or with a
# heading line missing; listed here so the walk below stays exact.
IRREGULAR = {"Sip not found", "Sip not ready", "Wrong phone", "Wrong FROM date"}


def reference_messages() -> set[str]:
    """Error messages from every "Possible errors" block: message lines alternate with their
    descriptions; a block ends at the next section title (followed by a "Сopied" line)."""
    lines = REFERENCE.read_text(encoding="utf-8").splitlines()
    found: set[str] = set()
    i = 0
    while i < len(lines):
        if lines[i].strip() not in HEADINGS:
            i += 1
            continue
        j = i + 1
        block: list[str] = []
        while j < len(lines) and not (j + 1 < len(lines) and lines[j + 1].strip() == "Сopied"):
            if lines[j].startswith(("{", "[", "Possible", "Request", "Relative", "An example")):
                break
            block.append(lines[j].strip())
            j += 1
        found.update(block[0::2])
        i = j
    return found


def test_every_documented_message_has_a_class() -> None:
    messages = reference_messages() | IRREGULAR
    # The directCall block is printed without descriptions, so its alternation is off by one.
    messages -= {
        "specified line is offline or busy",
        "Method can also be used by passing url parametes instead of body",
    }
    assert len(messages) > 120
    unmapped = sorted(m for m in messages if classify_message(m.replace("…", "1000")) is None)
    assert unmapped == []


def test_prefixed_messages_match_with_their_detail() -> None:
    assert classify_message("Operator not found: 1001, 1002") is ErrorKind.NOT_FOUND
    assert classify_message("User with id 42 not found") is ErrorKind.NOT_FOUND
    assert classify_message("audios: Audio is null") is ErrorKind.BAD_REQUEST
    assert classify_message("compositeAudio: too many audio parts") is ErrorKind.BAD_REQUEST
    assert classify_message("Service response: invalid authorization data") is ErrorKind.UNAVAILABLE
    assert classify_message("Never documented") is None


@pytest.mark.parametrize(("message", "kind"), sorted(ERROR_MESSAGES.items()))
def test_each_message_becomes_its_class(message: str, kind: ErrorKind) -> None:
    error = exc.error_from_answer(message, http_status=400, path="/p")
    assert isinstance(error, exc._KIND_TO_CLASS[kind])
    assert error.message == message


@pytest.mark.parametrize(
    ("message", "cls"),
    [
        ("Handler is busy, try again later", exc.BusyError),
        ("Try again later", exc.BusyError),
        ("Task not found", exc.NotFoundError),
        ("Wrong numbers", exc.InvalidItemsError),
        ("Name already present", exc.ConflictError),
        ("Insufficient funds", exc.BillingError),
        ("Unauthorized", exc.AuthenticationError),
        ("API key is permanently blocked", exc.PermanentlyBlockedError),
        ("Numbers limit exceeded", exc.LimitExceededError),
        ("Voice analytics is not available", exc.UnavailableError),
    ],
)
def test_callers_can_react_without_string_matching(message: str, cls: type) -> None:
    assert isinstance(exc.error_from_answer(message), cls)


def test_hierarchy() -> None:
    assert issubclass(exc.ValidationError, exc.BadRequestError)
    assert issubclass(exc.ValidationError, ValueError)
    assert issubclass(exc.OutcomeUnknownError, exc.TransportError)
    for name in exc.__all__:
        obj = getattr(exc, name)
        if isinstance(obj, type):
            assert issubclass(obj, exc.UnitalkError)
            assert obj.__doc__ and re.match(r"Raised (when|for|on|before)", obj.__doc__)
