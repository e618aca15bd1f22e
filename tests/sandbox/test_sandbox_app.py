"""The application around the endpoints: auth, unknown paths and methods, the arrival log,
billing, the admin routes (mounted only when asked), resets."""

from __future__ import annotations

import dataclasses
from typing import Any

import httpx
import pytest

from unitalk_async._reference import cost_units
from unitalk_async.sandbox import FaultRule, SandboxConfig, create_app
from unitalk_async.sandbox.billing import Billing

from .conftest import BASE, Api, phones, task

pytestmark = pytest.mark.anyio


async def raw(api: Api, method: str, path: str, **kwargs: Any) -> httpx.Response:
    transport = httpx.ASGITransport(app=api.app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as http:
        return await http.request(method, path, **kwargs)


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "wrong"}, {"Authorization": "Bearer wrong"}, {"X-Api-Key": "k"}],
)
async def test_missing_or_wrong_key_is_answered_as_the_service_does(
    api: Api, headers: dict[str, str]
) -> None:
    for path in ("/api/autodial/action", "/api/users/list", "/api/nowhere"):
        response = await raw(api, "POST", path, json={"action": "GET_LIST"}, headers=headers)
        assert response.status_code == 401
        assert response.json() == {"status": "Error", "message": "Authorization invalid"}
    arrival = api.sandbox.arrivals.entries[0]
    assert (arrival.key_id, arrival.status, arrival.action) == (None, 401, "GET_LIST")


async def test_the_auth_answer_can_come_with_http_200_as_the_earlier_server_sent_it() -> None:
    api = Api(create_app(SandboxConfig(auth_error_status=200)))
    response = await raw(api, "POST", "/api/users/list", headers={"Authorization": "wrong"})
    assert response.status_code == 200
    assert response.json() == {"status": "Error", "message": "Authorization invalid"}
    with pytest.raises(ValueError, match="auth_error_status"):
        SandboxConfig(auth_error_status=403)


@pytest.mark.parametrize("scheme", ["", "Bearer ", "bearer "])
async def test_the_key_plain_or_bearer(api: Api, scheme: str) -> None:
    headers = {"Authorization": scheme + api.sandbox.api_key}
    response = await raw(
        api, "POST", "/api/autodial/action", json={"action": "GET_LIST"}, headers=headers
    )
    assert response.status_code == 200


async def test_a_given_key_is_used_and_a_generated_one_is_long() -> None:
    assert create_app(SandboxConfig(api_key="secret")).state.sandbox.api_key == "secret"
    generated = create_app(SandboxConfig()).state.sandbox.api_key
    assert len(generated) >= 24
    assert generated != create_app(SandboxConfig()).state.sandbox.api_key


async def test_unknown_path_404_and_wrong_method_405(api: Api) -> None:
    headers = {"Authorization": api.sandbox.api_key}
    missing = await raw(api, "POST", "/api/no/such/method", headers=headers)
    assert missing.status_code == 404
    assert missing.json() == {"status": "Error", "message": "Not found"}
    wrong = await raw(api, "GET", "/api/autodial/action", headers=headers)
    assert wrong.status_code == 405
    assert wrong.json()["status"] == "Error"
    assert "POST" in wrong.headers["Allow"]


