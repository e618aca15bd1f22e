"""The sample autodialer a sandbox started for people gets (`unitalk sandbox`, `unitalk
--sandbox`), so every command has something to work on from the first minute.

It is made through the sandbox's own validation, not through the client: the sandbox
stays a judge independent of the code it tests.
"""

from __future__ import annotations

import shlex
from datetime import date, timedelta
from typing import Any

from unitalk_async.sandbox.autodial_settings import validate_task
from unitalk_async.sandbox.state import Sandbox

SAMPLE_NAME = "Sandbox autodialer"
SAMPLE_NUMBERS = 200
SAMPLE_CALLS = 120
SAMPLE_FIRST_PHONE = 380_500_000_000


def one_year_after(day: date) -> date:
    """`day` plus 365 days: an end date that exists whatever `day` is (the same date a
    year later does not exist for 29 February)."""
    return day + timedelta(days=365)


def sample_task(today: date) -> dict[str, Any]:
    """The sample autodialer's ADD task, as on the wire: dials around the clock for a year."""
    return {
        "name": SAMPLE_NAME,
        "autodialerType": "AUTODIAL",
        "autodialerMode": "FIXED",
        "startDate": today.isoformat(),
        "endDate": one_year_after(today).isoformat(),
        "timeFrom": ["00:00"] * 7,
        "timeTo": ["23:59"] * 7,
        "crmMode": "DONT_SEND",
        "clientCalledMode": "NEVER",
        "threadCount": 1,
        "scenarioId": 70,  # the generated project's "Main with IVR"
    }


def add_sample_autodialer(
    sandbox: Sandbox, *, numbers: int = SAMPLE_NUMBERS, calls: int = SAMPLE_CALLS
) -> int:
    """Create the sample autodialer with `numbers` numbers, `calls` of them dialled; its id."""
    task = sample_task(sandbox.now().date())
    settings = validate_task(
        task,
        sandbox.project,
        autodialer_type=task["autodialerType"],
        name_taken=sandbox.autodial.name_taken(SAMPLE_NAME),
    )
    autodialer = sandbox.autodial.create(
        settings.name, settings.autodialer_type, settings.autodialer_mode, settings.settings
    )
    phones = [str(SAMPLE_FIRST_PHONE + i) for i in range(numbers)]
    if phones:
        autodialer.numbers.add_many(phones, high_priority=False, refresh_duplicates=False)
        autodialer.numbers_added(sandbox.now())
    if calls:
        sandbox.simulate_calls(autodialer.id, calls)
    return autodialer.id


def welcome(
    base_url: str, api_key: str, sample_id: int | None, certificate: str | None = None
) -> str:
    """What `python -m unitalk_async.sandbox` prints after its URL and key: the sample
    autodialer and the line to paste into a shell, so the CLI and the client find it
    (with the self-signed `certificate` of an emulated WAN trusted through SSL_CERT_FILE)."""
    sample = (
        f"Sample autodialer {sample_id}: {SAMPLE_NUMBERS} numbers, {SAMPLE_CALLS} of them "
        "called (--empty starts without it)"
        if sample_id is not None
        else "No autodialers (started with --empty)"
    )
    # Shell-quoted: a key given with --api-key, or a path, may hold any character.
    variables = {"UNITALK_BASE_URL": base_url, "UNITALK_API_KEY": api_key}
    if certificate is not None:
        variables["SSL_CERT_FILE"] = certificate
    assignments = " ".join(f"{name}={shlex.quote(value)}" for name, value in variables.items())
    return (
        f"{sample}\n"
        "Point the unitalk command or UnitalkClient() at this sandbox; paste into your shell:\n"
        f"export {assignments}\n"
        "then try: unitalk autodial list"
    )
