"""Issue 6's proofs against the sandbox with fault injection: nothing lost, nothing twice."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

from unitalk_async import Limits, OutcomeUnknownError, RetryPolicy, UnitalkClient
from unitalk_async._bulk import ChunkStatus
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


def _task(name: str) -> Any:
    from datetime import date

    from unitalk_async.models.autodial import AutodialTask

    return AutodialTask(
        name=name,
        autodialer_mode="FIXED",
        start_date=date(2026, 1, 1),
        end_date=date(2026, 12, 31),
        time_from=["09:00"] * 7,
        time_to=["19:00"] * 7,
        crm_mode="DONT_SEND",
        client_called_mode="NEVER",
        thread_count=1,
        scenario_id=70,  # the sandbox project's incoming scenario
    )


def _fast_client(server: Any) -> UnitalkClient:
    return UnitalkClient(
        server.api_key, base_url=server.base_url, limits=Limits.disabled(), retry=FAST_RETRY
    )


async def test_a_million_numbers_from_a_csv_through_connection_resets_land_exactly_once(
    tmp_path: Path,
) -> None:
    total = 1_000_000
    csv_path = tmp_path / "numbers.csv"
    with csv_path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["phone", "name"])
        writer.writerows([f"+38 (050) {i:07d}", f"n{i}"] for i in range(total))

    def rows() -> Iterator[str]:
        with csv_path.open(newline="") as f:
            reader = csv.reader(f)
            next(reader)
            for phone, _name in reader:
                yield phone

    with run_sandbox(SandboxConfig(seed=61, enforce_limits=False)) as server:
        sandbox = server.sandbox
        async with _fast_client(server) as client:
            autodialer = (await client.autodial.add(_task("Million"))).id
            # 10% of the chunk requests reset, half of them after the chunk was applied;
            # the first two are forced so that both kinds certainly happen.
            for kind in ("reset_after", "reset_before"):
                for times, probability in ((1, 1.0), (None, 0.05)):
                    sandbox.add_fault(
                        FaultRule(
                            path="/autodial/action",
                            kind=kind,
                            action="ADD_NUMBERS",
                            times=times,
                            probability=probability,
                        )
                    )
            result = await client.autodial.add_numbers(autodialer, rows())
            sandbox.clear_faults()
            seen = Counter()
            async for number in client.autodial.iter_numbers(autodialer):
                seen[number.phone] += 1

    assert sandbox.faults.applied_count("reset_after") >= 1
    assert sandbox.faults.applied_count("reset_before") >= 1
    assert len(seen) == total  # no gaps
    assert max(seen.values()) == 1  # no duplicates
    assert set(seen) == {f"38050{i:07d}" for i in range(total)}
    assert result.accepted == total
    assert result.rejected == []
    assert result.ok
    resets = sandbox.faults.applied_count("reset_after") + sandbox.faults.applied_count(
        "reset_before"
    )
    assert result.requests == len(result.chunks) + resets  # every resend counted
    confirmed = result.chunks_with(ChunkStatus.CONFIRMED_BY_RESEND)
    assert len(confirmed) == sandbox.faults.applied_count("reset_after")  # reported, not hidden


async def test_exporting_100000_calls_while_new_calls_arrive_yields_each_once() -> None:
    with run_sandbox(SandboxConfig(seed=62, enforce_limits=False, admin=True)) as server:
        sandbox = server.sandbox
        async with _fast_client(server) as client, httpx.AsyncClient() as admin:
            autodialer = (await client.autodial.add(_task("Export"))).id
            await client.autodial.add_numbers(
                autodialer, (str(380670000000 + i) for i in range(120_000))
            )
            assert sandbox.simulate_calls(autodialer, 100_000) == 100_000
            newest = (await client.autodial.get_calls_history(autodialer, limit=1)).items[0].id
            exported: list[int] = []
            async for call in client.autodial.iter_calls_history(autodialer):
                exported.append(call.id)
                if len(exported) % 1000 == 1:  # after each page: new calls land
                    answer = await admin.post(
                        f"{server.admin_url}/simulate-calls",
                        json={"autodialerId": autodialer, "count": 150},
                    )
                    assert answer.json()["data"] == 150
    assert len(exported) == 100_000
    assert len(set(exported)) == 100_000  # none twice
    assert max(exported) == newest  # the newest call at the start, none of the later ones
    assert exported == sorted(exported, reverse=True)
