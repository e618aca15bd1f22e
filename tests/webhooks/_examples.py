"""The JSON examples of the reference's "Webhooks" section, labelled with what they are.

A thin layer over the shared extractor (tests/reference/examples.py), which removes `//`
comments and trailing commas and repairs the one missing comma of this section (voice queue
events, after `"gclid": "gclid..."`). Which payload an example is comes from where the
reference puts it (heading and the prose line before it), never from its content, so that
`parse` is tested against an independent label.
"""

from __future__ import annotations

from typing import Any

from reference.examples import REFERENCE, Example, examples_between

from unitalk_async.webhooks import (
    AutodialCallEvent,
    AutodialEvent,
    BalanceMovement,
    CallEvent,
    RouteAnswer,
    RouteRequest,
    VoiceMenuEvent,
    VoiceQueueAnswer,
    VoiceQueueEvent,
    VoiceQueueRequest,
)

__all__ = [
    "ANSWERS",
    "EXAMPLES",
    "INBOUND",
    "INCOMING_ANSWERS",
    "REFERENCE",
    "Example",
    "payload_class",
]

_BY_INTRO: dict[str, type[Any]] = {
    "Example of sent JSON:": BalanceMovement,
    "Standard JSON for call events:": CallEvent,
    "Standard JSON for voice menu events:": VoiceMenuEvent,
    "Standard JSON for autodialers calls completion events:": AutodialCallEvent,
    "Standard JSON for non-call autodialer events": AutodialEvent,
    "Standard JSON for voice queue events:": VoiceQueueEvent,
}


def payload_class(example: Example) -> type[Any]:
    """The struct an example must decode to; `dict` for the incoming-webhook answers."""
    for phrase, cls in _BY_INTRO.items():
        if example.intro.endswith(phrase):
            return cls
    sent = "sent to the specified URL:" in example.intro
    if example.heading == "Transferring a call to the responsible operator":
        return RouteRequest if sent else RouteAnswer
    if example.heading == "Voice queue management":
        return VoiceQueueRequest if sent else VoiceQueueAnswer
    if example.intro.endswith("In case of success:"):
        return dict
    raise AssertionError(f"unlabelled example in {example.heading!r}: {example.intro[-60:]!r}")


EXAMPLES = examples_between("Webhooks", "Messages")
#: What Unitalk posts to a receiver.
INBOUND = [
    e for e in EXAMPLES if payload_class(e).__name__.endswith(("Event", "Movement", "Request"))
]
#: What a receiver answers (ROUTE and voice queue).
ANSWERS = [e for e in EXAMPLES if payload_class(e).__name__.endswith("Answer")]
#: What the incoming-webhook links answer.
INCOMING_ANSWERS = [e for e in EXAMPLES if payload_class(e) is dict]
