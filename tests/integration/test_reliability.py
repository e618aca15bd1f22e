"""Issue 6's proofs against the sandbox with fault injection: nothing lost, nothing twice."""

from __future__ import annotations

import anyio
import pytest

from unitalk_async import Limits, OutcomeUnknownError, RetryPolicy, UnitalkClient
from unitalk_async.sandbox import FaultRule, SandboxConfig, run_sandbox

pytestmark = pytest.mark.anyio

FAST_RETRY = RetryPolicy(
    max_retries=6, budget=30.0, base_delay=0.01, max_delay=0.1, busy_delay=0.01
)
AMBIGUOUS = ("reset_before", "reset_after", "drop_after", "error_500")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def test_1000_sends_with_dropped_responses_never_send_twice() -> None:
    config = SandboxConfig(seed=6, enforce_limits=False)
    with run_sandbox(config) as server:
        sandbox = server.sandbox
        for kind, probability in [
            ("reset_after", 0.10),
            ("reset_before", 0.04),
            ("drop_after", 0.03),
            ("error_500", 0.03),
            ("busy", 0.05),  # not processed: retried, must not count as unknown
        ]:
            sandbox.add_fault(
                FaultRule(path="/message/send", kind=kind, probability=probability, hang=1.0)
            )
        sent: dict[str, int] = {}
        unknown: list[str] = []
        limiter = anyio.Semaphore(20)

        async with UnitalkClient(
            server.api_key,
            base_url=server.base_url,
            limits=Limits.disabled(),
            retry=FAST_RETRY,
            timeout=0.5,
        ) as client:

            async def send(i: int) -> None:
                to = f"38050{i:07d}"
                async with limiter:
                    try:
                        sent[to] = await client.messages.send("SMS", to, f"hello {i}")
                    except OutcomeUnknownError:
                        unknown.append(to)

            async with anyio.create_task_group() as tg:
                for i in range(1000):
                    tg.start_soon(send, i)

        book = sandbox.endpoints.messages
        faults = sandbox.faults
        applied = {kind: faults.applied_count(kind, "/message/send") for kind in AMBIGUOUS}
        assert len(sent) + len(unknown) == 1000
        assert max(book.sent_by_recipient_text.values()) == 1  # no message sent twice
        assert len(unknown) == sum(applied.values())  # every ambiguous one reported unknown
        assert all(book.sent_by_id[i] == 1 for i in sent.values())  # every id we got was sent
        # What reached people: the answered sends plus those whose answer was lost after.
        assert book.sent_count == len(sent) + applied["reset_after"] + applied["drop_after"]
        assert faults.applied_count("busy", "/message/send") > 0
        assert applied["reset_after"] > 0
