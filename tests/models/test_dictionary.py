"""/dictionary answers `{"status": "Success", "data": {"<id>": "<name>"}}` (README notes)."""

from __future__ import annotations

from models._examples import round_trip
from unitalk_async.models.dictionary import DictionaryAnswer, DictionaryType


def test_answer_round_trips_with_string_keys_and_null_names() -> None:
    answer = round_trip(
        '{"status": "Success", "data": {"101": "Alice", "102": null}}', DictionaryAnswer
    )
    assert answer.data == {"101": "Alice", "102": None}


def test_every_type_of_the_reference_is_listed_and_unknown_ones_pass() -> None:
    assert DictionaryType("AUDIO_VOICE_QUEUE").is_known
    assert len(DictionaryType) == 26
    assert not DictionaryType("AUTODIAL_SOMETHING_NEW").is_known
