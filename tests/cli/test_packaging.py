"""What a CLI and a package are expected to have, and what only-the-core installs print:
one line naming the extra, not a traceback. Also the 29-February end dates."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from datetime import date, datetime
from pathlib import Path

import pytest

from tests.cli._process import clean_env, unitalk
from unitalk_async.demo import demo_task
from unitalk_async.sandbox import Sandbox, SandboxConfig
from unitalk_async.sandbox.sample import add_sample_autodialer, one_year_after, sample_task

ROOT = Path(__file__).parents[2]
LEAP_DAY = date(2028, 2, 29)


def shadow(tmp_path: Path, module: str) -> dict[str, str]:
    """An environment in which `import module` fails as if it were not installed."""
    package = tmp_path / module
    package.mkdir()
    (package / "__init__.py").write_text(
        f'raise ImportError("No module named {module!r}", name={module!r})\n'
    )
    return clean_env(PYTHONPATH=str(tmp_path))


def test_the_script_without_the_cli_extra_prints_one_line(tmp_path: Path) -> None:
    result = unitalk("autodial", "list", env=shadow(tmp_path, "typer"))
    assert result.code == 1
    assert result.stderr == (
        "error: the unitalk command needs the [cli] extra (typer is not installed): "
        "pip install 'unitalk-async[cli]'\n"
    )


def test_redis_governor_without_the_extra_names_it(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", "from unitalk_async.governor import RedisGovernor"],
        env=shadow(tmp_path, "redis"),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last == (
        "ImportError: RedisGovernor needs the [redis] extra (redis-py is not installed): "
        "pip install 'unitalk-async[redis]'"
    )
    assert "During handling of the above exception" not in done.stderr  # one exception


@pytest.mark.parametrize("today", [LEAP_DAY, date(2027, 12, 31), date(2026, 3, 1)])
def test_end_dates_a_year_on_exist_every_day_including_29_february(today: date) -> None:
    assert (one_year_after(today) - today).days == 365
    assert sample_task(today)["endDate"] == one_year_after(today).isoformat()
    assert demo_task(today, 70).end_date == one_year_after(today)


def test_the_sample_autodialer_is_made_on_29_february(monkeypatch: pytest.MonkeyPatch) -> None:
    sandbox = Sandbox(SandboxConfig())
    monkeypatch.setattr(sandbox, "now", lambda: datetime(2028, 2, 29, 12, 0))
    autodialer_id = add_sample_autodialer(sandbox, numbers=5, calls=2)
    view = sandbox.autodial.get(autodialer_id).view()
    assert (view["startDate"], view["endDate"]) == ("2028-02-29", "2029-02-28")


def test_no_end_date_is_made_with_replace_year() -> None:
    sources = [
        *ROOT.joinpath("unitalk_async").rglob("*.py"),
        *ROOT.joinpath("examples").glob("*.py"),
    ]
    offenders = [str(p) for p in sources if re.search(r"\.replace\(year=", p.read_text())]
    assert offenders == []


def test_help_has_examples_and_completion_completes(tmp_path: Path) -> None:
    env = clean_env()
    top = unitalk("--help", env=env).stdout
    assert "Examples:" in top and "--install-completion" in top
    assert "Examples:" in unitalk("numbers", "upload", "--help", env=env).stdout
    completing = clean_env(
        _UNITALK_COMPLETE="complete_bash",
        COMP_WORDS="unitalk numbers export 1 --state ANSW_",
        COMP_CWORD="5",
    )
    assert unitalk(env=completing).stdout.split() == ["ANSW_RJCT", "ANSW_NF_OP", "ANSW_OP_NA"]


def test_license_matches_the_metadata_and_a_changelog_exists() -> None:
    metadata = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert metadata["license"] == "MIT"
    license_text = (ROOT / "LICENSE").read_text()
    assert license_text.startswith("MIT License\n")
    assert "Permission is hereby granted, free of charge" in license_text
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert "## [Unreleased]" in changelog and f"## [{metadata['version']}]" in changelog
