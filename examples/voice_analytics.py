"""Voice analytics of a call: run a profile on it, wait for the result, read the metrics.

    UNITALK_API_KEY=... python examples/voice_analytics.py CALL_ID PROFILE_ID
    python examples/voice_analytics.py        # a local sandbox: its newest answered call

/calls/analytics/create answers only once the call has been processed, which can take
minutes. The client sends it on its own "analytics" lane: a long read timeout (15 minutes
by default; `analytics_timeout=` changes it) and at most 5 at a time, so other requests
of the same client are never stuck behind it. It costs money, so it is never resent after
a failure that may have reached the service (`OutcomeUnknownError` says so instead).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
from collections.abc import AsyncIterator
from datetime import datetime, timedelta

from unitalk_async import UnitalkClient

ANALYTICS_TIMEOUT = 20 * 60.0  # seconds to wait for the processing


@contextlib.asynccontextmanager
async def connect() -> AsyncIterator[UnitalkClient]:
    """The real API when UNITALK_API_KEY is set, else a fresh local sandbox."""
    if os.environ.get("UNITALK_API_KEY"):
        async with UnitalkClient(analytics_timeout=ANALYTICS_TIMEOUT) as client:
            yield client
        return
    from unitalk_async.sandbox import serve_sandbox

    async with (
        serve_sandbox() as server,
        UnitalkClient(
            server.api_key, base_url=server.base_url, analytics_timeout=ANALYTICS_TIMEOUT
        ) as client,
    ):
        yield client


async def pick_call_and_profile(client: UnitalkClient) -> tuple[int, int]:
    """The newest answered call of the last week, and the project's first profile."""
    now = datetime.now().replace(microsecond=0)
    async for call in client.history.iter(now - timedelta(days=7), now):
        if call.state == "ANSWER":
            break
    else:
        raise SystemExit("no answered call in the last week")
    profiles = await client.dictionary("VOICE_ANALYTICS_PROFILE")
    return call.id, int(next(iter(profiles)))


async def main(call_id: int | None, profile_id: int | None) -> None:
    async with connect() as client:
        if call_id is None or profile_id is None:
            call_id, profile_id = await pick_call_and_profile(client)
        print(f"analysing call {call_id} with profile {profile_id}...", flush=True)
        result = await client.calls.analytics(call_id, profile_id)
        print(f"profile: {result.profile_name}")
        language = result.language_data
        if language:
            print(
                f"languages: operator {language.operator_language}, "
                f"client {language.client_language}"
            )
        for key, metric in sorted(result.analytics().items(), key=lambda kv: kv[1].position or 0):
            print(f"  {metric.metric_name or key}: {metric.value}")
        transcription = result.plain_transcription or result.transcription or ""
        print(f"transcription ({len(transcription)} characters): {transcription[:120]}...")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("call_id", type=int, nargs="?", help="the call's id (history `id`)")
    parser.add_argument("profile_id", type=int, nargs="?", help="the analytics profile")
    args = parser.parse_args()
    asyncio.run(main(args.call_id, args.profile_id))
