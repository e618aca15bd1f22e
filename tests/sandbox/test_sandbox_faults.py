"""Fault injection as a raw HTTP client sees it over loopback, and whether the side effect
(numbers added) happened."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from unitalk_async.sandbox import FaultRule, SandboxConfig, SandboxServer, create_app, run_sandbox
from unitalk_async.sandbox.gate import SimulatedConnectionReset

from .conftest import phones, task

PATH = "/autodial/action"


@pytest.fixture(scope="module")
def served() -> Iterator[SandboxServer]:
    with run_sandbox(SandboxConfig(enforce_limits=False, seed=7, admin=True)) as server:
        yield server


@pytest.fixture
def server(served: SandboxServer) -> SandboxServer:
    served.sandbox.reset_all()
    return served


@pytest.fixture
def http(server: SandboxServer) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=server.base_url, headers={"Authorization": server.api_key}, timeout=5
    ) as client:
        yield client


def create(http: httpx.Client) -> int:
    answer = http.post(PATH, json={"action": "ADD", "task": task()}).json()
    autodialer_id: int = answer["data"]
    return autodialer_id


def add_numbers(http: httpx.Client, autodialer_id: int, **kwargs: Any) -> httpx.Response:
    body = {"action": "ADD_NUMBERS", "id": autodialer_id, "numbers": phones(3)}
    return http.post(PATH, json=body, **kwargs)


def stored(server: SandboxServer, autodialer_id: int) -> int:
    return server.sandbox.autodial.get(autodialer_id).numbers.count


@pytest.mark.parametrize(("kind", "processed"), [("reset_before", False), ("reset_after", True)])
def test_resets_answer_nothing(
    server: SandboxServer, http: httpx.Client, kind: str, processed: bool
) -> None:
    autodialer_id = create(http)
    server.sandbox.add_fault(FaultRule(path=PATH, action="ADD_NUMBERS", kind=kind))  # type: ignore[arg-type]
    with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
        add_numbers(http, autodialer_id)
    assert stored(server, autodialer_id) == (3 if processed else 0)
    assert server.sandbox.faults.applied_count(kind, PATH) == 1
    # The connection is gone, the server is not: the next request on a new one works.
    assert http.post(PATH, json={"action": "GET_LIST"}).status_code == 200


@pytest.mark.parametrize(
    ("kind", "status", "message"),
    [
        ("error_500", 500, "Internal error"),
        ("error_503", 503, "Service temporarily unavailable"),
        ("busy", 400, "Handler is busy, try again later"),
    ],
)
def test_error_answers_are_not_processed(
    server: SandboxServer, http: httpx.Client, kind: str, status: int, message: str
) -> None:
    autodialer_id = create(http)
    server.sandbox.add_fault(FaultRule(path=PATH, action="ADD_NUMBERS", kind=kind))  # type: ignore[arg-type]
    response = add_numbers(http, autodialer_id)
    assert response.status_code == status
    assert response.json() == {"status": "Error", "message": message}
    assert stored(server, autodialer_id) == 0


def test_drop_after_processes_then_the_client_times_out(
    server: SandboxServer, http: httpx.Client
) -> None:
    autodialer_id = create(http)
    server.sandbox.add_fault(FaultRule(path=PATH, action="ADD_NUMBERS", kind="drop_after", hang=30))
    with pytest.raises(httpx.ReadTimeout):
        add_numbers(http, autodialer_id, timeout=0.3)
    assert stored(server, autodialer_id) == 3
    # Processed and answered as far as the server knows: no longer in flight.
    assert server.sandbox.limiter.in_flight("key") == 0


def test_drop_after_closes_without_an_answer_when_the_hang_ends(
    server: SandboxServer, http: httpx.Client
) -> None:
    autodialer_id = create(http)
    server.sandbox.add_fault(FaultRule(path=PATH, kind="drop_after", hang=0.05))
    with pytest.raises(httpx.RemoteProtocolError):
        add_numbers(http, autodialer_id)
    assert stored(server, autodialer_id) == 3


def test_latency_delays_and_is_billed(server: SandboxServer, http: httpx.Client) -> None:
    server.sandbox.add_fault(FaultRule(path=PATH, kind="latency", latency=0.06))
    assert http.post(PATH, json={"action": "GET_LIST"}).status_code == 200
    bill = server.sandbox.billing.paths[PATH]
    assert bill.by_units == {2: 1}  # 60 ms: "<200ms – 2 requests"


def test_rules_match_path_action_and_times(server: SandboxServer, http: httpx.Client) -> None:
    autodialer_id = create(http)
    server.sandbox.add_fault(
        FaultRule(path="/autodial/*", action="ADD_NUMBERS", kind="error_503", times=2)
    )
    assert http.post(PATH, json={"action": "GET_LIST"}).status_code == 200
    assert [add_numbers(http, autodialer_id).status_code for _ in range(3)] == [503, 503, 200]
    assert server.sandbox.faults.applied_count("error_503") == 2
    assert server.sandbox.state_summary()["faultsApplied"] == {f"error_503 {PATH}": 2}


def outcomes(seed: int) -> list[int]:
    with run_sandbox(SandboxConfig(enforce_limits=False, seed=seed)) as server:
        server.sandbox.add_fault(FaultRule(path="*", kind="error_500", probability=0.5))
        with httpx.Client(base_url=server.base_url, headers={"Authorization": server.api_key}) as c:
            return [c.post(PATH, json={"action": "GET_LIST"}).status_code for _ in range(24)]


def test_draws_are_deterministic_with_the_seed() -> None:
    first, again, other = outcomes(3), outcomes(3), outcomes(4)
    assert first == again
    assert set(first) == {200, 500}
    assert first != other


def test_admin_routes_add_and_clear_faults(server: SandboxServer, http: httpx.Client) -> None:
    rule = {"path": PATH, "kind": "error_500", "action": "GET_LIST"}
    added = httpx.post(server.admin_url + "/faults", json=rule)
    assert added.status_code == 200
    assert httpx.get(server.admin_url + "/faults").json()[0]["kind"] == "error_500"
    assert http.post(PATH, json={"action": "GET_LIST"}).status_code == 500
    assert httpx.delete(server.admin_url + "/faults").status_code == 200
    assert http.post(PATH, json={"action": "GET_LIST"}).status_code == 200
    state = httpx.get(server.admin_url + "/state").json()
    assert state["faultsApplied"] == {f"error_500 {PATH}": 1}
    bad = httpx.post(server.admin_url + "/faults", json={"path": PATH, "kind": "explode"})
    assert bad.status_code == 400


@pytest.mark.anyio
async def test_in_process_a_reset_is_an_exception() -> None:
    app = create_app(SandboxConfig(enforce_limits=False))
    app.state.sandbox.add_fault(FaultRule(path=PATH, kind="reset_before"))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox.test") as http:
        with pytest.raises(SimulatedConnectionReset):
            await http.post(
                "/api" + PATH,
                json={"action": "GET_LIST"},
                headers={"Authorization": app.state.sandbox.api_key},
            )
