"""The limits as the server enforces them (README "API notes"), on a hand-driven clock, then
over loopback with scaled time."""

from __future__ import annotations

import anyio
import httpx
import pytest

from unitalk_async._reference import (
    MSG_PERMANENTLY_BLOCKED,
    MSG_TEMPORARILY_BLOCKED,
    MSG_TOO_MANY_IN_FLIGHT,
    MSG_TOO_MANY_PER_SECOND,
)
from unitalk_async.sandbox import FaultRule, SandboxConfig, ServerLimits, run_sandbox
from unitalk_async.sandbox.limits import ArrivalLog, Limiter, Rejection, worst_window

KEY = "key"


def limiter(**limits: float) -> Limiter:
    return Limiter(ServerLimits(**limits), ArrivalLog())  # type: ignore[arg-type]


def burst(lim: Limiter, at: float, count: int) -> list[Rejection | None]:
    """`count` arrivals at time `at`, each answered at once."""
    outcomes = []
    for _ in range(count):
        outcome = lim.admit(KEY, at)
        if outcome is None:
            lim.release(KEY)
        outcomes.append(outcome)
    return outcomes


def test_thirty_in_ten_seconds_pass_the_thirty_first_is_blocked() -> None:
    lim = limiter()
    for second in range(10):
        assert burst(lim, second + 0.5, 3) == [None] * 3
    rejection = lim.admit(KEY, 9.9)
    assert rejection == Rejection(429, MSG_TEMPORARILY_BLOCKED, 60)
    # Blocked: everything is refused, with the time left, until the block ends.
    assert lim.admit(KEY, 39.2) == Rejection(429, MSG_TEMPORARILY_BLOCKED, 31)
    assert lim.admit(KEY, 69.85) == Rejection(429, MSG_TEMPORARILY_BLOCKED, 1)
    assert lim.admit(KEY, 69.95) is None


def test_blocks_double_on_each_repeat() -> None:
    lim = limiter()
    log = lim.log
    assert burst(lim, 0.0, 15) == [None] * 15
    assert burst(lim, 5.0, 15) == [None] * 15
    assert lim.admit(KEY, 5.5) == Rejection(429, MSG_TEMPORARILY_BLOCKED, 60)
    burst(lim, 70.0, 15)
    burst(lim, 75.0, 15)
    assert lim.admit(KEY, 75.5) == Rejection(429, MSG_TEMPORARILY_BLOCKED, 120)
    assert [(b.kind, b.seconds) for b in log.block_records] == [
        ("temporary", 60.0),
        ("temporary", 120.0),
    ]


def test_windows_are_half_open() -> None:
    edge = limiter()
    burst(edge, 0.0, 15)
    burst(edge, 8.5, 15)
    assert edge.admit(KEY, 10.0) is None  # (0, 10]: the arrivals at 0.0 are out
    inside = limiter()
    burst(inside, 0.0, 15)
    burst(inside, 8.5, 15)
    assert inside.admit(KEY, 9.99) is not None


def test_more_than_a_hundred_in_ten_seconds_blocks_for_good() -> None:
    lim = limiter(per_second=1000, per_10_seconds=1000)
    assert all(outcome is None for outcome in burst(lim, 1.0, 100))
    assert lim.admit(KEY, 1.5) == Rejection(403, MSG_PERMANENTLY_BLOCKED, None)
    assert lim.admit(KEY, 100_000.0) == Rejection(403, MSG_PERMANENTLY_BLOCKED, None)
    assert [kind for _, kind in lim.log.blocks] == ["permanent"]


def test_arrivals_during_a_block_count_towards_the_permanent_block() -> None:
    lim = limiter()
    outcomes = burst(lim, 0.0, 101)
    assert outcomes[14] is None
    assert outcomes[15] == Rejection(429, MSG_TOO_MANY_PER_SECOND, 1)
    assert outcomes[30] == Rejection(429, MSG_TEMPORARILY_BLOCKED, 60)
    assert outcomes[100] == Rejection(403, MSG_PERMANENTLY_BLOCKED, None)


def test_more_than_twenty_in_flight_is_refused_without_a_block() -> None:
    lim = limiter()
    for n in range(20):
        assert lim.admit(KEY, n * 0.4) is None  # none of them answered yet
    assert lim.admit(KEY, 8.0) == Rejection(429, MSG_TOO_MANY_IN_FLIGHT, 1)
    lim.release(KEY)
    assert lim.admit(KEY, 8.1) is None
    assert lim.log.blocks == []


def test_more_than_fifteen_in_one_second_is_refused_without_a_block() -> None:
    lim = limiter()
    assert burst(lim, 0.1, 15) == [None] * 15
    assert lim.admit(KEY, 1.0) == Rejection(429, MSG_TOO_MANY_PER_SECOND, 1)
    assert lim.admit(KEY, 1.1) is None  # (0.1, 1.1]: 0.1 is out
    assert lim.log.blocks == []


