"""`unitalk sms`, `unitalk lines`, `unitalk dictionary`, `unitalk sandbox`, `--sandbox`,
and how failures look."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import httpx

from tests.cli.conftest import Cli


def test_sms_send_prints_the_message_id(cli: Cli) -> None:
    sent = cli("sms", "send", "+380 50 111 22 33", "Hello", "--json").json()
    assert isinstance(sent["id"], int) and sent["to"] == "+380 50 111 22 33"
    people = cli("sms", "send", "380501112233", "Hello")
    assert people.stdout.startswith("Message ") and people.stdout.strip().endswith(
        "sent to 380501112233."
    )


def test_sms_send_bulk_sends_and_writes_rejects(cli: Cli, tmp_path: Path) -> None:
    source = tmp_path / "sms.csv"
    source.write_text("phone,text\n380501112233,Hi Ann\n380501112244,Hi Bob\n12,Hi nobody\n")
    result = cli("--json", "sms", "send-bulk", str(source))
    assert result.code == 3
    summary = result.json()
    assert (summary["sent"], summary["rejected"], summary["requests"]) == (2, 1, 1)
    assert set(summary["messages"]) == {"380501112233", "380501112244"}
    with (tmp_path / "sms.rejects.csv").open(newline="") as file:
        [reject] = list(csv.DictReader(file))
    assert (reject["phone"], reject["text"], reject["rejected_by"]) == ("12", "Hi nobody", "client")

    one_text = tmp_path / "to.csv"
    one_text.write_text("phone\n380501112233\n380501112255\n")
    result = cli("sms", "send-bulk", str(one_text), "--text", "Same for all")
    assert result.code == 0 and "sent" in result.stdout


def test_lines_and_dictionary(cli: Cli) -> None:
    lines = cli("lines", "--json").json()
    assert lines and set(lines.values()) <= {"online", "busy", "offline"}
    table = cli("lines")
    first = sorted(lines)[0]
    assert first in table.stdout and lines[first] in table.stdout

    users = cli("--json", "dictionary", "user").json()
    assert users and all(isinstance(name, str) for name in users.values())
    assert next(iter(users.values())) in cli("dictionary", "USER").stdout


def test_failures_are_one_clear_line_without_the_key(cli: Cli) -> None:
    secret = "k-not-the-right-key-0123456789"
    wrong = cli("autodial", "list", env={"UNITALK_API_KEY": secret})
    assert wrong.code == 1
    assert wrong.stderr.startswith("error: listing autodialers failed: ")
    assert "UNITALK_API_KEY" in wrong.stderr and wrong.stderr.count("\n") == 1
    assert wrong.stdout == ""

    no_key = cli("lines", env={"UNITALK_API_KEY": ""})
    assert no_key.code == 1 and "set UNITALK_API_KEY" in no_key.stderr

    unreachable = cli(
        "--max-retries", "0", "lines", env={"UNITALK_BASE_URL": "http://127.0.0.1:9/api"}
    )
    assert unreachable.code == 1
    assert "check your network and UNITALK_BASE_URL" in unreachable.stderr


def test_sandbox_option_runs_a_fresh_sandbox_with_a_sample_autodialer(cli: Cli) -> None:
    result = cli("--sandbox", "--json", "autodial", "list", env={"UNITALK_API_KEY": ""})
    assert result.code == 0, result.stderr
    [sample] = result.json()
    assert sample["name"] == "Sandbox autodialer"
    assert f"autodialer {sample['id']} has" in result.stderr


def test_sandbox_command_serves_until_stopped(tmp_path: Path) -> None:
    unitalk = Path(sys.executable).with_name("unitalk")
    process = subprocess.Popen(
        [str(unitalk), "sandbox", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        base_url = process.stdout.readline().removeprefix("Unitalk sandbox at ").strip()
        api_key = process.stdout.readline().removeprefix("API key: ").strip()
        answer = httpx.post(
            f"{base_url}/users/list", headers={"Authorization": api_key}, timeout=10
        )
        assert answer.status_code == 200 and isinstance(answer.json(), list)
    finally:
        process.terminate()
        process.wait(timeout=10)
