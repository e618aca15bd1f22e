"""Exactly-once handling over real HTTP: duplicated deliveries run each handler once.

The judge of "once" is the test's own numbering of the events it sends (a call id or a
`calledCount`), counted in the handlers, never the receiver's dedupe keys.
"""

from __future__ import annotations

import logging
import random
from collections import Counter

import anyio
import httpx
import pytest

from unitalk_async.webhooks import (
    AutodialCallEvent,
    CallEvent,
    Claim,
    MemorySeenStore,
    RouteAnswer,
    RouteRequest,
    WebhookReceiver,
    dedupe_key,
    parse,
)

from ._server import serving
from .test_receiver import CALL_END, QUEUE, ROUTE, SECRET, recording

pytestmark = pytest.mark.anyio

CALL_EVENTS = ("CALL_NEW", "CALL_REDIRECT", "CALL_ANSWER", "CALL_END")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def event_body(n: int) -> bytes:
    """Distinct event number `n`: two thirds call events (with a call id), one third
    autodialer call events (no id: deduplicated by content)."""
    if n % 3 == 2:
        return b'{"dialName": "okna", "callState": "ANSWER", "calledCount": %d}' % n
    name = CALL_EVENTS[n % 4].encode()
    return b'{"event": "%s", "call": {"id": %d, "to": ["2048"]}}' % (name, n)


def counting(receiver: WebhookReceiver) -> Counter[int]:
    """Handlers that count each event by its number (see `event_body`)."""
    runs: Counter[int] = Counter()

    @receiver.on(CallEvent)
    async def call(event: CallEvent) -> None:
        assert isinstance(event.call.id, int)
        runs[event.call.id] += 1
        await anyio.sleep(0.002)  # room for a duplicate to arrive while this one runs

    @receiver.on(AutodialCallEvent)
    async def autodial(event: AutodialCallEvent) -> None:
        assert isinstance(event.called_count, int)
        runs[event.called_count] += 1
        await anyio.sleep(0.002)

    return runs


def deliveries(distinct: int, duplicated: int, seed: int) -> list[int]:
    """Event numbers in sending order: each of `duplicated` random events appears twice in a
    row, so two different senders deliver it at about the same moment."""
    twice = set(random.Random(seed).sample(range(distinct), duplicated))
    order: list[int] = []
    for n in range(distinct):
        order += [n, n] if n in twice else [n]
    return order


async def post_all(urls: list[str], order: list[int], senders: int) -> list[int]:
    """Post `order` from `senders` concurrent senders, each with its own connection; sender k
    takes positions k, k + senders, ... and posts to `urls[k % len(urls)]`."""
    statuses: list[int] = []

    async def sender(k: int) -> None:
        async with httpx.AsyncClient(params={"token": SECRET}, timeout=30) as http:
            for position in range(k, len(order), senders):
                answer = await http.post(urls[k % len(urls)], content=event_body(order[position]))
                statuses.append(answer.status_code)

    async with anyio.create_task_group() as tg:
        for k in range(senders):
            tg.start_soon(sender, k)
    return statuses


async def test_2000_posts_from_50_senders_10_percent_duplicated_run_each_handler_once() -> None:
    receiver = WebhookReceiver(secret=SECRET)
    runs = counting(receiver)
    order = deliveries(1800, 200, seed=16)
    assert len(order) == 2000
    async with serving(receiver.app) as url:
        statuses = await post_all([url], order, senders=50)
    assert statuses == [200] * 2000
    assert runs == Counter(range(1800))  # every distinct event once, none lost, none twice
    stats = receiver.statistics()
    assert (stats.handled, stats.duplicates) == (1800, 200)


async def test_without_a_seen_store_every_delivery_runs_the_handler() -> None:
    receiver = WebhookReceiver(secret=SECRET, seen=None)
    runs = counting(receiver)
    async with serving(receiver.app) as url:
        statuses = await post_all([url], [0, 0, 2, 2], senders=2)
    assert statuses == [200] * 4
    assert runs == Counter({0: 2, 2: 2})


async def test_a_failed_attempt_is_forgotten_so_the_redelivery_runs() -> None:
    receiver = WebhookReceiver(secret=SECRET)
    attempts = 0

    @receiver.on(CallEvent)
    async def flaky(event: CallEvent) -> None:
        nonlocal attempts
        attempts += 1
        if attempts == 1:
            raise RuntimeError("database down")

    async with serving(receiver.app) as url, httpx.AsyncClient(params={"token": SECRET}) as http:
        statuses = [(await http.post(url, content=CALL_END)).status_code for _ in range(3)]
    assert statuses == [500, 200, 200]
    assert attempts == 2
    assert receiver.statistics().duplicates == 1


class WatchedStore(MemorySeenStore):
    """A memory store that tells when a delivery found its event being handled."""

    def __init__(self) -> None:
        super().__init__()
        self.found_handling = anyio.Event()

    async def claim(self, key: str) -> Claim:
        claim = await super().claim(key)
        if claim is Claim.HANDLING:
            self.found_handling.set()
        return claim


