"""Worker processes sharing one key through Redis, checked against the sandbox's arrival log.

Time is scaled down on both sides (the client's `Limits.scaled(f)`, the sandbox's
`ServerLimits(time_scale=f)`), so the API's 1-s and 10-s windows last f s and 10 f s.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager

import redis

from governor_redis._helpers import assert_windows_hold, key
from governor_redis._worker import Worker, limits_spec
from unitalk_async.governor import Limits
from unitalk_async.sandbox import SandboxConfig, ServerLimits, run_sandbox
from unitalk_async.sandbox.state import Sandbox


@contextmanager
def workers(count: int) -> Iterator[list[Worker]]:
    """`count` forked workers, waiting for their jobs; killed on the way out."""
    made = [Worker() for _ in range(count)]
    try:
        yield made
    finally:
        for worker in made:
            worker.kill()


def start_together(group: list[Worker]) -> None:
    for worker in group:
        worker.expect("ready")
    for worker in group:
        worker.send("go")


def ideal_span(count: int, limits: Limits) -> float:
    """The exact-window schedule's time from the first start to the last: the theoretical
    minimum for `count` requests under these windows and margin."""
    starts: list[float] = []
    for i in range(count):
        t = starts[-1] if starts else 0.0
        for w in limits.windows:
            if i >= w.limit:
                t = max(t, starts[i - w.limit] + w.seconds + limits.margin)
        starts.append(t)
    return starts[-1] - starts[0]


def test_atomic_admission_under_contention_from_several_processes(
    redis_url: str, namespace: str
) -> None:
    limits = Limits.scaled(0.1, max_in_flight=3, analytics_in_flight=1)
    counter = key(namespace, "test-busy")
    job = {
        "kind": "slots",
        "redis_url": redis_url,
        "namespace": namespace,
        "limits": limits_spec(limits),
        "count": 15,
        "hold": 0.005,
        "counter": counter,
    }
    with workers(4) as group:
        for worker in group:
            worker.send(job)
        start_together(group)
        results = [w.result() for w in group]
    with redis.Redis.from_url(redis_url) as client:
        starts = sorted(int(x) for x in client.lrange(key(namespace, "starts"), 0, -1))
        client.delete(counter)
    assert [r["admitted"] for r in results] == [15] * 4
    assert len(starts) == 60
    assert_windows_hold(starts, limits)
    assert max(r["most_inside"] for r in results) <= 3


SCALE = 0.35  # the 10-s window lasts 3.5 s: 240 requests need 24.85 s at best
#: The sandbox stamps arrivals tens of ms after our sends on a loaded machine (nine
#: processes, two shared cores), by amounts that differ from burst to burst: jitter does
#: not scale with the windows, so neither does the margin that covers it (as the
#: default 50 ms covers network jitter against the real API).
MARGIN = 0.08


def test_eight_workers_share_the_limits_with_zero_blocks(redis_url: str, namespace: str) -> None:
    limits = Limits.scaled(SCALE, margin=MARGIN)
    server_limits = ServerLimits(time_scale=SCALE)
    with workers(8) as group, run_sandbox(SandboxConfig(seed=9, limits=server_limits)) as server:
        job = {
            "kind": "requests",
            "redis_url": redis_url,
            "namespace": namespace,
            "limits": limits_spec(limits),
            "api_key": server.api_key,
            "base_url": server.base_url,
            "admin_url": server.admin_url,
            "path": "/users/list",
            "count": 30,
            "warm": 2,
        }
        for worker in group:
            worker.send(job)
        for worker in group:
            worker.expect("ready")
        forget_warm_up(server.sandbox, redis_url, namespace)
        for worker in group:
            worker.send("go")
        results = [w.result() for w in group]
        arrivals = server.sandbox.arrivals
        times = sorted(a.time for a in arrivals.entries)
        worst_1s = arrivals.worst_window(server_limits.second)
        worst_10s = arrivals.worst_window(server_limits.ten_seconds)
        most_in_flight = arrivals.max_in_flight
        blocks = list(arrivals.blocks)
        rejected = arrivals.rejected

    assert [r["done"] for r in results] == [30] * 8
    assert len(times) == 240
    assert rejected == 0
    assert blocks == []
    assert worst_1s <= 15
    assert worst_10s <= 30
    assert most_in_flight <= 20
    assert all(r["blocks_seen"] == 0 for r in results)
    # The theoretical minimum the API's limits allow, without any margin: requests 0-14 at
    # 0, 15-29 one short window later, 30-44 one long window after the first, ...
    minimum = ideal_span(240, Limits.scaled(SCALE, margin=0))
    span = times[-1] - times[0]
    trips = sum(r["round_trips"] for r in results) / sum(r["admitted"] for r in results)
    print(
        f"240 requests from 8 workers: {span:.3f} s, theoretical minimum {minimum:.3f} s "
        f"(ratio {span / minimum:.4f}; {span / ideal_span(240, limits):.4f} against the "
        f"schedule with the margin); {trips:.2f} Redis round trips per request"
    )
    # How close the span comes to the minimum is a wall-clock figure: measured by
    # benchmarks/redis_governor.py, not asserted here.


def forget_warm_up(sandbox: Sandbox, redis_url: str, namespace: str) -> None:
    """Both sides forget the workers' warm-up requests: the sandbox its arrival log and
    windows, Redis the shared start log (nothing is in flight)."""
    sandbox.reset()
    with redis.Redis.from_url(redis_url) as client:
        names = list(client.scan_iter(match=f"*{{{namespace}}}*"))
        assert client.zcard(key(namespace, "in-flight")) == 0
        client.delete(*names)


def test_a_killed_worker_frees_its_slots_and_lock_when_its_leases_expire(
    redis_url: str, namespace: str
) -> None:
    scale = 0.1
    limits = Limits.scaled(scale, max_in_flight=4, analytics_in_flight=1)
    common = {
        "redis_url": redis_url,
        "namespace": namespace,
        "limits": limits_spec(limits),
        "lease_seconds": 1.0,
    }
    server_limits = ServerLimits(time_scale=scale)
    with (
        workers(3) as (victim, *survivors),
        run_sandbox(SandboxConfig(seed=5, limits=server_limits)) as server,
    ):
        # The victim holds every in-flight slot (3 + the one under the lock) and the lock.
        victim.send({**common, "kind": "hold", "slots": 3})
        victim.expect("holding")
        survivor = {
            **common,
            "kind": "requests",
            "api_key": server.api_key,
            "base_url": server.base_url,
            "admin_url": server.admin_url,
            "path": "/users/list",
            "count": 10,
            "locks": 3,
        }
        for worker in survivors:
            worker.send(survivor)
            worker.expect("ready")
        os.kill(victim.process.pid, signal.SIGKILL)
        victim.process.join(5)
        with redis.Redis.from_url(redis_url) as client:
            held = client.zcard(key(namespace, "in-flight"))
            locked = client.zcard(key(namespace, "lock:autodial-numbers"))
        for worker in survivors:
            worker.send("go")
        results = [w.result() for w in survivors]
        arrivals = server.sandbox.arrivals
        total, rejected = arrivals.total, arrivals.rejected
    assert (held, locked) == (4, 1)  # the dead worker's leases outlive it...
    assert [(r["done"], r["locked"]) for r in results] == [(10, 3)] * 2  # ...then expire
    assert all(r["waits"].get("queue", 0) > 0 for r in results)
    assert total == 20  # every survivor request reached the service once
    assert rejected == 0
    with redis.Redis.from_url(redis_url) as client:
        assert client.zcard(key(namespace, "in-flight")) == 0
        assert client.zcard(key(namespace, "lock:autodial-numbers")) == 0
