"""Admin routes (/__admin, no API key; mounted only when `config.admin` is true).

Each mirrors a `Sandbox` method, so benchmarks over loopback and tests in-process ask the
same questions: what arrived (worst windows, blocks), what was billed, which faults apply.
"""

from __future__ import annotations

from typing import Any

import msgspec
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from unitalk_async.sandbox._answers import bare, error
from unitalk_async.sandbox.account import account_state, set_account
from unitalk_async.sandbox.faults import FaultRule
from unitalk_async.sandbox.state import Sandbox


def _sandbox(request: Request) -> Sandbox:
    sandbox: Sandbox = request.app.state.sandbox
    return sandbox


async def _body(request: Request) -> Any:
    raw = await request.body()
    return msgspec.json.decode(raw) if raw.strip() else {}


async def arrivals(request: Request) -> Response:
    return bare(_sandbox(request).arrivals_summary())


async def billing(request: Request) -> Response:
    return bare(_sandbox(request).billing_summary())


async def state(request: Request) -> Response:
    return bare(_sandbox(request).state_summary())


async def reset(request: Request) -> Response:
    sandbox = _sandbox(request)
    if request.query_params.get("all") in ("1", "true"):
        sandbox.reset_all()
    else:
        sandbox.reset()
    return bare({"status": "Success"})


async def faults(request: Request) -> Response:
    sandbox = _sandbox(request)
    if request.method == "GET":
        return bare([rule.to_dict() for rule in sandbox.faults.rules])
    if request.method == "DELETE":
        sandbox.clear_faults()
        return bare({"status": "Success"})
    try:
        rule = msgspec.convert(await _body(request), FaultRule)
    except (msgspec.DecodeError, msgspec.ValidationError, ValueError) as exc:
        return error(f"Bad fault rule: {exc}")
    sandbox.add_fault(rule)
    return bare({"status": "Success", "data": rule.to_dict()})


async def simulate_calls(request: Request) -> Response:
    try:
        body = await _body(request)
        autodialer_id = int(body["autodialerId"])
        count = int(body.get("count", 1))
    except (msgspec.DecodeError, KeyError, TypeError, ValueError):
        return error("autodialerId and count are required")
    made = _sandbox(request).simulate_calls(autodialer_id, count)
    return bare({"status": "Success", "data": made})


async def account(request: Request) -> Response:
    """GET: every account/service switch; POST `{"<name>": bool, ...}` sets some of them."""
    project = _sandbox(request).project
    if request.method == "POST":
        try:
            changes = await _body(request)
            if not isinstance(changes, dict):
                raise ValueError("the body must be an object of switch names to true/false")
            set_account(project, changes)
        except (msgspec.DecodeError, ValueError) as exc:
            return error(f"Bad account switches: {exc}")
    return bare(account_state(project))


async def incoming_webhook(request: Request) -> Response:
    """The incoming-webhook links' token and their URL (AUTODIAL_ADD / AUTODIAL_REMOVE)."""
    token = _sandbox(request).webhook_token
    url = str(request.base_url).rstrip("/") + "/tracking/webhook/event"
    return bare({"token": token, "url": url})


def build_admin_routes() -> list[BaseRoute]:
    return [
        Route("/arrivals", arrivals, methods=["GET"]),
        Route("/billing", billing, methods=["GET"]),
        Route("/state", state, methods=["GET"]),
        Route("/reset", reset, methods=["POST"]),
        Route("/faults", faults, methods=["GET", "POST", "DELETE"]),
        Route("/simulate-calls", simulate_calls, methods=["POST"]),
        Route("/account", account, methods=["GET", "POST"]),
        Route("/incoming-webhook", incoming_webhook, methods=["GET"]),
    ]
