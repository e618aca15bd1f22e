"""The `unitalk` script as a user runs it, in a subprocess against a separately started
sandbox: creating and changing autodialers, options in either place, option values
checked, one meaning of --to, --fields, CSV dialects, and failures said in CLI words."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.cli._process import Sandbox, clean_env, sandbox_process, unitalk
from unitalk_async.cli._app import hoist_global_options


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    yield from sandbox_process(enforce_limits=False)


def shown(sandbox: Sandbox, autodialer_id: int) -> dict[str, object]:
    result = sandbox("--json", "autodial", "show", str(autodialer_id))
    assert result.code == 0, result.stderr
    task: dict[str, object] = result.json()
    return task


def listed(sandbox: Sandbox) -> dict[int, str]:
    return {a["id"]: a["status"] for a in sandbox("--json", "autodial", "list").json()}


def test_create_from_flags_json_and_toml_then_update(sandbox: Sandbox, tmp_path: Path) -> None:
    first = sandbox.create("Spring", "--hours", "9:30-18:00", "--threads", "2")
    task = shown(sandbox, first)
    assert (task["name"], task["threadCount"], task["autodialerType"]) == ("Spring", 2, "AUTODIAL")
    assert task["timeFrom"] == ["09:30"] * 7 and task["timeTo"] == ["18:00"] * 7

    # What `show --json` prints is what `create --from-file` takes (flags win).
    saved = tmp_path / "spring.json"
    saved.write_text(json.dumps(task))
    copy = sandbox("--json", "autodial", "create", "--from-file", str(saved), "--name", "Copy")
    assert copy.code == 0, copy.stderr
    assert "left out" in copy.stderr and "statistics" in copy.stderr  # said, not dropped silently
    copied = shown(sandbox, copy.json()["id"])
    assert (copied["name"], copied["timeFrom"], copied["threadCount"]) == ("Copy", ["09:30"] * 7, 2)

    updated = sandbox("autodial", "update", str(first), "--threads", "3", "--hours", "10:00-17:00")
    assert updated.stdout.strip() == f"Autodialer {first} updated.", updated.stderr
    task = shown(sandbox, first)
    assert (task["threadCount"], task["timeFrom"], task["name"]) == (3, ["10:00"] * 7, "Spring")

    toml = tmp_path / "autumn.toml"  # TOML may spell the wire's keys snake_case
    toml.write_text('name = "Autumn"\nstart_date = "2026-09-01"\n')
    assert sandbox("autodial", "update", str(first), "--from-file", str(toml)).code == 0
    task = shown(sandbox, first)
    assert (task["name"], task["startDate"], task["threadCount"]) == ("Autumn", "2026-09-01", 3)


def test_create_refuses_bad_input_before_any_request(sandbox: Sandbox, tmp_path: Path) -> None:
    unknown = tmp_path / "typo.json"
    unknown.write_text('{"name": "Typo", "scenarioId": 70, "treadCount": 2}')
    result = sandbox("autodial", "create", "--from-file", str(unknown))
    assert result.code == 2
    assert "unknown fields treadCount" in result.stderr
    nameless = sandbox("autodial", "create", "--scenario-id", "70")
    assert nameless.code == 2 and "--name" in nameless.stderr
    bad_mode = sandbox("autodial", "create", "--name", "X", "--mode", "FAST")
    assert bad_mode.code == 2 and "FIXED, FREE, SMART" in bad_mode.stderr
    bad_hours = sandbox("autodial", "create", "--name", "X", "--hours", "9-18")
    assert bad_hours.code == 2 and "'HH:mm-HH:mm'" in bad_hours.stderr


def test_pause_and_remove(sandbox: Sandbox) -> None:
    autodialer_id = sandbox.add_autodialer("Lifecycle", numbers=3)
    assert sandbox("autodial", "pause", str(autodialer_id)).code == 0
    assert listed(sandbox)[autodialer_id] == "PAUSED"
    removed = sandbox("autodial", "remove", str(autodialer_id))
    assert removed.stdout.strip() == f"Autodialer {autodialer_id} removed."
    assert autodialer_id not in listed(sandbox)


def test_global_options_work_before_or_after_the_command(sandbox: Sandbox) -> None:
    before = sandbox("--json", "--fields", "id", "autodial", "list")
    after = sandbox("autodial", "list", "--json", "--fields", "id")
    assert before.code == after.code == 0
    assert before.json() == after.json() and all(set(a) == {"id"} for a in after.json())

    unreachable = "http://127.0.0.1:9/api"
    late = sandbox("lines", "--max-retries", "0", "--base-url", unreachable)
    assert late.code == 1 and "ConnectError" in late.stderr  # the late --base-url was used

    no_key = clean_env()
    embedded = unitalk("autodial", "list", "--sandbox", "--json", env=no_key)
    assert embedded.code == 0, embedded.stderr
    assert [a["name"] for a in embedded.json()] == ["Sandbox autodialer"]


def test_global_options_are_moved_before_the_command_with_their_values() -> None:
    args = ["autodial", "list", "--base-url=http://x/api", "--timeout", "5", "--sandbox"]
    assert hoist_global_options([*args, "--", "--sandbox"]) == [
        "--base-url=http://x/api",
        "--timeout",
        "5",
        "--sandbox",
        "autodial",
        "list",
        "--",
        "--sandbox",
    ]


def test_state_refuses_unknown_values_and_lists_the_valid_ones(sandbox: Sandbox) -> None:
    autodialer_id = sandbox.add_autodialer("States", numbers=1)
    refused = sandbox("numbers", "export", str(autodialer_id), "--state", "NEW", "--state", "BOGUS")
    assert refused.code == 2
    assert "'BOGUS' is not a call state" in refused.stderr
    assert "NEW, DIALING, ANSWER" in refused.stderr and refused.stdout == ""
    lower = sandbox("numbers", "export", str(autodialer_id), "--state", "new")
    assert lower.code == 0 and json.loads(lower.stdout)["state"] == "NEW"
    helped = sandbox("numbers", "export", "--help")
    assert "NOANSWER" in helped.stdout  # the valid values are in the option's help


def test_to_includes_the_day_given_in_every_command(sandbox: Sandbox) -> None:
    autodialer_id = sandbox.add_autodialer("Dates", numbers=30)
    made = sandbox.simulate_calls(autodialer_id, 30)
    today = date.today()

    def calls(to: str) -> int:
        result = sandbox("autodial", "calls", str(autodialer_id), "--to", to)
        assert result.code == 0, result.stderr
        return len(result.stdout.splitlines())

    assert made == 30
    assert calls(today.isoformat()) == 30  # the day given is included...
    assert calls((today - timedelta(days=1)).isoformat()) == 0  # ...the day before holds none

    everything = sandbox("history", "export", "--from", "2000-01-01", "--to", "2100-01-01")
    days = [json.loads(line)["date"][:10] for line in everything.stdout.splitlines()]
    day = days[len(days) // 2]
    one_day = sandbox("history", "export", "--from", day, "--to", day)
    assert len(one_day.stdout.splitlines()) == days.count(day) > 0
    assert (
        "inclusive: a bare date includes that day" in sandbox("autodial", "calls", "--help").stdout
    )


def test_fields_selects_json_fields_and_refuses_unknown_ones(sandbox: Sandbox) -> None:
    autodialer_id = sandbox.add_autodialer("Fields")
    picked = sandbox("--json", "--fields", "id,name", "autodial", "show", str(autodialer_id))
    assert picked.json() == {"id": autodialer_id, "name": "Fields"}
    implied = sandbox("autodial", "list", "--fields", "name")  # --fields alone means JSON
    assert {"name": "Fields"} in implied.json()
    unknown = sandbox("--json", "--fields", "id,nme", "autodial", "list")
    assert unknown.code == 2
    assert "no field nme" in unknown.stderr and "name" in unknown.stderr


def test_tables_use_thousands_separators_but_not_in_ids(sandbox: Sandbox) -> None:
    autodialer_id = sandbox.add_autodialer("Thousands")
    numbers = "phone\n" + "".join(f"38050333{i:04d}\n" for i in range(1500))
    upload = sandbox("numbers", "upload", str(autodialer_id), "-", stdin=numbers)
    assert re.search(r"numbers accepted\s+│\s+1,500", upload.stdout), upload.stdout
    table = sandbox("autodial", "show", str(autodialer_id)).stdout
    assert re.search(r"│ numbers\s+│ 1,500", table) and f"│ {autodialer_id} " in table


def test_csv_delimiter_encoding_and_stdin_are_sniffed(sandbox: Sandbox, tmp_path: Path) -> None:
    autodialer_id = sandbox.add_autodialer("Dialects")
    excel = tmp_path / "excel.csv"  # Excel in a uk/ru locale: ';' and cp1251
    excel.write_bytes("phone;name\r\n380504440001;Олена\r\n380504440002;Іван\r\n".encode("cp1251"))
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + "phone\tname\n380504440003\tАня\n".encode())
    for source in (excel, bom):
        result = sandbox("--json", "numbers", "upload", str(autodialer_id), str(source))
        assert result.code == 0, result.stderr
    piped = sandbox(
        "--json", "numbers", "upload", str(autodialer_id), "-", stdin="phone\n380504440004\n"
    )
    assert piped.json()["accepted"] == 1
    sms = tmp_path / "sms.csv"
    sms.write_bytes("phone;text\r\n380504440001;Привіт\r\n".encode("cp1251"))
    sent = sandbox("--json", "sms", "send-bulk", str(sms))
    assert (sent.code, sent.json()["sent"]) == (0, 1), sent.stderr
    exported = sandbox("numbers", "export", str(autodialer_id))
    names = {
        json.loads(line)["phone"]: json.loads(line)["name"] for line in exported.stdout.splitlines()
    }
    assert names == {
        "380504440001": "Олена",
        "380504440002": "Іван",
        "380504440003": "Аня",
        "380504440004": None,
    }


def test_url_and_key_problems_are_said_in_the_cli_s_words(sandbox: Sandbox) -> None:
    not_a_url = sandbox("lines", "--base-url", "not-a-url")
    assert not_a_url.code == 1
    assert "got 'not-a-url'" in not_a_url.stderr and "://..." not in not_a_url.stderr

    by_name = sandbox.process.base_url.replace("127.0.0.1", "127.1")  # not a loopback literal
    refused = sandbox("lines", "--base-url", by_name)
    assert refused.code == 1
    assert "--allow-insecure-http" in refused.stderr
    assert "allow_insecure_http=True" not in refused.stderr
    allowed = sandbox("lines", "--json", "--base-url", by_name, "--allow-insecure-http")
    assert allowed.code == 0 and allowed.json()

    no_key = unitalk("lines", env=clean_env())
    assert no_key.code == 1
    assert "set UNITALK_API_KEY" in no_key.stderr and "--sandbox" in no_key.stderr
    assert "UnitalkClient(" not in no_key.stderr


def test_refused_connections_are_shown_and_given_up_after_three(tmp_path: Path) -> None:
    env = clean_env(UNITALK_API_KEY="k-test-key-000000", UNITALK_BASE_URL="http://127.0.0.1:9/api")
    source = tmp_path / "n.csv"
    source.write_text("phone\n380501112233\n")
    result = unitalk("numbers", "upload", "1", str(source), env=env)
    assert result.code == 1
    retries = [line for line in result.stderr.splitlines() if "retrying" in line]
    assert retries == [
        line for line in retries if line.startswith("connection refused, retrying (")
    ]
    assert [line.split("(")[1].split(")")[0] for line in retries] == ["1/8", "2/8"]
    assert "3 connections to http://127.0.0.1:9/api failed in a row" in result.stderr
    assert "is the server running?" in result.stderr
