"""/calls/analytics/create: slow answers, one per call at a time, 50 in processing at most."""

from __future__ import annotations

import functools

import anyio
import msgspec
import pytest

from .conftest import Api, ApiFactory, wait_until

pytestmark = pytest.mark.anyio
PATH = "/calls/analytics/create"


def answered_calls(api: Api, count: int) -> list[int]:
    return [row.id for row in api.state.history.rows if row.state == "ANSWER"][:count]


async def test_answers_the_bare_analytics_object(api: Api) -> None:
    call_id = answered_calls(api, 1)[0]
    body = await api.ok(PATH, params={"callId": call_id, "profileId": 123})
    assert body["profileId"] == 123
    assert body["profileName"] == "Sample Name"
    assert body["operatorTag"] == "Operator"
    assert body["transcription"].startswith("00:00:00,000-->00:00:15,000\nOperator: Hello!")
    assert body["plainTranscription"].startswith("Operator: Hello! This is sample speech\n")
    metrics = msgspec.json.decode(body["analyticsJson"])  # an escaped JSON string
    assert metrics["dialogTopic"]["metricName"] == "Dialog topic"
    schema = msgspec.json.decode(body["analyticsSchema"])
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"
    assert set(schema["properties"]) == set(metrics)
    assert body["languageData"]["translatedLangCode"] is None
    assert api.state.analytics.in_progress == set()


async def test_errors(api: Api) -> None:
    history = api.state.history.rows
    answered = next(row.id for row in history if row.state == "ANSWER")
    unanswered = next(row.id for row in history if row.state != "ANSWER")
    await api.fails(PATH, params={"callId": 1, "profileId": 123}, message="Call does not exist")
    await api.fails(PATH, params={"profileId": 123}, message="Call does not exist")
    await api.fails(
        PATH, params={"callId": answered, "profileId": 9}, message="Profile does not exist"
    )
    await api.fails(
        PATH,
        params={"callId": unanswered, "profileId": 123},
        message="Analytics is not available for this call",
    )
    api.sandbox.project.voice_analytics_available = False
    await api.fails(
        PATH,
        params={"callId": answered, "profileId": 123},
        message="Voice analytics is not available",
    )
    api.sandbox.project.voice_analytics_available = True
    api.sandbox.project.balance_ok = False
    await api.fails(
        PATH, params={"callId": answered, "profileId": 123}, message="Insufficient funds"
    )


async def test_a_call_in_processing_is_refused(make_api: ApiFactory) -> None:
    api: Api = await make_api(analytics_delay=0.2)
    call_id = answered_calls(api, 1)[0]
    async with anyio.create_task_group() as tg:
        tg.start_soon(functools.partial(api.ok, PATH, params={"callId": call_id, "profileId": 123}))
        await wait_until(lambda: call_id in api.state.analytics.in_progress)
        await api.fails(
            PATH,
            params={"callId": call_id, "profileId": 124},
            message="Voice analytics is already in progress",
        )
    assert api.state.analytics.in_progress == set()


async def test_at_most_50_calls_in_processing(make_api: ApiFactory) -> None:
    api: Api = await make_api(analytics_delay=0.3, history_size=2000)
    calls = answered_calls(api, 51)
    answers: list[int] = []

    async def analyse(call_id: int) -> None:
        response = await api.post(PATH, params={"callId": call_id, "profileId": 123})
        answers.append(response.status_code)

    async with anyio.create_task_group() as tg:
        for call_id in calls[:50]:
            tg.start_soon(analyse, call_id)
        await wait_until(lambda: len(api.state.analytics.in_progress) == 50)
        await api.fails(
            PATH,
            params={"callId": calls[50], "profileId": 123},
            message="Only 50 concurrent requests are allowed",
        )
    assert answers == [200] * 50
    # Processing done, room again.
    await api.ok(PATH, params={"callId": calls[50], "profileId": 123})
