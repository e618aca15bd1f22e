"""The governor shared by every process and host using one API key, kept in Redis.

```python
governor = RedisGovernor.from_url("redis://localhost:6379/0")
async with UnitalkClient(governor=governor) as client:  # or set UNITALK_REDIS_URL
    ...
```

It gives the in-process governor's guarantees across processes: exact sliding windows
(plus margin), the in-flight cap, the analytics lane cap, the exclusive operations as
distributed locks, and one shared pause after a block. Each step is one Lua script run on
the Redis server's clock, so skewed hosts cannot overrun a window. In-flight slots and
locks are leases renewed while the request runs: a killed worker's slots come back when
its leases expire. Needs asyncio (redis-py's asyncio client) and the `redis` extra.

Inside one process the order is the local governor's (named mutex -> lane -> in-flight
-> FIFO admission); the head of each process's queue then asks Redis. Across processes,
waiters hold tickets by age: a ticket is admitted only while there is room for it *and*
every older ticket, so a burst admits as many as the limits allow and no process starves.
Nobody spins: a waiter on the windows (or a block) sleeps until the moment the script
computed; a waiter on a slot that frees at no known time blocks in Redis until a release
wakes it (the release wakes the waiter whose turn it is) or the first lease expires.

Limits of the design: decisions follow the Redis server's wall clock, so a forward step
of it (not a slew) shortens the windows by that much; state lost by Redis (a restart
without persistence) forgets recent starts; the scripts use keys derived from declared
ones (same hash tag), which Redis Cluster tolerates but does not promise.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import math
import random
import secrets
from collections import deque
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

import anyio

try:
    import redis as _redis  # noqa: F401
except ImportError as exc:  # an extra, not a core dependency: one line, no chained traceback
    raise ImportError(
        "RedisGovernor needs the [redis] extra (redis-py is not installed): "
        "pip install 'unitalk-async[redis]'",
        name=exc.name,
    ) from None
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from unitalk_async._exceptions import ConfigurationError, TransportError
from unitalk_async.governor._base import Governor, GovernorStatistics, Lane, Slot
from unitalk_async.governor._latency import MAX_AGE, LatencySpread, is_quick
from unitalk_async.governor._limits import Limits, RateWindow
from unitalk_async.governor._local import (
    COOL_DOWNS,
    MARGIN_STEP,
    MAX_MARGIN,
    LocalGovernor,
    pause_error,
)
from unitalk_async.governor._redis_leases import LeaseKeeper
from unitalk_async.governor._redis_scripts import ScriptRunner

__all__ = ["GovernorUnavailableError", "RedisGovernor", "RedisGovernorStatistics"]

logger = logging.getLogger("unitalk_async")

Fallback = Literal["fail", "local"]

#: In-flight slots and locks are leases this long, renewed every third of it while the
#: request runs (one script call per period for all of a process's leases). A worker that
#: dies (SIGKILL, a lost host) stops renewing: its slots come back at most this long after
#: its last renewal, which also leaves the service time to finish its last requests.
DEFAULT_LEASE_SECONDS = 10.0
DEFAULT_ANALYTICS_LEASE_SECONDS = DEFAULT_LEASE_SECONDS
#: Fail closed: how long a request waits for an unreachable Redis before it raises.
DEFAULT_UNAVAILABLE_TIMEOUT = 10.0
#: With `fallback="local"`: the share of the limits one process takes on its own; set it
#: to 1 / the number of processes sharing the key.
DEFAULT_FALLBACK_SHARE = 0.1
#: How often a process on its local fallback checks whether Redis is back.
DEFAULT_FALLBACK_PROBE = 5.0
#: How long past its announced return a waiter's ticket is kept (it may be slow to wake).
DEFAULT_TICKET_GRACE = 2.0
#: The longest a waiter for an in-flight slot, a lane slot or a lock blocks before it asks
#: again, and the shortest. Waiters do not poll: a release wakes the waiter whose turn it is
#: at once, and a lease's expiry is known; this is only a safety net.
DEFAULT_POLL_INTERVAL = 5.0
MIN_POLL_INTERVAL = 0.005
DEFAULT_SOCKET_TIMEOUT = 2.0
DEFAULT_KEY_PREFIX = "unitalk:governor:"
#: Start times kept in Redis: at least the largest window's limit (a few more let
#: processes configured with larger limits share one log).
MIN_STARTS_KEPT = 128
#: How long the shared block state (escalation and widened margin) is remembered.
BLOCK_MEMORY_SECONDS = 3600.0

_T = TypeVar("_T")
_US = 1_000_000
_REDIS_DOWN = (RedisConnectionError, RedisTimeoutError, OSError)


class GovernorUnavailableError(TransportError):
    """Raised when the shared governor's Redis cannot be reached (and no fallback is
    allowed): the request was not sent."""


@dataclass(frozen=True, slots=True)
class RedisGovernorStatistics(GovernorStatistics):
    """`GovernorStatistics` of this process, plus the cost of sharing through Redis."""

    #: Script calls to Redis, and per admitted request (acquire + release: about 2).
    round_trips: int = 0
    round_trips_per_admission: float = 0.0
    #: Leases that expired while held (the event loop stalled longer than the lease).
    leases_lost: int = 0
    #: Redis calls that failed (connection refused, timeouts).
    redis_errors: int = 0
    #: True while this process runs on its local share of the limits.
    fallback_active: bool = False


@dataclass(frozen=True, slots=True)
class _Keys:
    """Every key of one namespace; the `{...}` hash tag keeps them in one cluster slot."""

    prefix: str

    @property
    def starts(self) -> str:
        return self.prefix + "starts"

    @property
    def block(self) -> str:
        return self.prefix + "block"

    @property
    def spread(self) -> str:
        return self.prefix + "spread"

    def leases(self, name: str) -> tuple[str, str, str]:
        """The lease set of `name`, its ticket queue and the tickets' expiries."""
        return (self.prefix + name, self.prefix + name + ":queue", self.prefix + name + ":alive")


