"""`unitalk autodial list|show|pause|unpause|cancel|calls` and `unitalk history export`."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from tests.cli.conftest import Cli


def test_list_and_show_print_tables_or_json(cli: Cli) -> None:
    autodialer_id = cli.create_autodialer(numbers=50, calls=10)
    listed = cli("autodial", "list", "--json").json()
    assert [(a["id"], a["name"]) for a in listed] == [(autodialer_id, "CLI test")]

    table = cli("autodial", "list")
    assert table.code == 0
    assert str(autodialer_id) in table.stdout and "CLI test" in table.stdout

    shown = cli("--json", "autodial", "show", str(autodialer_id)).json()
    assert shown["id"] == autodialer_id
    assert shown["statistics"]["totalCount"] == 50

    people = cli("autodial", "show", str(autodialer_id))
    assert "calls made" in people.stdout and "50" in people.stdout

    missing = cli("autodial", "show", "424242")
    assert missing.code == 1
    assert missing.stderr.strip() == (
        "error: showing autodialer 424242 failed: no autodialer 424242 "
        "(see `unitalk autodial list`)"
    )


def test_pause_unpause_and_cancel_change_the_status(cli: Cli) -> None:
    autodialer_id = cli.create_autodialer(numbers=10)

    def status() -> str:
        [summary] = cli("autodial", "list", "--json").json()
        return str(summary["status"])

    assert cli("autodial", "pause", str(autodialer_id), "--json").json() == {
        "id": autodialer_id,
        "action": "PAUSE",
        "status": "Success",
    }
    assert status() == "PAUSED"
    resumed = cli("autodial", "unpause", str(autodialer_id))
    assert resumed.stdout.strip() == f"Autodialer {autodialer_id} resumed."
    assert status() != "PAUSED"
    assert cli("autodial", "cancel", str(autodialer_id)).code == 0
    assert status() == "CANCELED"

    again = cli("autodial", "pause", str(autodialer_id))  # the service refuses
    assert again.code == 1
    assert again.stderr.startswith(f"error: pausing autodialer {autodialer_id} failed: ")
    assert again.stderr.count("\n") == 1


def test_calls_exports_every_call_once_by_suffix_or_format(cli: Cli, tmp_path: Path) -> None:
    autodialer_id = cli.create_autodialer(numbers=1500, calls=1200)
    target = tmp_path / "calls.csv"
    result = cli("autodial", "calls", str(autodialer_id), "-o", str(target))
    assert result.code == 0, result.stderr
    with target.open(newline="") as file:
        rows = list(csv.DictReader(file))
    ids = [int(row["id"]) for row in rows]
    assert len(ids) == 1200 == len(set(ids))  # two pages of 1,000, nothing twice
    assert ids == sorted(ids, reverse=True)

    forced = tmp_path / "calls.csv.txt"
    result = cli(
        "--json", "autodial", "calls", str(autodialer_id), "-o", str(forced), "-f", "jsonl"
    )
    assert result.json() == {"written": 1200, "file": str(forced), "format": "jsonl"}
    assert json.loads(forced.read_text().splitlines()[0])["id"] == ids[0]
    assert not list(tmp_path.glob(".*.partial"))

    nowhere = tmp_path / "missing-dir" / "calls.csv"
    failed = cli("autodial", "calls", str(autodialer_id), "-o", str(nowhere))
    assert failed.code == 1
    assert failed.stderr == (
        f"error: exporting the calls of autodialer {autodialer_id} failed: cannot use "
        f"{nowhere}: No such file or directory (check the path)\n"
    )


def test_history_export_writes_the_period(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "history.jsonl"
    result = cli(
        "history", "export", "--from", "2000-01-01", "--to", "2099-12-31", "-o", str(target)
    )
    assert result.code == 0, result.stderr
    records = [json.loads(line) for line in target.read_text().splitlines()]
    history_size = cli.sandbox.sandbox.config.history_size
    assert len(records) == history_size == len({r["id"] for r in records})

    bad = cli("history", "export", "--from", "yesterday", "--to", "2099-12-31")
    assert bad.code == 2
    assert "--from: expected 'yyyy-MM-dd[ HH:mm:ss]'" in bad.stderr
