"""A client whose HTTP transport records every request and answers a bare success, and a
valid autodialer task: for tests about what is refused before anything is sent."""

from __future__ import annotations

from typing import Any

import httpx

from unitalk_async import Limits, RetryPolicy, UnitalkClient

#: The fields of a valid FIXED-mode AUTODIAL task, as a caller would type them.
TASK: dict[str, Any] = {
    "name": "Windows",
    "autodialer_mode": "FIXED",
    "start_date": "2026-12-01",
    "end_date": "2026-12-31",
    "time_from": ["09:00"] * 7,
    "time_to": ["19:00"] * 7,
    "crm_mode": "DONT_SEND",
    "client_called_mode": "NEVER",
    "thread_count": 2,
}


def recording_client(sent: list[httpx.Request]) -> UnitalkClient:
    """A client that appends each request reaching its HTTP transport to `sent`."""

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"status": "Success", "data": None})

    return UnitalkClient(
        "k3y-0f-the-pr0ject",
        base_url="https://api.example.test/api",
        limits=Limits.disabled(),
        retry=RetryPolicy.none(),
        http_transport=httpx.MockTransport(answer),
    )
