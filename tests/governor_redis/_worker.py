"""One worker process of the multi-process tests.

Workers are forked before the sandbox starts (cheap: no interpreter start-up; safe: no
thread is running yet) and told their job through a pipe. Each sets up its governor (and
client), says "ready", waits for "go" (so that every worker starts together), does its
job and sends back a dict of results. A "hold" worker takes slots and a lock, says
"holding" and waits to be killed.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import time
import traceback
from multiprocessing.connection import Connection
from typing import Any

from redis.asyncio import Redis

from unitalk_async import UnitalkClient
from unitalk_async.governor import AUTODIAL_NUMBERS, Limits, RateWindow
from unitalk_async.governor.redis import RedisGovernor


def limits_from(spec: dict[str, Any]) -> Limits:
    return Limits(
        max_in_flight=spec["max_in_flight"],
        windows=tuple(RateWindow(limit, seconds) for limit, seconds in spec["windows"]),
        margin=spec["margin"],
        analytics_in_flight=spec["analytics_in_flight"],
        permanent_block_seconds=spec["permanent_block_seconds"],
    )


def limits_spec(limits: Limits) -> dict[str, Any]:
    return {
        "max_in_flight": limits.max_in_flight,
        "windows": [(w.limit, w.seconds) for w in limits.windows],
        "margin": limits.margin,
        "analytics_in_flight": limits.analytics_in_flight,
        "permanent_block_seconds": limits.permanent_block_seconds,
    }


FORK = multiprocessing.get_context("fork")


class Worker:
    """A forked worker process and our end of its pipe."""

    def __init__(self) -> None:
        self.pipe, child = FORK.Pipe()
        self.process = FORK.Process(target=_serve, args=(child,), daemon=True)
        self.process.start()
        child.close()

    def send(self, message: object) -> None:
        self.pipe.send(message)

    def expect(self, message: str, timeout: float = 30.0) -> None:
        assert self.pipe.poll(timeout), f"worker did not say {message!r} in time"
        got = self.pipe.recv()
        assert got == message, f"worker said {got!r}, not {message!r}"

    def result(self, timeout: float = 120.0) -> dict[str, Any]:
        assert self.pipe.poll(timeout), "worker did not finish in time"
        result: dict[str, Any] = self.pipe.recv()
        self.process.join(5)
        assert "error" not in result, result["error"]
        return result

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)


def _serve(pipe: Connection) -> None:
    # The sandbox stands for a server with CPUs of its own: on a machine shared with the
    # workers it gets the CPU first, so that its arrival stamps are not late by our load.
    os.nice(10)
    job = pipe.recv()
    try:
        pipe.send(asyncio.run(main(job, pipe)))
    except BaseException:
        pipe.send({"error": traceback.format_exc()})
        raise


async def start_signal(pipe: Connection) -> None:
    pipe.send("ready")
    await asyncio.get_running_loop().run_in_executor(None, pipe.recv)


async def main(job: dict[str, Any], pipe: Connection) -> dict[str, Any]:
    governor = RedisGovernor.from_url(
        job["redis_url"],
        limits=limits_from(job["limits"]),
        namespace=job.get("namespace"),
        lease_seconds=job.get("lease_seconds", 30.0),
    )
    await governor.redis.ping()
    kind = job["kind"]
    if kind == "slots":
        return await slots(governor, job, pipe)
    if kind == "hold":
        return await hold(governor, job, pipe)
    return await requests(governor, job, pipe)


async def slots(governor: RedisGovernor, job: dict[str, Any], pipe: Connection) -> dict[str, Any]:
    """Many tasks through the governor alone; an independent counter in Redis (INCR on
    entry, DECR on exit) measures how many were inside at once, across every process."""
    counter = Redis.from_url(job["redis_url"])
    busy, most = job["counter"], 0

    async def one() -> None:
        nonlocal most
        async with governor.slot():
            most = max(most, int(await counter.incr(busy)))
            await asyncio.sleep(job["hold"])
            await counter.decr(busy)

    await start_signal(pipe)
    await asyncio.gather(*(one() for _ in range(job["count"])))
    stats = governor.statistics()
    await counter.aclose()
    await governor.aclose()
    return {"admitted": stats.admitted, "most_inside": most, "round_trips": stats.round_trips}


async def hold(governor: RedisGovernor, job: dict[str, Any], pipe: Connection) -> dict[str, Any]:
    """Take `slots` in-flight slots and the autodial-numbers lock, then wait to be killed."""
    holding = asyncio.Event()
    taken = 0

    async def keep(exclusive: str | None) -> None:
        nonlocal taken
        async with governor.slot(exclusive=exclusive):
            taken += 1
            if taken == job["slots"] + 1:
                holding.set()
            await asyncio.sleep(3600)

    tasks = [asyncio.create_task(keep(None)) for _ in range(job["slots"])]
    tasks.append(asyncio.create_task(keep(AUTODIAL_NUMBERS)))
    await holding.wait()
    pipe.send("holding")
    await asyncio.gather(*tasks)
    return {}


async def requests(
    governor: RedisGovernor, job: dict[str, Any], pipe: Connection
) -> dict[str, Any]:
    """`count` requests to the sandbox through a client, and `locks` turns of the
    autodial-numbers lock, all at once."""
    client = UnitalkClient(
        api_key=job["api_key"],
        base_url=job["base_url"],
        governor=governor,
        allow_insecure_http=True,
    )
    # Warm up before the start: a few requests open keep-alive connections and exercise
    # both ends once (a first request costs tens of ms more on a busy machine, a delay
    # later requests would not have: jitter the margin would otherwise have to cover).
    # The parent then forgets them on both sides: the sandbox's log and the shared state.
    await asyncio.gather(*(client.post(job["path"]) for _ in range(job.get("warm", 0))))
    done = locked = 0
    sends: list[float] = []  # CLOCK_MONOTONIC is system-wide: comparable with the sandbox's
    client.hooks.on_request.append(lambda _: sends.append(time.monotonic()))

    async def request() -> None:
        nonlocal done
        await client.post(job["path"])
        done += 1

    async def lock() -> None:
        nonlocal locked
        async with governor.slot(exclusive=AUTODIAL_NUMBERS):
            locked += 1
            await asyncio.sleep(0.01)

    await start_signal(pipe)
    loop = asyncio.get_running_loop()
    began = loop.time()
    await asyncio.gather(
        *(request() for _ in range(job["count"])), *(lock() for _ in range(job.get("locks", 0)))
    )
    elapsed = loop.time() - began
    stats = governor.statistics()
    await client.aclose()
    await governor.aclose()
    return {
        "done": done,
        "locked": locked,
        "elapsed": elapsed,
        "admitted": stats.admitted,
        "round_trips": stats.round_trips,
        "waits": stats.waits,
        "blocks_seen": stats.blocks_seen,
        "sends": sends,
    }
