"""The operation table (`unitalk_async/_operations.py`): its rows are sound, and the README's
endpoint table and retry-safety table are the table's.

`python tests/test_operations.py` rewrites the README's retry-safety table from the rows.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest
from starlette.routing import Mount, Route

from unitalk_async import _operations as ops
from unitalk_async._operations import OPERATIONS, Cost, Operation, Resend
from unitalk_async._reference import classify_message
from unitalk_async.sandbox import create_app
from unitalk_async.sandbox._answers import bare, error, success
from unitalk_async.sandbox.routing import check_answer

README = Path(__file__).parent.parent / "README.md"
BEGIN = "<!-- retry-safety: generated from _operations.py by tests/test_operations.py -->"
END = "<!-- /retry-safety -->"


def _cell(row: Operation[Any]) -> str:
    parts = [f"mutex `{row.mutex}`"] if row.mutex else []
    if row.lane != "default":
        parts.append(f"lane `{row.lane}`")
    if row.cost is not Cost.UNITS:
        parts.append(f"billed per {row.cost}")
    return ", ".join(parts)


def retry_safety_table() -> str:
    """The README's table: one line per row, in the table's order."""
    lines = [
        "| Operation | Endpoint | Resent | Why | Success after a resend | Mutex, lane, cost |",
        "|---|---|---|---|---|---|",
    ]
    for row in OPERATIONS:
        endpoint = f"`{row.path}` {row.action}" if row.action else f"`{row.path}`"
        done = ", ".join(f"`{message}`" for message in row.already_done)
        cells = (f"`{row.label}`", endpoint, row.resend.value, row.why, done, _cell(row))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _readme_block(text: str) -> str:
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    return text[start:end].strip()


def test_every_row_justifies_its_retry_class_in_one_line() -> None:
    for row in OPERATIONS:
        assert row.why and "\n" not in row.why and len(row.why) <= 90, row


def test_rows_sharing_a_label_are_variants_of_one_call() -> None:
    by_label: dict[str, set[tuple[str, str | None]]] = {}
    for row in OPERATIONS:
        by_label.setdefault(row.label, set()).add((row.path, row.action))
    assert all(len(endpoints) == 1 for endpoints in by_label.values()), by_label


def test_only_what_may_be_resent_has_already_done_answers_and_they_are_documented() -> None:
    for row in OPERATIONS:
        if row.already_done:
            assert row.resend is Resend.SAFE and row.enveloped, row
        for message in row.already_done:
            assert classify_message(message) is not None, message  # in the error table


def test_what_reaches_a_person_or_costs_money_is_never_resent_blindly() -> None:
    for row in OPERATIONS:
        if row.cost is not Cost.UNITS:
            assert row.resend is not Resend.SAFE, row


def test_the_readme_retry_safety_table_is_generated_from_the_rows() -> None:
    assert _readme_block(README.read_text()) == retry_safety_table(), (
        "the README's retry-safety table is stale: run `python tests/test_operations.py`"
    )


def _endpoint_table() -> list[str]:
    text = README.read_text()
    section = text[text.index("## Every endpoint and its method") :]
    section = section[: section.index("\n## ", 1)]
    return [line for line in section.splitlines() if line.startswith("| `/")]


@pytest.mark.parametrize("row", OPERATIONS, ids=lambda row: f"{row.label} {row.endpoint}")
def test_the_readme_endpoint_table_names_every_row(row: Operation[Any]) -> None:
    if not row.authorize:
        return  # the incoming-webhook links have their own line
    lines = [line for line in _endpoint_table() if f"`{row.path}" in line.split(" | ")[0]]
    assert lines, f"{row.path} is missing from README's endpoint table"
    if row.action is not None:
        assert any(re.search(rf"\b{row.action}\b", line) for line in lines), row


def test_the_readme_endpoint_table_names_nothing_else() -> None:
    paths = {row.path for row in OPERATIONS}
    for line in _endpoint_table():
        first = line.split(" | ")[0]
        named = re.findall(r"`(/[^`?]+)", first)
        assert named and set(named) <= paths, first


def test_the_sandbox_serves_exactly_the_paths_of_the_table() -> None:
    app = create_app()
    served = set()
    for route in app.routes:
        if isinstance(route, Mount) and route.path == "/api":
            served |= {sub.path for sub in route.routes if isinstance(sub, Route)}
        elif isinstance(route, Route):
            served.add(route.path)
    assert served == {row.path for row in OPERATIONS}


def test_the_sandbox_refuses_an_answer_shaped_against_its_row() -> None:
    check_answer([ops.USERS_LIST], bare([]))
    check_answer([ops.LISTS_GET], success(data=[]))
    check_answer([ops.USERS_LIST], error("Unauthorized"))  # errors are envelopes everywhere
    with pytest.raises(RuntimeError, match="bare in the table"):
        check_answer([ops.USERS_LIST], success(data=[]))
    with pytest.raises(RuntimeError, match="enveloped in the table"):
        check_answer([ops.LISTS_GET], bare([]))


if __name__ == "__main__":
    text = README.read_text()
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    README.write_text(text[:start] + "\n" + retry_safety_table() + "\n" + text[end:])
    sys.exit(0)
