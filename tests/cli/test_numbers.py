"""`unitalk numbers upload|export`."""

from __future__ import annotations

import asyncio
import csv
import json
import subprocess
import sys
from pathlib import Path

from tests.cli.conftest import Cli


def write_csv(path: Path, header: str, rows: list[str]) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_upload_adds_every_valid_row_and_writes_the_rejects_with_their_reasons(
    cli: Cli, tmp_path: Path
) -> None:
    autodialer_id = cli.create_autodialer()
    source = write_csv(
        tmp_path / "numbers.csv",
        "phone,name,note,link,p1,p2",
        [
            "+380 50 111 22 33,Ann,VIP,https://crm/1,gold,",
            "12,Bob,,,,",  # too short
            "380501112244,,,,,x",
            "not a number,Eve,,,,",
        ],
    )
    result = cli("--json", "numbers", "upload", str(autodialer_id), str(source))
    assert result.code == 3  # done, but rows were rejected
    summary = result.json()
    assert (summary["read"], summary["accepted"], summary["rejected"]) == (4, 2, 2)
    assert summary["added"] is None  # "Numbers added" does not say how many
    assert summary["requests"] == 1
    with (tmp_path / "numbers.rejects.csv").open(newline="") as file:
        rejects = list(csv.DictReader(file))
    assert [(r["phone"], r["name"], r["rejected_by"]) for r in rejects] == [
        ("12", "Bob", "client"),
        ("not a number", "Eve", "client"),
    ]
    assert all(r["reason"] for r in rejects)
    assert "2 rejected rows written to" in result.stderr

    async def stored() -> tuple[str, str, object]:
        async with cli.client() as client:
            number = await client.autodial.get_number(autodialer_id, "380501112233")
            return number.name, number.note, number.params  # type: ignore[return-value]

    assert asyncio.run(stored()) == ("Ann", "VIP", {1: "gold"})


def test_a_clean_upload_exits_0_with_a_table_and_no_rejects_file(cli: Cli, tmp_path: Path) -> None:
    autodialer_id = cli.create_autodialer()
    source = write_csv(tmp_path / "n.csv", "phone", [str(380_670_000_000 + i) for i in range(500)])
    stale = tmp_path / "n.rejects.csv"
    stale.write_text("from an earlier run\n")
    result = cli("numbers", "upload", str(autodialer_id), str(source), "--high-priority")
    assert result.code == 0, result.stderr
    assert "numbers accepted" in result.stdout and "500" in result.stdout
    assert "unknown" in result.stdout  # numbers added: the service does not say
    assert not stale.exists()

    async def first() -> object:
        async with cli.client() as client:
            return (await client.autodial.get_number(autodialer_id, "380670000000")).high_priority

    assert asyncio.run(first()) is True


def test_a_large_file_is_streamed_in_chunks_of_100000(cli: Cli, tmp_path: Path) -> None:
    autodialer_id = cli.create_autodialer()
    source = tmp_path / "large.csv"
    with source.open("w") as file:
        file.write("phone\n")
        file.writelines(f"{380_600_000_000 + i}\n" for i in range(250_001))
    summary = cli("--json", "numbers", "upload", str(autodialer_id), str(source)).json()
    assert (summary["read"], summary["accepted"], summary["requests"]) == (250_001, 250_001, 3)


def test_duplicates_are_skipped_unless_refreshed(cli: Cli, tmp_path: Path) -> None:
    autodialer_id = cli.create_autodialer(numbers=5)
    source = write_csv(tmp_path / "dup.csv", "phone", ["380500000001", "380500000002"])
    skipped = cli("--json", "numbers", "upload", str(autodialer_id), str(source))
    assert skipped.code == 0
    assert (skipped.json()["added"], skipped.json()["chunksAlreadyPresent"]) == (0, 1)
    refreshed = cli(
        "--json", "numbers", "upload", str(autodialer_id), str(source), "--refresh-duplicates"
    )
    assert refreshed.code == 0 and refreshed.json()["accepted"] == 2


def test_export_streams_every_number_as_csv_or_json_lines(cli: Cli, tmp_path: Path) -> None:
    autodialer_id = cli.create_autodialer(numbers=120, calls=20)
    as_csv = tmp_path / "numbers.csv"
    result = cli("numbers", "export", str(autodialer_id), "-o", str(as_csv))
    assert result.code == 0, result.stderr
    with as_csv.open(newline="") as file:
        rows = list(csv.DictReader(file))
    assert len(rows) == 120
    assert {"phone", "state", "taskId"} <= set(rows[0])
    assert "120 numbers written" in result.stderr

    as_jsonl = tmp_path / "numbers.out"
    result = cli("numbers", "export", str(autodialer_id), "-o", str(as_jsonl), "--format", "jsonl")
    records = [json.loads(line) for line in as_jsonl.read_text().splitlines()]
    assert len(records) == 120 and records[0]["taskId"] == autodialer_id

    result = cli("numbers", "export", str(autodialer_id), "--state", "NEW")  # to stdout
    assert result.code == 0
    assert len(result.stdout.splitlines()) == 100
    assert all(json.loads(line)["state"] == "NEW" for line in result.stdout.splitlines())


def test_upload_problems_are_one_line_errors(cli: Cli, tmp_path: Path) -> None:
    missing = cli("numbers", "upload", "1", str(tmp_path / "nope.csv"))
    assert missing.code == 1
    assert missing.stderr.count("\n") == 1 and "nope.csv" in missing.stderr

    no_phone = write_csv(tmp_path / "bad.csv", "name,note", ["Ann,x"])
    header = cli("numbers", "upload", str(cli.create_autodialer()), str(no_phone))
    assert header.code == 1
    assert "no 'phone' column" in header.stderr and header.stderr.count("\n") == 1

    source = write_csv(tmp_path / "ok.csv", "phone", ["380501112233"])
    unknown = cli("numbers", "upload", "999999", str(source))
    assert unknown.code == 1
    line = unknown.stderr.strip()
    assert line.startswith("error: uploading numbers to autodialer 999999 failed: ")
    assert "\n" not in line


def test_an_export_into_a_closed_pipe_stops_quietly() -> None:
    """`unitalk ... -o - | head -1`: the reader leaves early; no error line, exit 0."""
    command = ["--sandbox", "numbers", "export", "100000", "-o", "-"]
    proc = subprocess.Popen(
        [sys.executable, "-c", "from unitalk_async.cli import main; main()", *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    proc.stdout.close()  # like `head -1`
    _, stderr = proc.communicate(timeout=120)
    assert first.startswith(b'{"phone":')
    assert proc.returncode == 0
    assert b"error" not in stderr
    assert b"Traceback" not in stderr
