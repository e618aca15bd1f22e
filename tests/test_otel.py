"""The `[otel]` extra: metrics an in-memory reader sees, a span per call, and nothing of
OpenTelemetry imported by a client that was not given it."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from typing import Any

import pytest
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from unitalk_async.otel import OpenTelemetry
from unitalk_async.sandbox.pytest_plugin import SandboxHandle

pytestmark = pytest.mark.anyio
EVER = (datetime(2000, 1, 1), datetime(2100, 1, 1))


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def points(reader: InMemoryMetricReader) -> dict[str, list[tuple[dict[str, Any], Any]]]:
    """Metric name -> (attributes, value or histogram count) of each data point."""
    found: dict[str, list[tuple[dict[str, Any], Any]]] = {}
    data = reader.get_metrics_data()
    assert data is not None
    for resource in data.resource_metrics:
        for scope in resource.scope_metrics:
            for metric in scope.metrics:
                for point in metric.data.data_points:
                    value = getattr(point, "value", None)
                    if value is None:
                        value = point.count  # type: ignore[union-attr]
                    found.setdefault(metric.name, []).append((dict(point.attributes or {}), value))
    return found


async def test_admissions_per_class_waits_and_a_span_per_call(
    unitalk_sandbox: SandboxHandle,
) -> None:
    reader = InMemoryMetricReader()
    spans = InMemorySpanExporter()
    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(SimpleSpanProcessor(spans))
    telemetry = OpenTelemetry(
        meter_provider=MeterProvider(metric_readers=[reader]), tracer_provider=tracer_provider
    )
    async with unitalk_sandbox.client(telemetry=telemetry) as client:
        await client.with_options(priority="interactive").users.list()
        pages = len([page async for page in client.history.iter(*EVER, limit=200).pages()])
        await client.users.list()
    seen = points(reader)
    admissions = {attrs["priority"]: value for attrs, value in seen["unitalk.governor.admissions"]}
    assert admissions == {"interactive": 1, "default": 1, "bulk": pages}
    assert {attrs["priority"] for attrs, _ in seen["unitalk.governor.queue_depth"]} == {
        "interactive",
        "default",
        "bulk",
    }
    waits = {attrs["priority"]: count for attrs, count in seen["unitalk.governor.wait"]}
    assert waits == {"interactive": 1, "default": 1, "bulk": pages}
    requests = sum(value for _, value in seen["unitalk.requests"])
    assert requests == 2 + pages
    assert all(a["http.response.status_code"] == 200 for a, _ in seen["unitalk.requests"])
    assert "unitalk.governor.in_flight" in seen
    assert "unitalk.governor.blocks" in seen
    finished = spans.get_finished_spans()
    names = ["unitalk users.list", *["unitalk history.get"] * pages, "unitalk users.list"]
    assert [s.name for s in finished] == names
    first = finished[0].attributes or {}
    assert first["unitalk.priority"] == "interactive"
    assert isinstance(first["unitalk.governor.wait"], float)


def test_nothing_of_opentelemetry_is_imported_without_it() -> None:
    script = """
import sys, anyio
from unitalk_async import UnitalkClient, Limits
from unitalk_async.sandbox import SandboxConfig, run_sandbox

async def main() -> None:
    with run_sandbox(SandboxConfig(seed=1)) as server:
        async with UnitalkClient(server.api_key, base_url=server.base_url,
                                 allow_insecure_http=True, limits=Limits.disabled()) as client:
            await client.users.list()

anyio.run(main)
import unitalk_async.cli, unitalk_async.webhooks, unitalk_async.governor
leaked = sorted(m for m in sys.modules if m.startswith("opentelemetry"))
assert not leaked, leaked
print("clean")
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "clean"
