"""The real `unitalk` console script in a subprocess, pointed at a sandbox started as a
separate process: what a user does in two terminals."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx

from unitalk_async import Limits, UnitalkClient
from unitalk_async.models.autodial import AutodialTask
from unitalk_async.sandbox import SandboxProcess, run_sandbox_process

UNITALK = Path(sys.executable).with_name("unitalk")


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


def clean_env(**changes: str) -> dict[str, str]:
    """The environment without anything UNITALK_* of the developer's, plus `changes`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("UNITALK_")}
    env["COLUMNS"] = "200"  # tables on one line each, whatever the terminal
    return {**env, **changes}


def unitalk(
    *args: str,
    env: Mapping[str, str],
    stdin: str | bytes | None = None,
    cwd: Path | None = None,
    timeout: float = 60,
) -> Run:
    """Run `unitalk ARGS`; every run is checked for no traceback and no key printed."""
    done = subprocess.run(
        [str(UNITALK), *args],
        input=stdin.encode() if isinstance(stdin, str) else stdin,
        capture_output=True,
        env=dict(env),
        cwd=cwd,
        timeout=timeout,
    )
    run = Run(done.returncode, done.stdout.decode(), done.stderr.decode())
    assert "Traceback" not in run.stderr, run.stderr
    key = env.get("UNITALK_API_KEY")
    if key:
        assert key not in run.stdout + run.stderr, "the API key was printed"
    return run


@dataclass
class Sandbox:
    """A sandbox process and the environment that points `unitalk` at it."""

    process: SandboxProcess

    @property
    def env(self) -> dict[str, str]:
        return clean_env(
            UNITALK_BASE_URL=self.process.base_url, UNITALK_API_KEY=self.process.api_key
        )

    def __call__(self, *args: str, **kwargs: Any) -> Run:
        return unitalk(*args, env=self.env, **kwargs)

    def admin(self, path: str, body: Any = None) -> Any:
        url = f"{self.process.admin_url}/{path}"
        answer = httpx.post(url, json=body) if body is not None else httpx.get(url)
        answer.raise_for_status()
        return answer.json()

    def simulate_calls(self, autodialer_id: int, count: int) -> int:
        made: int = self.admin("simulate-calls", {"autodialerId": autodialer_id, "count": count})[
            "data"
        ]
        return made

    def add_autodialer(self, name: str, numbers: int = 0, first: int = 380_509_000_000) -> int:
        """Set-up without the CLI (fast): an autodialer with `numbers` numbers; its id."""

        async def add() -> int:
            async with UnitalkClient(
                self.process.api_key, base_url=self.process.base_url, limits=Limits.disabled()
            ) as client:
                task = AutodialTask(
                    name=name,
                    autodialer_mode="FIXED",
                    thread_count=1,
                    start_date=date.today(),
                    end_date=date.today() + timedelta(days=30),
                    time_from=["00:00"] * 7,
                    time_to=["23:59"] * 7,
                    crm_mode="DONT_SEND",
                    client_called_mode="NEVER",
                    scenario_id=70,
                    numbers=[str(first + i) for i in range(min(numbers, 100_000))] or None,
                )
                autodialer_id = (await client.autodial.add(task)).id
                more = (str(first + i) for i in range(100_000, numbers))
                await client.autodial.add_numbers(autodialer_id, more)
                return autodialer_id

        return asyncio.run(add())

    def create(self, name: str, *extra: str) -> int:
        """A new autodialer, made with `unitalk autodial create`; its id."""
        made = self("--json", "autodial", "create", "--name", name, "--scenario-id", "70", *extra)
        assert made.code == 0, made.stderr
        autodialer_id: int = made.json()["id"]
        return autodialer_id


def sandbox_process(**options: Any) -> Iterator[Sandbox]:
    with run_sandbox_process(**options) as process:
        yield Sandbox(process)
