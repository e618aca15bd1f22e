"""OpenTelemetry metrics and spans for a client (`pip install 'unitalk-async[otel]'`).

```python
from unitalk_async.otel import OpenTelemetry

client = UnitalkClient(telemetry=OpenTelemetry())  # the global MeterProvider/TracerProvider
client = UnitalkClient(telemetry=OpenTelemetry(meter_provider=provider))
```

Metrics (attribute `priority` where per class; `operation` per call label):

- `unitalk.governor.admissions` (counter): requests admitted, per class;
- `unitalk.governor.queue_depth` (gauge): requests waiting for admission, per class;
- `unitalk.governor.in_flight` (gauge), `unitalk.governor.reserve` (gauge: starts bulk
  leaves free for interactive calls), `unitalk.governor.blocks` (counter: 429 blocks the
  governor paused for);
- `unitalk.governor.wait` (histogram, s): each call's wait for admission, per class;
- `unitalk.requests` (counter: attempts, per operation, class and HTTP status; 429s are
  those with `http.response.status_code` 429), `unitalk.cost_units` (counter: estimated).

A span per call (`unitalk <operation>`, kind CLIENT) carries `unitalk.priority` and
`unitalk.governor.wait` (seconds); a failed call's span records the exception.

Governor figures are the governor's: clients sharing one governor each report all of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from opentelemetry import metrics, trace
from opentelemetry.metrics import CallbackOptions, Observation

from unitalk_async import __version__
from unitalk_async._transport import ResponseEvent
from unitalk_async.governor._priority import PRIORITIES, Request, requested

if TYPE_CHECKING:
    from unitalk_async._client import UnitalkClient

__all__ = ["OpenTelemetry"]

_SCOPE = "unitalk_async"


class OpenTelemetry:
    """Reports a client's metrics and spans to OpenTelemetry (`UnitalkClient(telemetry=...)`).

    Providers default to the global ones (`opentelemetry.metrics.set_meter_provider`,
    `opentelemetry.trace.set_tracer_provider`), looked up when the client is made.
    """

    def __init__(
        self,
        *,
        meter_provider: metrics.MeterProvider | None = None,
        tracer_provider: trace.TracerProvider | None = None,
    ) -> None:
        self._meter_provider = meter_provider
        self._tracer_provider = tracer_provider
        self._client: UnitalkClient | None = None

    def attach(self, client: UnitalkClient) -> None:
        if self._client is not None:
            raise ValueError("OpenTelemetry: one instance per client")
        self._client = client
        meter = metrics.get_meter(_SCOPE, __version__, meter_provider=self._meter_provider)
        self._tracer = trace.get_tracer(_SCOPE, __version__, tracer_provider=self._tracer_provider)
        meter.create_observable_counter(
            "unitalk.governor.admissions",
            [self._admissions],
            unit="{request}",
            description="Requests the governor admitted, per priority class",
        )
        meter.create_observable_gauge(
            "unitalk.governor.queue_depth",
            [self._queue_depth],
            unit="{request}",
            description="Requests waiting for admission, per priority class",
        )
        meter.create_observable_gauge(
            "unitalk.governor.in_flight",
            [self._in_flight],
            unit="{request}",
            description="Requests admitted and not yet answered",
        )
        meter.create_observable_gauge(
            "unitalk.governor.reserve",
            [self._reserve],
            unit="{request}",
            description="Starts of the longest window bulk leaves to interactive calls",
        )
        meter.create_observable_counter(
            "unitalk.governor.blocks",
            [self._blocks],
            unit="{block}",
            description="Rate-limit blocks (HTTP 429) the governor paused for",
        )
        self._wait = meter.create_histogram(
            "unitalk.governor.wait",
            unit="s",
            description="Each call's wait for admission by the governor",
        )
        self._requests = meter.create_counter(
            "unitalk.requests", unit="{request}", description="HTTP attempts, per answer status"
        )
        self._cost = meter.create_counter(
            "unitalk.cost_units", unit="{unit}", description="Estimated cost units"
        )
        client.hooks.on_response.append(self._response)

    @contextmanager
    def call(self, operation: str, request: Request) -> Iterator[object]:
        attributes = {"unitalk.operation": operation, "unitalk.priority": request.priority}
        with self._tracer.start_as_current_span(
            f"unitalk {operation}", kind=trace.SpanKind.CLIENT, attributes=attributes
        ) as span:
            try:
                yield span
            finally:
                span.set_attribute("unitalk.governor.wait", request.waited)
                self._wait.record(request.waited, {"priority": request.priority})

    # -- callbacks ------------------------------------------------------------------------
    def _response(self, event: ResponseEvent) -> None:
        attributes: dict[str, Any] = {
            "operation": event.operation or event.path,
            "priority": requested().priority,
        }
        if event.status_code is not None:
            attributes["http.response.status_code"] = event.status_code
        self._requests.add(1, attributes)
        if event.cost_units:
            self._cost.add(event.cost_units, attributes)

    def _governor(self) -> Any:
        assert self._client is not None
        return self._client.governor.statistics()

    def _admissions(self, options: CallbackOptions) -> Iterable[Observation]:
        classes = self._governor().classes
        return [
            Observation(classes[p].admitted, {"priority": p}) for p in PRIORITIES if p in classes
        ]

    def _queue_depth(self, options: CallbackOptions) -> Iterable[Observation]:
        classes = self._governor().classes
        return [Observation(classes[p].queued, {"priority": p}) for p in PRIORITIES if p in classes]

    def _in_flight(self, options: CallbackOptions) -> Iterable[Observation]:
        return [Observation(self._governor().in_flight)]

    def _reserve(self, options: CallbackOptions) -> Iterable[Observation]:
        return [Observation(self._governor().reserve)]

    def _blocks(self, options: CallbackOptions) -> Iterable[Observation]:
        return [Observation(self._governor().blocks_seen)]