@dataclass(slots=True)
class _Hold:
    """What one slot holds in Redis, so that leaving gives it all back in one call."""

    token: str
    lease_us: int
    #: The in-flight start's stamp in the shared log (server microseconds), once admitted.
    stamp: int | None = None
    #: (lease set, its cap) where the token holds a lease
    leases: list[tuple[str, int]] = field(default_factory=list)
    #: (ticket queue, ticket expiries) where the token may still hold a ticket
    tickets: list[tuple[str, str]] = field(default_factory=list)


class _RedisDown(Exception):
    """Redis failed and the local fallback is allowed: admit through it instead."""


class RedisGovernor(Governor):
    """Governs every process and host that uses one API key, through one Redis.

    Build it with `from_url`, or pass a `redis.asyncio.Redis` you configured. Keys live
    under `key_prefix` + the API key's hash (the client calls `attach` with it), or the
    `namespace` you give; all expire on their own.

    `lease_seconds` is how long an in-flight slot or lock outlives a worker that stopped
    renewing it (default 10 s; renewed every third of it while the request runs;
    `analytics_lease_seconds` likewise for the analytics lane). The start of a request is
    counted when it leaves (moved in the shared log from its admission); a request the
    client gave up on keeps its slot for `limits.grace`; the latency spread each process
    learns is shared, and every process's windows get the widest.

    `fallback="fail"` (the default) makes requests wait up to `unavailable_timeout` for
    an unreachable Redis, then raise `GovernorUnavailableError`; `fallback="local"`
    admits them through an in-process governor with `fallback_share` of the limits
    (1 / the number of processes keeps them all within the limits), checking every
    `fallback_probe` seconds whether Redis answers again; then the starts it made are
    added to the shared log (requests still running on the fallback are not counted in
    the shared in-flight cap).

    Every process sharing a key should use the same `limits`: each enforces its own
    windows on the shared log of starts.
    """

    def __init__(
        self,
        client: Redis,
        *,
        limits: Limits | None = None,
        namespace: str | None = None,
        lease_seconds: float = DEFAULT_LEASE_SECONDS,
        analytics_lease_seconds: float = DEFAULT_ANALYTICS_LEASE_SECONDS,
        fallback: Fallback = "fail",
        fallback_share: float = DEFAULT_FALLBACK_SHARE,
        fallback_probe: float = DEFAULT_FALLBACK_PROBE,
        unavailable_timeout: float = DEFAULT_UNAVAILABLE_TIMEOUT,
        ticket_grace: float = DEFAULT_TICKET_GRACE,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        key_prefix: str = DEFAULT_KEY_PREFIX,
        clock: Callable[[], float] = anyio.current_time,
        owns_client: bool = False,
    ) -> None:
        self.limits = limits if limits is not None else Limits()
        if lease_seconds <= 0 or analytics_lease_seconds <= 0:
            raise ConfigurationError("lease_seconds and analytics_lease_seconds: must be > 0")
        if fallback not in ("fail", "local"):
            raise ConfigurationError(f"fallback: must be 'fail' or 'local', got {fallback!r}")
        if not 0 < fallback_share <= 1:
            raise ConfigurationError(f"fallback_share: must be in (0, 1], got {fallback_share}")
        if unavailable_timeout < 0 or ticket_grace <= 0 or poll_interval < MIN_POLL_INTERVAL:
            raise ConfigurationError(
                "unavailable_timeout must be >= 0, ticket_grace > 0 and poll_interval "
                f">= {MIN_POLL_INTERVAL}"
            )
        self.redis = client
        self._owns_client = owns_client
        self._scripts = ScriptRunner(client)
        self._namespace = _checked_namespace(namespace) if namespace is not None else None
        self._explicit_namespace = namespace is not None
        self._key_prefix = key_prefix
        self._lease_us = round(lease_seconds * _US)
        self._analytics_lease_us = round(analytics_lease_seconds * _US)
        self._grace_us = round(ticket_grace * _US)
        self._poll = poll_interval
        self._clock = clock
        self._fallback_mode: Fallback = fallback
        self._fallback_share = fallback_share
        self._fallback_probe = fallback_probe
        self._unavailable_timeout = unavailable_timeout
        self._keeper = LeaseKeeper(
            self._renew, period=min(lease_seconds, analytics_lease_seconds) / 3
        )

        enabled = self.limits.enabled
        windows = self.limits.windows if enabled else ()
        self._window_names = [w.name for w in windows]
        longest = max((w.seconds for w in windows), default=1.0)
        self._keep_starts = max(MIN_STARTS_KEPT, max((w.limit for w in windows), default=0))
        self._starts_ttl_ms = math.ceil((longest + max(self.limits.margin, MAX_MARGIN)) * 1000)
        self._starts_ttl_ms += 1000
        self._window_args: list[int] = []
        for w in windows:
            self._window_args += [w.limit, round(w.seconds * _US)]

        # The in-process stages in front of Redis (see the module docstring).
        self._in_flight_cap = anyio.Semaphore(self.limits.max_in_flight) if enabled else None
        self._lane_caps: dict[str, anyio.Semaphore] = (
            {"analytics": anyio.Semaphore(self.limits.analytics_in_flight)} if enabled else {}
        )
        self._admission = anyio.Lock()
        self._mutexes: dict[str, anyio.Lock] = {}
        self._holds: dict[int, _Hold] = {}
        self._waiter: Redis | None = None
        self._spread = LatencySpread()

        # Local fallback, created when first needed.
        self._fallback: LocalGovernor | None = None
        self._fallback_since: float | None = None
        self._fallback_probed = 0.0
        self._fallback_starts: deque[float] = deque(maxlen=self._keep_starts)

        # Statistics of this process, and the shared state as last seen.
        self._in_flight = 0
        self._queued = 0
        self._admitted = 0
        self._errors = 0
        self._waits: dict[str, float] = {}
        self._margin = self.limits.margin
        self._blocks = 0
        self._paused_until_us = 0
        self._server_now_us = 0
        self._seen_at = 0.0

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        limits: Limits | None = None,
        namespace: str | None = None,
        lease_seconds: float = DEFAULT_LEASE_SECONDS,
        analytics_lease_seconds: float = DEFAULT_ANALYTICS_LEASE_SECONDS,
        fallback: Fallback = "fail",
        fallback_share: float = DEFAULT_FALLBACK_SHARE,
        fallback_probe: float = DEFAULT_FALLBACK_PROBE,
        unavailable_timeout: float = DEFAULT_UNAVAILABLE_TIMEOUT,
        ticket_grace: float = DEFAULT_TICKET_GRACE,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        key_prefix: str = DEFAULT_KEY_PREFIX,
        socket_timeout: float = DEFAULT_SOCKET_TIMEOUT,
        clock: Callable[[], float] = anyio.current_time,
    ) -> RedisGovernor:
        """A governor on the Redis at `url` (`redis://`, `rediss://`, `unix://`).

        The connection is made on first use, and closed by `aclose()`.
        """
        client = Redis.from_url(
            url,
            socket_timeout=socket_timeout,
            socket_connect_timeout=socket_timeout,
            # One immediate retry heals a pooled connection Redis closed; longer outages
            # are the governor's to handle (fail closed or fall back), not the driver's.
            retry=Retry(NoBackoff(), 1),
        )
        return cls(
            client,
            limits=limits,
            namespace=namespace,
            lease_seconds=lease_seconds,
            analytics_lease_seconds=analytics_lease_seconds,
            fallback=fallback,
            fallback_share=fallback_share,
            fallback_probe=fallback_probe,
            unavailable_timeout=unavailable_timeout,
            ticket_grace=ticket_grace,
            poll_interval=poll_interval,
            key_prefix=key_prefix,
            clock=clock,
            owns_client=True,
        )

    def __repr__(self) -> str:
        return f"RedisGovernor(namespace={self._namespace!r}, limits={self.limits!r})"

    # -- the Governor interface ------------------------------------------------------------
    def attach(self, key_id: str) -> None:
        if self._explicit_namespace:
            return
        if self._namespace is not None and self._namespace != key_id:
            raise ConfigurationError(
                "a RedisGovernor governs one API key: give each key its own governor"
            )
        self._namespace = key_id

    @asynccontextmanager
    async def slot(
        self, *, lane: Lane = "default", exclusive: str | None = None, deadline: float | None = None
    ) -> AsyncIterator[Slot]:
        _require_asyncio()
        keys = self._keys()
        if self._fallback_since is not None and not await self._redis_is_back(keys):
            async with self._fallback_slot(lane, exclusive, deadline) as slot:
                yield slot
            return
        self._check_pause(deadline)
        slot = Slot(lane=lane, exclusive=exclusive, events=self)
        lease_us = self._analytics_lease_us if lane == "analytics" else self._lease_us
        hold = _Hold(token=secrets.token_hex(8), lease_us=lease_us)
        self._holds[id(slot)] = hold
        redis_down = False
        async with AsyncExitStack() as local:
            try:
                self._queued += 1
                try:
                    await self._acquire(local, keys, hold, slot, lane, exclusive, deadline)
                except _RedisDown:
                    redis_down = True
                finally:
                    self._queued -= 1
                if not redis_down:
                    self._in_flight += 1
                    self._admitted += 1
                    for reason, seconds in slot.waits.items():
                        self._waits[reason] = self._waits.get(reason, 0.0) + seconds
                    try:
                        yield slot
                    except anyio.get_cancelled_exc_class():
                        slot.abandoned()
                        raise
                    finally:
                        self._in_flight -= 1
            finally:
                self._holds.pop(id(slot), None)
                # Redis first, then the local stages: a local waiter woken by them finds
                # the shared slot already free.
                await self._settle(hold, slot)
                await self._release(hold, slot)
        if redis_down:
            async with self._fallback_slot(lane, exclusive, deadline) as slot:
                yield slot

    async def report_block(self, retry_after: float | None) -> float:
        keys = self._keys()
        if self._fallback_since is not None:
            return await self._local_fallback().report_block(retry_after)
        args: list[str | int | float] = [
            -1 if retry_after is None else round(max(0.0, retry_after) * _US),
            round(MARGIN_STEP * _US),
            round(max(0.0, MAX_MARGIN - self.limits.margin) * _US),
            round(BLOCK_MEMORY_SECONDS * 1000),
            *(round(c * _US) for c in COOL_DOWNS),
        ]
        try:
            reply = await self._call("report_block", [keys.block], args)
        except _RedisDown:
            return await self._local_fallback().report_block(retry_after)
        pause_us, count, widen_us, until_us, new = (int(x) for x in reply)
        self._blocks = max(self._blocks, count)
        self._margin = min(self.limits.margin + widen_us / _US, max(self.limits.margin, MAX_MARGIN))
        self._paused_until_us = until_us
        self._server_now_us = until_us - pause_us
        self._seen_at = self._clock()
        if new:
            logger.warning("the API key is blocked: every worker pauses %.1f s", pause_us / _US)
        return pause_us / _US

    def _check_pause(self, deadline: float | None) -> None:
        """The shared pause as last seen outlasts the call's budget: fail now."""
        if deadline is None:
            return
        paused_for = self.statistics().paused_for
        if paused_for > 0 and self._clock() + paused_for > deadline:
            raise pause_error(paused_for)

    def statistics(self) -> RedisGovernorStatistics:
        try:
            now = self._clock()
        except RuntimeError:  # outside an event loop: no pause can be measured
            now = self._seen_at
        elapsed = now - self._seen_at
        paused = (self._paused_until_us - self._server_now_us) / _US - elapsed
        local = self._fallback.statistics() if self._fallback is not None else None
        waits = dict(self._waits)
        if local is not None:
            for reason, seconds in local.waits.items():
                waits[reason] = waits.get(reason, 0.0) + seconds
        trips = self._scripts.round_trips
        return RedisGovernorStatistics(
            backend="redis",
            in_flight=self._in_flight + (local.in_flight if local else 0),
            queued=self._queued + (local.queued if local else 0),
            admitted=self._admitted + (local.admitted if local else 0),
            waits=waits,
            blocks_seen=max(self._blocks, local.blocks_seen if local else 0),
            paused_for=max(0.0, paused, local.paused_for if local else 0.0),
            margin=self._margin,
            latency_spread=self._spread.spread(now),
            round_trips=trips,
            round_trips_per_admission=trips / self._admitted if self._admitted else 0.0,
            leases_lost=self._keeper.lost,
            redis_errors=self._errors,
            fallback_active=self._fallback_since is not None,
        )

    async def aclose(self) -> None:
        await self._keeper.aclose()
        if self._waiter is not None:
            await self._waiter.aclose(close_connection_pool=True)
            self._waiter = None
        if self._owns_client:
            await self.redis.aclose()

    # -- admission -------------------------------------------------------------------------
    async def _acquire(
        self,
        local: AsyncExitStack,
        keys: _Keys,
        hold: _Hold,
        slot: Slot,
        lane: Lane,
        exclusive: str | None,
        deadline: float | None,
    ) -> None:
        if exclusive is not None:
            why = f"exclusive:{exclusive}"
            mutex = self._mutexes.setdefault(exclusive, anyio.Lock())
            await self._timed(local, mutex, slot, why)
            await self._acquire_lease(keys.leases(f"lock:{exclusive}"), 1, hold, slot, why)
        if not self.limits.enabled:
            return
        lane_cap = self._lane_caps.get(lane)
        if lane_cap is not None:
            why = f"lane:{lane}"
            await self._timed(local, lane_cap, slot, why)
            cap = self.limits.analytics_in_flight
            await self._acquire_lease(keys.leases(f"lane:{lane}"), cap, hold, slot, why)
        assert self._in_flight_cap is not None
        await self._timed(local, self._in_flight_cap, slot, "queue")
        async with self._admission:
            await self._admit(keys, hold, slot, deadline)

    async def _timed(
        self, stack: AsyncExitStack, primitive: anyio.Lock | anyio.Semaphore, slot: Slot, why: str
    ) -> None:
        began = self._clock()
        await stack.enter_async_context(primitive)
        slot.add_wait(why, self._clock() - began)

    async def _admit(self, keys: _Keys, hold: _Hold, slot: Slot, deadline: float | None) -> None:
        leases, queue, alive = keys.leases("in-flight")
        # Registered before asking: leaving gives back whatever the calls did.
        hold.leases.append((leases, self.limits.max_in_flight))
        hold.tickets.append((queue, alive))
        args: list[str | int | float] = [
            hold.token,
            hold.lease_us,
            self._grace_us,
            self.limits.max_in_flight,
            round(self._poll * _US),
            round(self.limits.margin * _US),
            round(MAX_MARGIN * _US),
            self._keep_starts,
            self._starts_ttl_ms,
            len(self._window_names),
            *self._window_args,
        ]
        while True:
            began = self._clock()
            spread: list[str | int | float] = [
                round(self._spread.spread(self._clock()) * _US),
                round(MAX_AGE * _US),
            ]
            reply = await self._call(
                "admit", [keys.starts, leases, queue, alive, keys.block, keys.spread], args + spread
            )
            admitted, wait_us, reason, polling = int(reply[0]), int(reply[1]), reply[2], reply[3]
            self._seen(int(reply[4]), int(reply[5]), int(reply[6]), int(reply[7]))
            if admitted:
                self._keeper.hold(hold.token, [leases], hold.lease_us)
                slot.started_at = slot.admitted_at = self._clock()
                hold.stamp = int(reply[7])
                return
            self._check_pause(deadline)
            wait = wait_us / _US
            if int(polling):
                await self._wait_for_slot(f"{queue}:{hold.token}", wait)
            else:
                await anyio.sleep(wait)
            slot.add_wait(self._reason(reason), self._clock() - began)

    async def _acquire_lease(
        self, names: tuple[str, str, str], cap: int, hold: _Hold, slot: Slot, why: str
    ) -> None:
        leases, queue, alive = names
        hold.leases.append((leases, cap))
        hold.tickets.append((queue, alive))
        args: list[str | int | float] = [
            hold.token,
            cap,
            hold.lease_us,
            self._grace_us,
            round(self._poll * _US),
        ]
        while True:
            began = self._clock()
            admitted, wait_us = (int(x) for x in await self._call("acquire", names, args))
            if admitted:
                self._keeper.hold(hold.token, [leases], hold.lease_us)
                return
            await self._wait_for_slot(f"{queue}:{hold.token}", wait_us / _US)
            slot.add_wait(why, self._clock() - began)

    async def _wait_for_slot(self, wake: str, bound: float) -> None:
        """Wait for a slot that frees at no known time: until a release wakes us (it wakes
        the waiter whose turn it is), or at most `bound` (the poll interval, or the first
        lease's expiry), jittered so that pollers spread out."""
        timeout = max(MIN_POLL_INTERVAL, bound * random.uniform(0.8, 1.0))
        try:
            await self._scripts.wait_for_wake(wake, timeout, self._waiting_client())
        except _REDIS_DOWN:
            self._errors += 1
            await anyio.sleep(timeout)  # the next admission call deals with the outage

    def _waiting_client(self) -> Redis:
        """A client for blocking waits, on connections of their own whose read timeout
        outlasts the longest wait: a blocked read must not look like a dead server, and
        the ordinary calls keep their short timeout for telling a dead server fast."""
        if self._waiter is None:
            pool = self.redis.connection_pool
            options = dict(pool.connection_kwargs)
            socket_timeout = options.get("socket_timeout")
            if socket_timeout:
                options["socket_timeout"] = float(socket_timeout) + self._poll
            self._waiter = Redis(
                connection_pool=type(pool)(connection_class=pool.connection_class, **options)
            )
        return self._waiter

    async def _release(self, hold: _Hold, slot: Slot) -> None:
        if not hold.leases and not hold.tickets:
            return
        kept = self._keeper.held(hold.token)
        self._keeper.drop(hold.token)
        keys = [key for key, _ in hold.leases]
        keys += [queue for queue, _ in hold.tickets] + [alive for _, alive in hold.tickets]
        args: list[str | int | float] = [hold.token, len(hold.leases), len(hold.tickets)]
        args += [cap for _, cap in hold.leases]
        # The in-flight slot of a request the service may still work on stays taken.
        grace_us = round(self.limits.grace * _US)
        held_on = slot.was_abandoned and slot.may_be_at_the_service and hold.stamp is not None
        args += [grace_us if held_on and key.endswith("in-flight") else 0 for key, _ in hold.leases]
        try:
            removed = await _uninterruptible(self._scripts.run("release", keys, args))
        except _REDIS_DOWN as exc:
            self._errors += 1
            logger.warning("could not release governor leases (they will expire): %s", exc)
            return
        for (key, _), gone in zip(hold.leases, removed, strict=False):
            if key in kept and not int(gone):
                self._keeper.lost += 1

    # -- what the transport reports (see `Slot`) -------------------------------------------
    async def request_sent(self, slot: Slot) -> None:
        hold = self._holds.get(id(slot))
        if hold is not None and hold.stamp is not None:
            slot.started_at = self._clock()
            hold.stamp = await self._restamp(hold.stamp, sent=True)

    def answer_received(self, slot: Slot) -> None:
        if is_quick(slot) and slot.answered_at is not None:
            sent = slot.body_sent_at if slot.body_sent_at is not None else slot.sent_at
            assert sent is not None
            self._spread.observe(slot.answered_at, slot.answered_at - sent)

    async def _settle(self, hold: _Hold, slot: Slot) -> None:
        """Leaving without a reported send: drop the start if it never left, move it to
        now if it may have left unreported (the latest it can have)."""
        if hold.stamp is None or slot.sent_at is not None:
            return
        if slot.failed_before_sending or slot.traced:
            await self._restamp(hold.stamp, sent=False)
        elif slot.was_handed_over:
            await self._restamp(hold.stamp, sent=True)

    async def _restamp(self, stamp: int, *, sent: bool) -> int | None:
        args: list[str | int | float] = [stamp, int(sent), self._keep_starts, self._starts_ttl_ms]
        try:
            reply = await _uninterruptible(
                self._scripts.run("restamp", [self._keys().starts], args)
            )
        except _REDIS_DOWN as exc:
            # The start stays counted at admission: the windows lose only their exactness.
            self._errors += 1
            logger.warning("could not move a start in the shared log: %s", exc)
            return stamp
        return int(reply) if sent else None

    async def _renew(self, keys: Sequence[str], args: Sequence[str | int | float]) -> Any:
        return await _uninterruptible(self._scripts.run("renew", keys, args))

    async def _call(
        self, name: str, keys: Sequence[str], args: Sequence[str | int | float]
    ) -> list[Any]:
        """Run a script; while Redis is unreachable, fall back or wait (bounded), then raise."""
        first_failure: float | None = None
        failures = 0
        while True:
            try:
                reply: list[Any] = await _uninterruptible(self._scripts.run(name, keys, args))
                return reply
            except _REDIS_DOWN as exc:
                self._errors += 1
                failures += 1
                if self._fallback_mode == "local":
                    self._enter_fallback(exc)
                    raise _RedisDown from exc
                now = anyio.current_time()
                first_failure = now if first_failure is None else first_failure
                if now - first_failure >= self._unavailable_timeout:
                    raise GovernorUnavailableError(
                        f"the shared governor's Redis has been unreachable for "
                        f"{now - first_failure:.1f} s ({exc}); the request was not sent. "
                        "Pass fallback='local' to RedisGovernor to run on a local share "
                        "of the limits meanwhile"
                    ) from exc
                await anyio.sleep(min(1.0, 0.05 * 2**failures) * random.uniform(0.5, 1.0))

    # -- shared state as last seen, for statistics ------------------------------------------
    def _seen(self, paused_until_us: int, margin_us: int, blocks: int, now_us: int) -> None:
        self._paused_until_us = paused_until_us
        self._server_now_us = now_us
        self._seen_at = self._clock()
        self._margin = margin_us / _US
        self._blocks = max(self._blocks, blocks)

    def _reason(self, code: bytes | str) -> str:
        text = code.decode() if isinstance(code, bytes) else code
        if text.startswith("w") and text[1:].isdigit():
            return self._window_names[int(text[1:]) - 1]
        return text or "queue"

    def _keys(self) -> _Keys:
        if self._namespace is None:
            raise ConfigurationError(
                "RedisGovernor: no namespace; use it through UnitalkClient (which names it "
                "after the API key's hash) or pass namespace="
            )
        return _Keys(f"{self._key_prefix}{{{self._namespace}}}:")

    # -- the local fallback -----------------------------------------------------------------
    def _local_fallback(self) -> LocalGovernor:
        if self._fallback is None:
            self._fallback = LocalGovernor(share_of_limits(self.limits, self._fallback_share))
        return self._fallback

    def _enter_fallback(self, exc: BaseException) -> None:
        if self._fallback_since is None:
            logger.warning(
                "the shared governor's Redis is unreachable (%s): this process now runs on "
                "%.0f%% of the limits until it answers again",
                exc,
                self._fallback_share * 100,
            )
            self._fallback_since = self._fallback_probed = anyio.current_time()
            self._local_fallback()

    @asynccontextmanager
    async def _fallback_slot(
        self, lane: Lane, exclusive: str | None, deadline: float | None
    ) -> AsyncIterator[Slot]:
        fallback = self._local_fallback()
        async with fallback.slot(lane=lane, exclusive=exclusive, deadline=deadline) as slot:
            self._fallback_starts.append(anyio.current_time())
            yield slot

    async def _redis_is_back(self, keys: _Keys) -> bool:
        """While on the fallback, probe Redis now and then; when it answers, hand the
        starts made meanwhile to the shared log, so the windows count them."""
        now = anyio.current_time()
        if now - self._fallback_probed < self._fallback_probe:
            return False
        self._fallback_probed = now
        ages = [round((now - t) * _US) for t in self._fallback_starts]
        try:
            await _uninterruptible(
                self._scripts.run(
                    "merge_starts", [keys.starts], [self._keep_starts, self._starts_ttl_ms, *ages]
                )
            )
        except _REDIS_DOWN:
            self._errors += 1
            return False
        logger.warning("the shared governor's Redis answers again: back to the shared limits")
        self._fallback_since = None
        self._fallback_starts.clear()
        return True


