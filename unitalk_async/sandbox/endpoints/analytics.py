"""/calls/analytics/create?callId=&profileId=: voice analytics of a recorded call.

The answer comes after `config.analytics_delay` seconds of "processing"; at most 50 calls
are processed at once, and a call already being processed is refused.
"""

from __future__ import annotations

from typing import Any

import anyio
import msgspec
from starlette.requests import Request
from starlette.responses import Response

from unitalk_async._reference import MAX_ANALYTICS_IN_PROCESSING
from unitalk_async.sandbox._answers import SandboxError, bare
from unitalk_async.sandbox.endpoints._request import int_param, parameters, sandbox_of
from unitalk_async.sandbox.endpoints.history import HistoryRow

_TOPICS = ("Voice message", "Order status", "Price request", "Complaint", "Delivery")
_LINES = (
    ("Operator", "Hello! This is sample speech"),
    ("Client", "Hi, I would like to know the status of my order"),
    ("Operator", "Of course, one moment please"),
    ("Client", "Thank you"),
)


class AnalyticsDesk:
    """The calls whose analytics are being processed."""

    def __init__(self) -> None:
        self.in_progress: set[int] = set()


def _analytics(row: HistoryRow, profile_id: int, profile_name: str) -> dict[str, Any]:
    replicas = _LINES[: 2 + row.id % 3]
    timed = [
        f"00:00:{15 * i:02d},000-->00:00:{15 * i + 15:02d},000\n{who}: {text}"
        for i, (who, text) in enumerate(replicas)
    ]
    metrics = {
        "dialogTopic": {
            "metricId": 1234,
            "metricName": "Dialog topic",
            "value": _TOPICS[row.id % len(_TOPICS)],
            "position": 0,
        },
        "politeness": {
            "metricId": 1235,
            "metricName": "Operator was polite",
            "value": "yes" if row.id % 4 else "no",
            "position": 1,
        },
    }
    metric_schema = {
        "type": "object",
        "properties": {
            "metricId": {"type": "integer"},
            "metricName": {"type": "string"},
            "value": {"type": "string"},
            "position": {"type": "integer"},
        },
    }
    schema = {
        "$schema": "http://json-schema.org/draft-04/schema#",
        "type": "object",
        "properties": {name: metric_schema for name in metrics},
    }
    return {
        "profileId": profile_id,
        "profileName": profile_name,
        "transcription": "\n".join(timed),
        "operatorTag": "Operator",
        "analyticsJson": msgspec.json.encode(metrics).decode(),
        "analyticsSchema": msgspec.json.encode(schema).decode(),
        "languageData": {
            "operatorLanguage": "english",
            "clientLanguage": "english",
            "transcriptionLanguageCode": "en",
            "analyticsLanguageCode": "en",
            "translatedLangCode": None,
            "translatedLangName": None,
        },
        "plainTranscription": "\n".join(f"{who}: {text}" for who, text in replicas),
    }


async def create_analytics(request: Request) -> Response:
    """Answers the bare analytics object once the call has been processed."""
    sandbox = sandbox_of(request)
    params = await parameters(request)
    call_id = int_param(params, "callId")
    # callId is the history record's `id` (the one webhooks carry), not its `dbid`.
    row = sandbox.endpoints.history.find(call_id) if call_id is not None else None
    if row is None or call_id is None:
        raise SandboxError("Call does not exist")
    profile_id = int_param(params, "profileId")
    profiles = sandbox.project.voice_analytics_profiles
    if profile_id is None or profile_id not in profiles:
        raise SandboxError("Profile does not exist")
    if row.state != "ANSWER":  # only answered calls have separate records
        raise SandboxError("Analytics is not available for this call")
    desk = sandbox.endpoints.analytics
    if not sandbox.project.voice_analytics_available:
        raise SandboxError("Voice analytics is not available")
    if not sandbox.project.balance_ok:
        raise SandboxError("Insufficient funds")
    if call_id in desk.in_progress:
        raise SandboxError("Voice analytics is already in progress")
    if len(desk.in_progress) >= MAX_ANALYTICS_IN_PROCESSING:
        raise SandboxError("Only 50 concurrent requests are allowed")
    desk.in_progress.add(call_id)
    try:
        await anyio.sleep(sandbox.config.analytics_delay)
    finally:
        desk.in_progress.discard(call_id)
    return bare(_analytics(row, profile_id, profiles[profile_id]))
