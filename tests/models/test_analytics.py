"""Voice analytics: the answer round-trips with its JSON-in-strings kept raw, and decoded."""

from __future__ import annotations

import json

import msgspec
import pytest

from models._examples import example, round_trip
from unitalk_async import _codec
from unitalk_async.models.analytics import AnalyticsMetric, CallAnalytics

METRICS = {
    "dialogTopic": {
        "metricId": 1234,
        "metricName": "Dialog topic",
        "value": "Voice message",
        "position": 0,
    },
    "satisfied": {"metricId": 7, "metricName": "Client satisfied", "value": True, "position": 1},
    "products": {"metricId": 8, "metricName": "Products", "value": ["a", "b"], "position": 2},
}
SCHEMA = {"$schema": "http://json-schema.org/draft-04/schema#", "type": "object"}


def test_the_reference_example_round_trips_with_raw_strings() -> None:
    analytics = round_trip(example("Relative path: /calls/analytics/create"), CallAnalytics)
    assert analytics.profile_id == 123
    assert analytics.analytics_json.startswith('{"dialogTopic":{"metricId":1234')
    assert analytics.language_data.translated_lang_code is None
    assert analytics.plain_transcription == "Operator: Hello! This is sample speech"


def test_the_reference_example_strings_are_cut_so_decoding_them_fails() -> None:
    # The reference abbreviates both inner documents with "...": not JSON.
    analytics: CallAnalytics = _codec.decode(
        example("Relative path: /calls/analytics/create"), CallAnalytics
    )
    with pytest.raises(msgspec.DecodeError):
        analytics.analytics()


def test_metrics_and_schema_are_decoded_on_demand() -> None:
    body = json.dumps(
        {
            "profileId": 1,
            "analyticsJson": json.dumps(METRICS),
            "analyticsSchema": json.dumps(SCHEMA),
        }
    )
    analytics: CallAnalytics = _codec.decode(body, CallAnalytics)
    metrics = analytics.analytics()
    assert metrics["dialogTopic"] == AnalyticsMetric(
        metric_id=1234, metric_name="Dialog topic", value="Voice message", position=0
    )
    assert metrics["satisfied"].value is True
    assert metrics["products"].value == ["a", "b"]
    assert analytics.analytics() is metrics  # decoded once
    assert analytics.schema() == SCHEMA
    assert json.loads(_codec.encode(analytics)) == json.loads(body)  # still raw on the wire


def test_absent_documents_decode_to_empty() -> None:
    analytics: CallAnalytics = _codec.decode(
        b'{"profileId": 1, "analyticsJson": null}', CallAnalytics
    )
    assert analytics.analytics() == {}
    assert analytics.schema() == {}
