"""Priority classes: which request the governor admits next when several wait.

Three classes share one key: `interactive` (a caller is waiting: a web request, a click),
`default`, and `bulk` (paging walks, bulk uploads, exports: throughput matters, latency
does not). A *flow* is one unit of work that competes fairly with its peers of the same
class: one paging walk, one bulk call, or one `client.with_options(...)` view.

The class and flow of a request travel in a context variable (`requesting`), set by the
client around each call, so every governor backend can read them without the transport
threading new arguments through; a backend that does not know classes admits FIFO.

The rules, each stated once here:

- order: a waiting interactive request goes before default, default before bulk; inside a
  class the flow served least recently goes first (round robin), inside a flow FIFO;
- reserve: while interactive traffic has been seen in the last `RECENT` seconds, bulk may
  not take the last `reserve` starts of any window (see `reserve`);
- pacing: bulk starts are spread evenly over the longest window instead of clumped at its
  start, so the short windows always keep room;
- floor: a lower class that is waiting and got fewer than `FLOOR` of the longest window's
  starts over its last `seconds` goes first, unpaced and with no reserve held, so bulk
  never falls below that share of the key's rate (3 starts per 10 s at the reference's
  limits). The price: after a quiet spell, the first few bulk requests may go ahead of
  an interactive one.
"""

from __future__ import annotations

import itertools
import math
from collections import deque
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Final, Literal, TypeVar

Priority = Literal["interactive", "default", "bulk"]
#: Highest first.
PRIORITIES: Final[tuple[Priority, ...]] = ("interactive", "default", "bulk")

#: Interactive traffic counts as "seen recently" this long after its last request, and its
#: rate is estimated over this span.
RECENT: Final = 60.0
#: The reserve covers the interactive requests that arrive within this many seconds (the
#: shortest window), 99 times in 100: after an interactive start takes a reserved place,
#: a paced bulk backlog leaves the window one start short of its reserve again within one
#: bulk interval (a third of a second at the reference's limits).
RESERVE_HORIZON: Final = 1.0
RESERVE_QUANTILE: Final = 0.99
#: The largest share of a window the reserve may hold back from bulk.
MAX_RESERVE_SHARE: Final = 0.25
#: The share of the key's starts over the longest window a waiting lower class is always
#: given (the bulk throughput floor): 10 %, 3 of the reference's 30 starts per 10 s.
FLOOR: Final = 0.10

_flow_ids = itertools.count(1)
V = TypeVar("V")


@dataclass(eq=False, slots=True)
class Flow:
    """One unit of work competing round robin with the others of its class.

    `priority` is the class its requests get unless the caller chose one (a paging walk's
    flow says `bulk`; a `with_options` view's flow says what the view was given, if any).
    """

    priority: Priority | None = None
    id: int = field(default_factory=lambda: next(_flow_ids))

    def __repr__(self) -> str:
        return f"Flow({self.id}, {self.priority})"


@dataclass(eq=False, slots=True)
class Request:
    """What a governor reads about the request it admits, and writes back about its wait."""

    priority: Priority
    flow: Flow
    #: Seconds the governor held the request back, summed over its attempts.
    waited: float = 0.0


#: Requests made outside any client call (tests, direct use of a governor).
_ANONYMOUS = Flow()
_requested: ContextVar[Request | None] = ContextVar("unitalk_requested", default=None)
_work: ContextVar[Flow | None] = ContextVar("unitalk_work", default=None)
_chosen: ContextVar[Priority | None] = ContextVar("unitalk_priority", default=None)


def check_priority(value: str) -> Priority:
    if value not in PRIORITIES:
        raise ValueError(f"priority: must be one of {', '.join(PRIORITIES)}; got {value!r}")
    return value


@contextmanager
def _scoped(variable: ContextVar[V | None], value: V) -> Iterator[V]:
    token = variable.set(value)
    try:
        yield value
    finally:
        variable.reset(token)


def requesting(priority: Priority, flow: Flow | None = None) -> AbstractContextManager[Request]:
    """The governor admits the requests made inside the block as `priority` in `flow`."""
    request = Request(check_priority(priority), flow if flow is not None else _ANONYMOUS)
    return _scoped(_requested, request)


def requested() -> Request:
    """The request the current task is making (`default`, anonymous flow if none said)."""
    request = _requested.get()
    return request if request is not None else Request("default", _ANONYMOUS)


def work(flow: Flow) -> AbstractContextManager[Flow]:
    """The calls made inside the block belong to `flow` (one paging walk, one bulk call)."""
    return _scoped(_work, flow)


def current_work() -> Flow | None:
    return _work.get()


def priority(value: Priority) -> AbstractContextManager[Priority]:
    """Calls made inside the block by the current task go as `value`, whatever else said.

    ```python
    with priority("interactive"):
        await client.users.list()
    ```
    """
    return _scoped(_chosen, check_priority(value))


def chosen_priority() -> Priority | None:
    return _chosen.get()


def poisson_quantile(mean: float, quantile: float) -> int:
    """The smallest k with P(N <= k) >= quantile for N ~ Poisson(mean)."""
    term = cumulative = math.exp(-mean)
    k = 0
    while cumulative < quantile:
        k += 1
        term *= mean / k
        cumulative += term
    return k


class InteractiveRate:
    """When interactive requests arrived lately: the reserve bulk leaves for them."""

    __slots__ = ("_arrivals",)

    def __init__(self) -> None:
        self._arrivals: deque[float] = deque()

    def arrived(self, at: float) -> None:
        self._arrivals.append(at)

    def reserve(self, now: float, limit: int) -> int:
        """Starts of a window of `limit` that bulk must leave free now: none without
        recent interactive traffic, else the 99th percentile of interactive arrivals in
        `RESERVE_HORIZON` at the rate seen over `RECENT` (at least one), at most a quarter
        of the window."""
        while self._arrivals and self._arrivals[0] < now - RECENT:
            self._arrivals.popleft()
        if not self._arrivals:
            return 0
        rate = len(self._arrivals) / RECENT
        wanted = max(1, poisson_quantile(rate * RESERVE_HORIZON, RESERVE_QUANTILE))
        return min(wanted, int(limit * MAX_RESERVE_SHARE))
