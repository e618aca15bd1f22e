"""Resends that meet "already done", caps shared with `with_options` views, and the
1,000,000-per-autodialer cap on streamed input."""

from __future__ import annotations

from typing import Any

import httpx
import msgspec
import pytest
import respx

from resources.test_autodial_sandbox import FAST_RETRIES, phones, task
from unitalk_async import (
    Limits,
    ResponseDecodeError,
    UnitalkClient,
    ValidationError,
    partial_result,
)
from unitalk_async._bulk import ChunkStatus
from unitalk_async.models.autodial import AudioPart, CompositeAudio
from unitalk_async.models.distributions import SmsDistribution
from unitalk_async.sandbox.faults import FaultRule

pytestmark = pytest.mark.anyio

BASE = "https://api.unitalk.cloud/api"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def test_removals_whose_first_answer_was_lost_report_success(unitalk_sandbox: Any) -> None:
    sandbox = unitalk_sandbox.sandbox
    async with unitalk_sandbox.client(limits=Limits.disabled(), retry=FAST_RETRIES) as client:
        autodialer = (await client.autodial.add(task())).id
        await client.autodial.add_numbers(autodialer, phones(10))
        sandbox.add_fault(
            FaultRule(path="/autodial/action", action="REMOVE_NUMBERS", kind="reset_after", times=1)
        )
        progress: list[tuple[int, int | None]] = []
        result = await client.autodial.remove_numbers(
            autodialer, call_states=["NEW"], progress=lambda d, t: progress.append((d, t))
        )
        assert result.chunks[0].status is ChunkStatus.CONFIRMED_BY_RESEND
        assert result.requests == 2  # HTTP attempts, the resend included
        assert progress == [(1, 1)]
        assert await client.autodial.get_numbers(autodialer) == []

        created = await client.distributions.create(
            SmsDistribution(name="Gone", numbers=["380501112233"], text="Hello")
        )
        sandbox.add_fault(
            FaultRule(path="/messageDistribution/remove", kind="reset_after", times=1)
        )
        await client.distributions.remove(created.id)  # no "not found" for a removal that landed
        assert created.id not in {d.id for d in await client.distributions.get_all()}

        group = next(g for g in await client.groups.list() if g.phones)
        number = group.phones[0].number
        sandbox.add_fault(FaultRule(path="/groups/action", kind="reset_after", times=1))
        await client.groups.remove_number(group.id, number)
        after = next(g for g in await client.groups.list() if g.id == group.id)
        assert number not in {p.number for p in after.phones}
    assert sandbox.faults.applied_count("reset_after") == 3


def with_data(max_add: int, total: int) -> dict[str, Any]:
    return {
        "maxAddNumbersCount": max_add,
        "tasks": [
            {
                "id": 1,
                "name": "t",
                "autodialerType": "AUTODIAL",
                "autodialerMode": "FIXED",
                "statistics": {"totalCount": total},
            }
        ],
    }


@respx.mock
async def test_with_options_views_use_what_the_client_learned() -> None:
    route = respx.post(f"{BASE}/autodial/action")
    route.side_effect = [
        httpx.Response(200, json=with_data(max_add=1000, total=990_000)),
        *[httpx.Response(200, json={"status": "Success", "message": "Numbers added"})] * 3,
    ]
    async with UnitalkClient("k", limits=Limits.disabled(), retry=FAST_RETRIES) as client:
        await client.autodial.get_with_data()
        view = client.with_options(timeout=5)
        result = await view.autodial.add_numbers(1, phones(2500))
        sizes = [
            len(msgspec.json.decode(call.request.content)["numbers"]) for call in route.calls[1:]
        ]
        assert sizes == [1000, 1000, 500]  # the live cap, not 100,000
        assert result.accepted == 2500
        with pytest.raises(ValidationError, match="1000000"):  # 992,500 + 7,501 > 1,000,000
            await view.autodial.add_numbers(1, list(phones(7501)))
        assert route.call_count == 4  # refused before sending


@respx.mock
async def test_a_stream_into_an_uncounted_autodialer_stops_before_crossing_the_cap() -> None:
    route = respx.post(f"{BASE}/autodial/action").respond(
        json={"status": "Success", "message": "Numbers added"}
    )
    async with UnitalkClient("k", limits=Limits.disabled(), retry=FAST_RETRIES) as client:
        with pytest.raises(ValidationError, match="past 1000000") as caught:
            await client.autodial.add_numbers(7, phones(1_000_001))  # a generator: no len()
    assert route.call_count == 10  # 1,000,000 sent; the last number never was
    partial = partial_result(caught.value)
    assert partial is not None
    assert partial.accepted == 1_000_000


@respx.mock
async def test_an_add_answered_without_an_id_is_not_reported_as_the_callers_mistake() -> None:
    respx.post(f"{BASE}/autodial/action").respond(json={"status": "Success"})
    async with UnitalkClient("k", limits=Limits.disabled(), retry=FAST_RETRIES) as client:
        with pytest.raises(ResponseDecodeError):
            await client.autodial.add(task())


async def test_synthesis_needs_a_settings_profile_on_the_part_or_the_autodialer() -> None:
    synthesis = CompositeAudio([AudioPart.synthesis("NA")])
    async with UnitalkClient("k", http_transport=httpx.MockTransport(_never)) as client:
        with pytest.raises(ValidationError) as caught:
            await client.autodial.add(task(composite_audio=synthesis, scenario_id=None))
    assert caught.value.field.endswith("multi_audios[0].synthesis_from_dynamic_value.settings_id")


def _never(request: httpx.Request) -> httpx.Response:
    raise AssertionError("nothing may be sent")