def test_keys_are_limited_separately() -> None:
    lim = limiter()
    burst(lim, 0.0, 15)
    assert lim.admit("token:abc", 0.0) is None
    assert lim.admit(KEY, 0.0) is not None


def test_not_enforced_admits_everything() -> None:
    lim = Limiter(ServerLimits(), ArrivalLog(), enforce=False)
    assert burst(lim, 0.0, 500) == [None] * 500


def test_time_scale_scales_windows_and_blocks() -> None:
    lim = limiter(time_scale=0.1)
    burst(lim, 0.0, 15)
    burst(lim, 0.95, 15)
    assert lim.admit(KEY, 0.99) == Rejection(429, MSG_TEMPORARILY_BLOCKED, 6)
    assert lim.admit(KEY, 7.0) is None  # a 6-s block
    fresh = limiter(time_scale=0.1)
    burst(fresh, 0.0, 15)
    assert fresh.admit(KEY, 0.1) is None  # the 1-s window is 0.1 s long


def test_worst_window_is_exact_and_half_open() -> None:
    assert worst_window([], 1.0) == 0
    assert worst_window([0.0, 1.0, 2.0], 1.0) == 1
    assert worst_window([0.0, 0.5, 1.0, 1.2, 3.0], 1.0) == 3
    assert worst_window([0.0, 0.0, 0.0, 0.9999], 1.0) == 4


@pytest.mark.anyio
async def test_over_loopback_block_retry_after_and_the_arrival_log() -> None:
    limits = ServerLimits(per_second=1000, time_scale=0.02, block_seconds=10.0)
    with run_sandbox(SandboxConfig(limits=limits)) as server:
        async with httpx.AsyncClient(
            base_url=server.base_url, headers={"Authorization": server.api_key}
        ) as http:
            answers = [
                await http.post("/autodial/action", json={"action": "GET_LIST"}) for _ in range(31)
            ]
            # The 10-s window is 0.2 s here; a slow machine may spread 31 requests wider.
            blocked = [a for a in answers if a.status_code == 429]
            if blocked:
                assert blocked[0].json() == {"status": "Error", "message": MSG_TEMPORARILY_BLOCKED}
                assert blocked[0].headers["Retry-After"] == "1"
                assert server.sandbox.arrivals.blocks[0][1] == "temporary"
                await anyio.sleep(0.25)  # the scaled 10-s block
            accepted = await http.post("/autodial/action", json={"action": "GET_LIST"})
            assert accepted.status_code == 200
        log = server.sandbox.arrivals
        assert log.total == 32
        assert log.rejected == len(blocked)
        assert {a.action for a in log.entries} == {"GET_LIST"}
        assert log.worst_window(server.sandbox.config.limits.ten_seconds) >= 2


@pytest.mark.anyio
async def test_over_loopback_the_twenty_first_in_flight_is_refused() -> None:
    limits = ServerLimits(per_second=1000, per_10_seconds=1000, permanent_per_10_seconds=1000)
    with run_sandbox(SandboxConfig(limits=limits)) as server:
        server.sandbox.add_fault(FaultRule(path="/autodial/action", kind="latency", latency=0.5))
        answers: list[httpx.Response] = []
        async with httpx.AsyncClient(
            base_url=server.base_url,
            headers={"Authorization": server.api_key},
            limits=httpx.Limits(max_connections=30),
        ) as http:

            async def call() -> None:
                answers.append(await http.post("/autodial/action", json={"action": "GET_LIST"}))

            async with anyio.create_task_group() as tg:
                for _ in range(21):
                    tg.start_soon(call)
        statuses = sorted(a.status_code for a in answers)
        assert statuses == [200] * 20 + [429]
        (refused,) = [a for a in answers if a.status_code == 429]
        assert refused.json()["message"] == MSG_TOO_MANY_IN_FLIGHT
        assert refused.headers["Retry-After"] == "1"
        assert server.sandbox.arrivals.max_in_flight == 20
        assert server.sandbox.arrivals.blocks == []


def test_window_counts_are_per_key_and_leave_out_requests_without_a_valid_key() -> None:
    with run_sandbox(SandboxConfig(enforce_limits=False)) as server:
        good = {"Authorization": server.api_key}
        for headers in [good] * 3 + [{"Authorization": "wrong"}] * 5 + [{}] * 2:
            httpx.post(f"{server.base_url}/users/list", headers=headers)
        arrivals = server.sandbox.arrivals
        assert arrivals.total == 10
        assert arrivals.worst_window(10.0) == 3
        assert arrivals.worst_window(10.0, key_id="token:nobody") == 0
