"""The operation table against the reference: every path (30) and autodialer action (15)
it names has a row, nothing else does, and each row's label is a method of the client."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, get_args

import pytest

from unitalk_async import UnitalkClient
from unitalk_async._operations import OPERATIONS, Operation
from unitalk_async.models.autodial import AutodialRequest

REFERENCE = (Path(__file__).parent / "reference" / "unitalk-api.txt").read_text(encoding="utf-8")
# "Relative path: /x", "POST /x", "POST: /x", "/x Mode: POST" - every way the reference names one.
PATH = re.compile(
    r"(?:Relative path: |POST:? |^|\. )(/(?:api/)?[A-Za-z][A-Za-z0-9]*(?:/[A-Za-z][A-Za-z0-9]*)*)"
    r"(?=\s+Mode|\s+Body|\?|\s*$|\s)",
    re.M,
)

ACTIONS = re.findall(
    r"^([A-Z_]+)\n", REFERENCE[REFERENCE.index("List of possible field values:") :][:800], re.M
)


def documented_paths() -> set[str]:
    paths = {p.removeprefix("/api") for p in PATH.findall(REFERENCE)}
    return {p for p in paths if not p.startswith(("/new", "/tracking"))}


def resolve(dotted: str) -> object:
    target: object = UnitalkClient("k")
    for part in dotted.split("."):
        target = getattr(target, part)
    return target


API_ROWS = [row for row in OPERATIONS if row.authorize]  # the links have their own host


def test_the_table_has_every_documented_path_and_nothing_else() -> None:
    assert len(documented_paths()) == 30
    assert {row.path for row in API_ROWS} == documented_paths()


def test_the_table_has_every_autodialer_action_with_its_request_struct() -> None:
    assert len(ACTIONS) == 15
    rows = [row for row in API_ROWS if row.path == "/autodial/action"]
    assert {row.action for row in rows} == set(ACTIONS)
    tags = {member.__struct_config__.tag for member in get_args(AutodialRequest)}
    assert set(ACTIONS) <= tags
    for row in rows:
        assert row.request.__struct_config__.tag == row.action, row


@pytest.mark.parametrize("row", API_ROWS, ids=lambda row: f"{row.label} {row.endpoint}")
def test_each_row_is_a_method_of_the_client(row: Operation[Any]) -> None:
    # Which path and row each method sends to is checked on the wire in tests/resources.
    assert callable(resolve(row.label)), row
