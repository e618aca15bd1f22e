"""Phone numbers: typed separators stripped, any other character refused, 7..15 digits left;
one rule for the client and the sandbox."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from unitalk_async._phones import normalize_phone, normalize_phones, phone_reject_reason


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("380971234567", "380971234567"),
        ("+38(097)11-11 111", "380971111111"),  # the reference's own example
        (" +1 (555) 010-9999 ", "15550109999"),
        ("1234567", "1234567"),  # 7 digits: the shortest accepted
        ("123456789012345", "123456789012345"),  # 15 digits: E.164's longest
        (380971234567, "380971234567"),
        ("380.97.123.4567", "380971234567"),
        ("-380971234567", "380971234567"),  # a dash typed in front: a separator
    ],
)
def test_valid_numbers_are_stripped_to_their_digits(raw: object, expected: str) -> None:
    assert normalize_phone(raw) == expected
    assert phone_reject_reason(raw) is None


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("123456", "too short: 6 digits, at least 7"),
        ("1234567890123456", "too long: 16 digits, at most 15"),
        ("+-() ", "no digits"),
        ("", "no digits"),
        (None, "not a string: NoneType"),
        (-380971234567, "negative number"),
        (True, "not a string: bool"),
        ("2026-12-01 10:00", "not a phone number: ':' is not a digit, space, +, -, (, ) or ."),
        ("x", "not a phone number: 'x' is not a digit, space, +, -, (, ) or ."),
        ("order 3809712345", "not a phone number: 'o' is not a digit, space, +, -, (, ) or ."),
    ],
)
def test_invalid_numbers_are_refused_with_a_reason(raw: object, reason: str) -> None:
    assert normalize_phone(raw) is None
    assert phone_reject_reason(raw) == reason


def test_non_ascii_digits_are_foreign_characters() -> None:
    assert normalize_phone("٣٨٠٩٧١٢٣٤٥٦٧") is None
    assert normalize_phone("38097١1234567") is None
    assert phone_reject_reason("38097١1234567") == (
        "not a phone number: '١' is not a digit, space, +, -, (, ) or ."
    )


def test_a_batch_keeps_valid_numbers_in_order_and_returns_every_reject() -> None:
    valid, rejects = normalize_phones(["+380 97 111 1111", "12", "380971111112", "+()"])
    assert valid == ["380971111111", "380971111112"]
    assert [(r.item, r.reason, r.by_service) for r in rejects] == [
        ("12", "too short: 2 digits, at least 7", False),
        ("+()", "no digits", False),
    ]


def test_a_batch_with_non_strings_and_separators_takes_the_per_item_path() -> None:
    valid, rejects = normalize_phones([380971111111, "380\x0097 1111112", None, "380971111113"])
    assert valid == ["380971111111", "380971111113"]
    assert [r.item for r in rejects] == ["380\x0097 1111112", None]


def test_an_empty_batch() -> None:
    assert normalize_phones([]) == ([], [])


@given(st.lists(st.one_of(st.text(max_size=20), st.integers(-10, 10**16))))
def test_batch_and_single_normalisation_agree(raws: list[object]) -> None:
    valid, rejects = normalize_phones(raws)
    singles = [normalize_phone(raw) for raw in raws]
    assert valid == [number for number in singles if number is not None]
    assert [r.item for r in rejects] == [
        raw for raw, n in zip(raws, singles, strict=True) if n is None
    ]
    assert all(r.reason == phone_reject_reason(r.item) for r in rejects)


@given(st.lists(st.one_of(st.text(max_size=20), st.integers(-10, 10**16), st.none()), max_size=8))
def test_the_sandbox_reads_every_number_as_the_client_does(raws: list[object]) -> None:
    from unitalk_async.sandbox import phones as sandbox_phones

    singles = [normalize_phone(raw) for raw in raws]
    assert [sandbox_phones.normalize_phone(raw) for raw in raws] == singles
    assert sandbox_phones.normalize_phones(raws) == singles