@pytest.mark.parametrize("first_fails", [False, True])
async def test_a_duplicate_waits_for_the_delivery_in_progress(first_fails: bool) -> None:
    store = WatchedStore()
    receiver = WebhookReceiver(secret=SECRET, seen=store)
    started = anyio.Event()
    release = anyio.Event()
    runs = 0

    @receiver.on(CallEvent)
    async def slow(event: CallEvent) -> None:
        nonlocal runs
        runs += 1
        if runs == 1:
            started.set()
            await release.wait()
            if first_fails:
                raise RuntimeError("the first attempt fails")

    statuses: list[int] = []
    async with (
        serving(receiver.app) as url,
        httpx.AsyncClient(params={"token": SECRET}) as http,
        anyio.create_task_group() as tg,
    ):

        async def deliver() -> None:
            statuses.append((await http.post(url, content=CALL_END)).status_code)

        tg.start_soon(deliver)
        await started.wait()
        tg.start_soon(deliver)
        await store.found_handling.wait()
        assert runs == 1
        release.set()
    if first_fails:
        assert sorted(statuses) == [200, 500]
        assert runs == 2  # the waiting duplicate ran it, so it is not lost
    else:
        assert statuses == [200, 200]
        assert runs == 1
        assert receiver.statistics().duplicates == 1


async def test_an_event_held_elsewhere_past_the_wait_is_503_to_try_later() -> None:
    store = MemorySeenStore()
    receiver = WebhookReceiver(secret=SECRET, seen=store, handler_timeout=0.2)
    received = recording(receiver, CallEvent)
    key = dedupe_key(parse(CALL_END), CALL_END)
    assert key is not None
    assert await store.claim(key) is Claim.NEW  # another delivery holds it, and never ends
    async with serving(receiver.app) as url, httpx.AsyncClient(params={"token": SECRET}) as http:
        held = await http.post(url, content=CALL_END)
        await store.finish(key, handled=False)  # the other delivery failed
        after = await http.post(url, content=CALL_END)
    assert (held.status_code, held.headers["retry-after"]) == (503, "1")
    assert after.status_code == 200
    assert len(received) == 1


async def test_questions_are_answered_every_time() -> None:
    receiver = WebhookReceiver(secret=SECRET)
    asked: list[str] = []

    @receiver.on_route
    async def route(request: RouteRequest) -> RouteAnswer:
        asked.append("route")
        return RouteAnswer(operator_number="2048")

    async with serving(receiver.app) as url, httpx.AsyncClient(params={"token": SECRET}) as http:
        routes = [await http.post(url, content=ROUTE) for _ in range(2)]
        queues = [await http.post(url, content=QUEUE) for _ in range(2)]
    assert [r.json()["operatorNumber"] for r in routes] == ["2048", "2048"]
    assert [q.json() for q in queues] == [{"setPriority": 5}] * 2
    assert asked == ["route", "route"]
    assert dedupe_key(parse(ROUTE), ROUTE) is None
    assert dedupe_key(parse(QUEUE), QUEUE) is None


async def test_a_failing_store_costs_dedupe_not_events(caplog: pytest.LogCaptureFixture) -> None:
    class Down:
        async def claim(self, key: str) -> Claim:
            raise ConnectionError("seen-store unreachable")

        async def finish(self, key: str, *, handled: bool) -> None:
            raise AssertionError("no claim was made")

    receiver = WebhookReceiver(secret=SECRET, seen=Down())
    received = recording(receiver, CallEvent)
    async with serving(receiver.app) as url, httpx.AsyncClient(params={"token": SECRET}) as http:
        statuses = [(await http.post(url, content=CALL_END)).status_code for _ in range(2)]
    assert statuses == [200, 200]
    assert len(received) == 2
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 2
    assert "seen-store unreachable" in errors[0].getMessage()


def test_keys_name_the_event_the_call_and_its_numbers() -> None:
    redirect = b'{"event": "CALL_REDIRECT", "call": {"id": 7, "to": ["2048", "2049"]}}'
    other_numbers = redirect.replace(b'"2049"', b'"2050"')
    no_id = b'{"event": "CALL_END", "call": {"from": "380505557182"}}'
    assert dedupe_key(parse(redirect), redirect) == "CALL_REDIRECT:7:2048,2049"
    assert dedupe_key(parse(other_numbers), other_numbers) == "CALL_REDIRECT:7:2048,2050"
    key = dedupe_key(parse(no_id), no_id)
    assert key is not None
    assert key.startswith("CALL_END:")
    assert len(key) == len("CALL_END:") + 64
    balance = b'{"type": "CALL", "mainBalance": 1}'
    assert str(dedupe_key(parse(balance), balance)).startswith("BalanceMovement:")


async def test_the_memory_store_forgets_the_least_recently_used() -> None:
    store = MemorySeenStore(max_keys=2)
    for key in ("a", "b"):
        assert await store.claim(key) is Claim.NEW
        await store.finish(key, handled=True)
    assert await store.claim("a") is Claim.DONE  # "a" is now the most recently used
    assert await store.claim("c") is Claim.NEW  # evicts "b"
    assert await store.claim("c") is Claim.HANDLING
    assert await store.claim("b") is Claim.NEW
    assert len(store) == 2
    with pytest.raises(ValueError, match="max_keys"):
        MemorySeenStore(max_keys=0)
