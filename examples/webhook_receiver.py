"""A webhook service: logs Unitalk's call events and answers ROUTE from a lookup table.

    UNITALK_WEBHOOK_SECRET=change-me python examples/webhook_receiver.py --port 8080

In the personal account, point the call-event webhooks ("API" page, Event handling) and the
incoming script's "Request to Your API" URL at

    https://<your host>/?token=change-me

(behind TLS: put a reverse proxy in front). A caller listed in OPERATORS is connected to that
operator's line; anyone else gets the "no operator" answer and the script's usual routing.
"""

from __future__ import annotations

import argparse
import logging
import os
from collections.abc import Mapping

import uvicorn

from unitalk_async.webhooks import CallEvent, RouteAnswer, RouteRequest, WebhookReceiver

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
    secret: str | None = None, operators: Mapping[str, str] = OPERATORS
) -> WebhookReceiver:
    """The receiver with its handlers; the secret defaults to $UNITALK_WEBHOOK_SECRET."""
    secret = secret or os.environ.get("UNITALK_WEBHOOK_SECRET")
    if not secret:
        raise SystemExit("set UNITALK_WEBHOOK_SECRET: the token callers must put in the URL")
    receiver = WebhookReceiver(secret=secret)

    @receiver.on(CallEvent)
    async def call_event(event: CallEvent) -> None:
        call = event.call
        log.info("%s call %s from %s to %s", event.event, call.id, call.from_, call.to)

    @receiver.on_route
    async def route(request: RouteRequest) -> RouteAnswer | None:
        operator = operators.get(digits(request.call.from_))
        log.info("ROUTE %s -> %s", request.call.from_, operator or "no operator")
        return RouteAnswer(operator_number=operator) if operator else None

    return receiver


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    uvicorn.run(create_receiver().app, host=args.host, port=args.port)


if __name__ == "__main__":
    main()
