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

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from opentelemetry import metrics, trace
from opentelemetry.metrics import CallbackOptions, Observation

from unitalk_async import __version__
from unitalk_async._transport import ResponseEvent
from unitalk_async.governor import GovernorStatistics
from unitalk_async.governor._priority import Request, requested

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
        for name, instrument, unit, description, read in _OBSERVED:
            create = (
                meter.create_observable_counter
                if instrument == "counter"
                else meter.create_observable_gauge
            )
            create(name, [self._observer(read)], unit=unit, description=description)
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

    def _observer(
        self, read: Callable[[GovernorStatistics], int | dict[str, int]]
    ) -> Callable[[CallbackOptions], Iterable[Observation]]:
        def observe(options: CallbackOptions) -> Iterable[Observation]:
            assert self._client is not None
            value = read(self._client.governor.statistics())
            if isinstance(value, int):
                return [Observation(value)]
            return [Observation(v, {"priority": p}) for p, v in value.items()]

        return observe


def _per_class(field: str) -> Callable[[GovernorStatistics], dict[str, int]]:
    return lambda stats: {p: getattr(c, field) for p, c in stats.classes.items()}


#: The governor's figures, read from its statistics when the reader collects:
#: (name, counter or gauge, unit, description, value or values per priority class).
_OBSERVED: tuple[
    tuple[str, str, str, str, Callable[[GovernorStatistics], int | dict[str, int]]], ...
] = (
    (
        "unitalk.governor.admissions",
        "counter",
        "{request}",
        "Requests the governor admitted, per priority class",
        _per_class("admitted"),
    ),
    (
        "unitalk.governor.queue_depth",
        "gauge",
        "{request}",
        "Requests waiting for admission, per priority class",
        _per_class("queued"),
    ),
    (
        "unitalk.governor.in_flight",
        "gauge",
        "{request}",
        "Requests admitted and not yet answered",
        lambda stats: stats.in_flight,
    ),
    (
        "unitalk.governor.reserve",
        "gauge",
        "{request}",
        "Starts of the longest window bulk leaves to interactive calls",
        lambda stats: stats.reserve,
    ),
    (
        "unitalk.governor.blocks",
        "counter",
        "{block}",
        "Rate-limit blocks (HTTP 429) the governor paused for",
        lambda stats: stats.blocks_seen,
    ),
)
