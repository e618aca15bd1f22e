"""A webhook service: logs Unitalk's call events and answers ROUTE from a lookup table.

    UNITALK_WEBHOOK_SECRET=change-me python examples/webhook_receiver.py --port 8080

In the personal account, point the call-event webhooks ("API" page, Event handling) and the
incoming script's "Request to Your API" URL at

    https://<your host>/?token=change-me

(behind TLS: put a reverse proxy in front). A caller listed in OPERATORS is connected to that
operator's line; anyone else gets the "no operator" answer and the script's usual routing.

To rotate the secret, list the new one first: UNITALK_WEBHOOK_SECRET=new-one,change-me; once
no request uses the old one (the receiver counts them), drop it. Payloads that do not decode
are appended to --dead-letters (JSON Lines) for a later look or replay.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
from collections.abc import Mapping
from pathlib import Path

import uvicorn

from unitalk_async.webhooks import (
    CallEvent,
    RouteAnswer,
    RouteRequest,
    UnknownEvent,
    WebhookReceiver,
)

log = logging.getLogger("webhook_receiver")

#: Caller number (digits only, international format) -> the responsible operator's line.
OPERATORS: dict[str, str] = {
    "380505557182": "2048",
    "380971234567": "2040",
}


def digits(number: object) -> str:
    """A phone number as the service writes it, digits only ("" when absent or null)."""
    return "".join(ch for ch in number if ch.isdigit()) if isinstance(number, str) else ""


def create_receiver(
    secret: str | None = None,
    operators: Mapping[str, str] = OPERATORS,
    dead_letters: Path = Path("dead-letters.jsonl"),
) -> WebhookReceiver:
    """The receiver with its handlers; the secret defaults to $UNITALK_WEBHOOK_SECRET (several,
    comma-separated, while rotating: the first is the current one)."""
    secret = secret or os.environ.get("UNITALK_WEBHOOK_SECRET")
    secrets = [s.strip() for s in (secret or "").split(",") if s.strip()]
    if not secrets:
        raise SystemExit("set UNITALK_WEBHOOK_SECRET: the token callers must put in the URL")
    receiver = WebhookReceiver(secret=secrets)

    @receiver.on(CallEvent)
    async def call_event(event: CallEvent) -> None:
        call = event.call
        log.info("%s call %s from %s to %s", event.event, call.id, call.from_, call.to)

    @receiver.on_route
    async def route(request: RouteRequest) -> RouteAnswer | None:
        operator = operators.get(digits(request.call.from_))
        log.info("ROUTE %s -> %s", request.call.from_, operator or "no operator")
        return RouteAnswer(operator_number=operator) if operator else None

    @receiver.on_dead_letter
    async def keep(event: UnknownEvent) -> None:
        with dead_letters.open("a") as file:  # a few lines a day at most: no thread needed
            file.write(json.dumps({"event": event.event, "error": event.error, "raw": event.raw}))
            file.write("\n")

    return receiver


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--dead-letters", type=Path, default=Path("dead-letters.jsonl"))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    receiver = create_receiver(dead_letters=args.dead_letters)
    uvicorn.run(receiver.app, host=args.host, port=args.port)


if __name__ == "__main__":
    main()
