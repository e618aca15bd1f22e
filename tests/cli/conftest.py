"""The `unitalk` command against the sandbox: a runner that checks every invocation.

Each command runs in-process through Typer's `CliRunner`, pointed at the session's sandbox
by UNITALK_API_KEY / UNITALK_BASE_URL exactly as a user would, and every invocation is
checked for the two promises that hold for all of them: no traceback, and the API key
never printed.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from typer.testing import CliRunner

from unitalk_async import UnitalkClient
from unitalk_async.cli import app
from unitalk_async.models.autodial import AutodialTask
from unitalk_async.models.enums import AutodialerMode, ClientCalledMode, CrmMode


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


@dataclass
class Cli:
    sandbox: Any
    env: dict[str, str]

    def __call__(self, *args: str, env: dict[str, str] | None = None) -> Outcome:
        result = CliRunner().invoke(app, list(args), env={**self.env, **(env or {})})
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        outcome = Outcome(result.exit_code, result.stdout, result.stderr)
        everything = outcome.stdout + outcome.stderr
        assert "Traceback" not in everything
        for name in ("UNITALK_API_KEY",):
            key = (env or {}).get(name)
            if key:
                assert key not in everything, "an API key was printed"
        assert self.sandbox.api_key not in everything, "the API key was printed"
        return outcome

    def client(self) -> UnitalkClient:
        client: UnitalkClient = self.sandbox.client()
        return client

    def create_autodialer(self, numbers: int = 0, calls: int = 0) -> int:
        """A new autodialer with `numbers` numbers, `calls` of them dialled."""

        async def create() -> int:
            async with self.client() as client:
                created = await client.autodial.add(
                    AutodialTask(
                        name="CLI test",
                        autodialer_mode=AutodialerMode.FIXED,
                        start_date=date(2026, 1, 1),
                        end_date=date(2030, 12, 31),
                        time_from=["00:00"] * 7,
                        time_to=["23:59"] * 7,
                        crm_mode=CrmMode.DONT_SEND,
                        client_called_mode=ClientCalledMode.NEVER,
                        thread_count=1,
                        scenario_id=70,  # the sandbox project's "Main with IVR"
                        numbers=[str(380_500_000_000 + i) for i in range(numbers)] or None,
                    )
                )
                return created.id

        autodialer_id = asyncio.run(create())
        if calls:
            self.sandbox.sandbox.simulate_calls(autodialer_id, calls)
        return autodialer_id


@pytest.fixture
def cli(unitalk_sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> Cli:
    monkeypatch.delenv("UNITALK_REDIS_URL", raising=False)
    env = {
        "UNITALK_API_KEY": unitalk_sandbox.api_key,
        "UNITALK_BASE_URL": unitalk_sandbox.base_url,
        "COLUMNS": "200",  # tables on one line each, whatever the terminal
    }
    return Cli(unitalk_sandbox, env)