async def test_a_body_that_is_not_json(api: Api) -> None:
    response = await api.post(
        "/api/autodial/action", content=b"{nope", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["message"] == "Invalid JSON"


async def test_the_arrival_log_records_each_request(api: Api) -> None:
    await api.action("GET_LIST")
    await api.action("GET_NUMBERS", id=1)
    await api.post("/api/users/list")
    entries = api.sandbox.arrivals.entries
    assert [(e.path, e.action, e.status, e.key_id) for e in entries] == [
        ("/autodial/action", "GET_LIST", 200, "key"),
        ("/autodial/action", "GET_NUMBERS", 400, "key"),
        ("/users/list", None, 200, "key"),
    ]
    assert api.sandbox.arrivals.total == 3
    assert api.sandbox.arrivals.worst_window(10.0) == 3
    assert api.sandbox.arrivals.max_in_flight == 1


async def test_tracking_links_need_no_key_and_count_per_token(api: Api) -> None:
    autodialer_id = await api.create()
    (token,) = api.sandbox.project.webhook_tokens
    query = {
        "token": token,
        "action": "AUTODIAL_ADD",
        "id": autodialer_id,
        "phones": "380971234567",
    }
    response = await raw(api, "POST", "/tracking/webhook/event", params=query)
    assert response.json() == {"status": "Success"}
    arrival = api.sandbox.arrivals.entries[-1]
    assert (arrival.path, arrival.key_id) == ("/tracking/webhook/event", f"token:{token}")
    assert api.sandbox.autodial.get(autodialer_id).numbers.count == 1
    assert await api.status(autodialer_id) == "WAITING"


def test_cost_tiers() -> None:
    bill = Billing()
    for ms in (0.5, 49.9, 50.0, 199.0, 499.0, 999.0, 1000.0, 5000.0):
        bill.record("/x", ms)
    assert [cost_units(ms) for ms in (49.9, 50.0, 200.0, 500.0, 1000.0)] == [1, 2, 3, 4, 5]
    summary = bill.summary()
    assert summary["units"] == 1 + 1 + 2 + 2 + 3 + 4 + 5 + 5
    assert summary["paths"]["/x"]["byUnits"] == {"1": 2, "2": 2, "3": 1, "4": 1, "5": 2}


async def test_billing_measures_processing_with_injected_latency(api: Api) -> None:
    api.sandbox.add_fault(FaultRule(path="/users/list", kind="latency", latency=0.21))
    await api.post("/api/users/list")
    await api.action("GET_LIST")
    paths = api.sandbox.billing.summary()["paths"]
    assert paths["/users/list"]["byUnits"] == {"3": 1}  # 210 ms: "<500 ms – 3 requests"
    assert paths["/autodial/action"]["byUnits"] == {"1": 1}
    assert api.sandbox.billing.total_units == 4


async def test_admin_routes(api: Api) -> None:
    autodialer_id = await api.create(numbers=phones(5))
    await api.action("GET_LIST")
    made = await raw(
        api, "POST", "/__admin/simulate-calls", json={"autodialerId": autodialer_id, "count": 3}
    )
    assert made.json() == {"status": "Success", "data": 3}
    arrivals = (await raw(api, "GET", "/__admin/arrivals")).json()
    assert arrivals["total"] == 2
    assert arrivals["worst1s"] == arrivals["worst10s"] == 2
    assert (arrivals["rejected"], arrivals["blocks"], arrivals["maxInFlight"]) == (0, [], 1)
    billing = (await raw(api, "GET", "/__admin/billing")).json()
    assert billing["requests"] == 2 and billing["units"] == 2
    state = (await raw(api, "GET", "/__admin/state")).json()
    assert (state["autodialers"], state["numbers"], state["calls"]) == (1, 5, 3)
    assert (await raw(api, "POST", "/__admin/reset")).status_code == 200
    assert api.sandbox.arrivals.total == 0
    assert api.sandbox.autodial.autodialers  # a plain reset keeps the state
    await raw(api, "POST", "/__admin/reset", params={"all": "true"})
    assert not api.sandbox.autodial.autodialers
    unknown = await raw(api, "POST", "/__admin/simulate-calls", json={"autodialerId": 1})
    assert unknown.json()["message"] == "Task not found"


async def test_account_switches_under_admin_provoke_their_documented_errors(api: Api) -> None:
    state = (await raw(api, "GET", "/__admin/account")).json()
    assert state == dict.fromkeys(state, True) and "servicePaid" in state
    changed = await raw(api, "POST", "/__admin/account", json={"phoneConfirmed": False})
    assert changed.json()["phoneConfirmed"] is False
    refused = await api.action("ADD", task=task())
    assert refused.json()["message"] == "Please confirm phone number"
    await raw(api, "POST", "/__admin/account", json={"phoneConfirmed": True, "servicePaid": False})
    assert (await api.action("ADD", task=task())).status_code == 200
    assert api.sandbox.project.service_paid is False
    for bad in ({"noSuchSwitch": False}, {"servicePaid": "no"}, [1]):
        answer = await raw(api, "POST", "/__admin/account", json=bad)
        assert answer.status_code == 400 and answer.json()["message"].startswith("Bad account")
    assert api.sandbox.project.service_paid is False  # a refused change changes nothing


async def test_switches_start_off_when_configured_and_a_reset_all_restores_that() -> None:
    api = Api(create_app(SandboxConfig(admin=True, switched_off=frozenset({"billingAllowed"}))))
    assert (await raw(api, "GET", "/__admin/account")).json()["billingAllowed"] is False
    await raw(api, "POST", "/__admin/account", json={"billingAllowed": True})
    await raw(api, "POST", "/__admin/reset", params={"all": "true"})
    assert (await raw(api, "GET", "/__admin/account")).json()["billingAllowed"] is False


async def test_the_incoming_webhook_token_is_readable_and_survives_a_reset() -> None:
    api = Api(create_app(SandboxConfig(admin=True, webhook_token="tok-1")))
    link = (await raw(api, "GET", "/__admin/incoming-webhook")).json()
    assert link == {"token": "tok-1", "url": f"{BASE}/tracking/webhook/event"}
    generated = Api(create_app(SandboxConfig(admin=True)))
    token = (await raw(generated, "GET", "/__admin/incoming-webhook")).json()["token"]
    await raw(generated, "POST", "/__admin/reset", params={"all": "true"})
    assert (await raw(generated, "GET", "/__admin/incoming-webhook")).json()["token"] == token
    assert len(token) >= 20 and "tok-1" not in repr(api.sandbox.config)


async def test_admin_is_mounted_only_when_asked(sandbox_config: SandboxConfig) -> None:
    closed = Api(create_app(dataclasses.replace(sandbox_config, admin=False)))
    response = await raw(closed, "GET", "/__admin/arrivals")
    assert response.status_code == 404
    assert closed.sandbox.arrivals_summary()["total"] == 0  # the Python face remains


async def test_reset_all_gives_a_fresh_project_with_the_same_key(api: Api) -> None:
    key = api.sandbox.api_key
    await api.create()
    api.sandbox.add_fault(FaultRule(path="*", kind="latency"))
    api.sandbox.reset_all()
    assert api.sandbox.api_key == key
    assert not api.sandbox.autodial.autodialers and not api.sandbox.faults.rules
    assert (await api.ok("GET_LIST"))["data"] == []


def test_the_project_is_the_same_for_the_same_seed() -> None:
    def project(seed: int) -> Any:
        return create_app(SandboxConfig(seed=seed)).state.sandbox.project

    first, again, other = project(5), project(5), project(6)
    assert first.users == again.users and first.lines == again.lines
    assert first.groups == again.groups
    assert (first.users, first.lines) != (other.users, other.lines)
    assert first.next_id("audio") < first.next_id("autodialer")


def test_exported_names() -> None:
    import unitalk_async.sandbox as sandbox

    assert sandbox.__all__ == sorted(sandbox.__all__)
    assert set(sandbox.__all__) == {
        "FaultRule", "Sandbox", "SandboxConfig", "SandboxError", "SandboxProcess",
        "SandboxServer", "ServerLimits", "create_app", "run_sandbox", "run_sandbox_process",
        "serve_sandbox",
    }  # fmt: skip
    for name in sandbox.__all__:
        assert getattr(sandbox, name) is not None


async def test_a_handler_bug_answers_500_in_the_envelope() -> None:
    from starlette.routing import Mount, Route

    app = create_app(SandboxConfig(enforce_limits=False))

    async def broken(request: object) -> None:
        raise RuntimeError("bug")

    api_mount = next(r for r in app.routes if isinstance(r, Mount) and r.path == "/api")
    api_mount.routes.append(Route("/broken", broken, methods=["POST"]))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as http:
        answer = await http.post(
            "/api/broken", headers={"Authorization": app.state.sandbox.api_key}
        )
    assert answer.status_code == 500
    assert answer.json() == {"status": "Error", "message": "Internal error"}