async def _uninterruptible(call: Coroutine[Any, Any, _T]) -> _T:
    """Await a Redis call to its end even if the caller is cancelled meanwhile, then let
    the cancellation through. A call cut short may have been applied by Redis without our
    knowing (an admission, say), and what leaving gives back must come after it."""
    task = asyncio.ensure_future(call)
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        while not task.done():  # bounded by the socket timeout
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait([task])
        if not task.cancelled():
            task.exception()  # retrieved: the cancellation is what the caller gets
        raise


def share_of_limits(limits: Limits, share: float) -> Limits:
    """`limits` cut to `share` (at least one of everything): one process's part of them."""
    if not limits.enabled:
        return limits
    in_flight = max(1, math.floor(limits.max_in_flight * share))
    return dataclasses.replace(
        limits,
        max_in_flight=in_flight,
        windows=tuple(
            RateWindow(max(1, math.floor(w.limit * share)), w.seconds) for w in limits.windows
        ),
        analytics_in_flight=min(in_flight, max(1, math.floor(limits.analytics_in_flight * share))),
    )


def _checked_namespace(namespace: str) -> str:
    if not namespace or "{" in namespace or "}" in namespace:
        raise ConfigurationError(f"namespace: must be non-empty, without braces: {namespace!r}")
    return namespace


def _require_asyncio() -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:  # trio, or no event loop at all
        raise ConfigurationError(
            "RedisGovernor needs asyncio (redis-py's client is asyncio-only)"
        ) from None
