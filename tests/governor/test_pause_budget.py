"""The retry budget bounds every wait of a call, a block's pause included (virtual time)."""

from __future__ import annotations

import anyio
import httpx
import pytest
import trio
import trio.testing

from unitalk_async import RateLimitError, RetryPolicy, UnitalkClient

BLOCKED = {"status": "Error", "message": "Too many requests, temporarily blocked"}


def test_a_600_s_pause_fails_a_call_with_a_5_s_budget_at_once_and_pauses_the_others() -> None:
    answers = iter([httpx.Response(429, headers={"Retry-After": "600"}, json=BLOCKED)])

    def service(request: httpx.Request) -> httpx.Response:
        return next(answers, httpx.Response(200, json=[]))

    outcome: dict[str, float] = {}

    async def main() -> None:
        async with UnitalkClient(
            "key",
            http_transport=httpx.MockTransport(service),
            retry=RetryPolicy(budget=5.0),
        ) as client:
            began = anyio.current_time()
            with pytest.raises(RateLimitError) as caught:
                await client.post("/users/list")
            outcome["first"] = anyio.current_time() - began
            assert caught.value.retry_after == 600
            assert caught.value.path == "/users/list"
            # A call made during the pause fails as soon as it asks, with what remains.
            await anyio.sleep(100)
            with pytest.raises(RateLimitError) as caught:
                await client.post("/users/list")
            assert caught.value.retry_after == pytest.approx(500)
            # A call whose budget covers the pause waits it out and is answered.
            patient = client.with_options(retry=RetryPolicy(budget=1000.0))
            began = anyio.current_time()
            assert await patient.post("/users/list") == []
            outcome["patient"] = anyio.current_time() - began

    trio.run(main, clock=trio.testing.MockClock(autojump_threshold=0))
    assert outcome["first"] < 5.0
    assert outcome["patient"] == pytest.approx(500, abs=0.5)
