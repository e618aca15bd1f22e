"""Voice analytics: the answer of /calls/analytics/create.

`analyticsJson` and `analyticsSchema` are JSON documents inside strings. The raw strings stay
as they are (so the answer encodes back unchanged); `analytics()` and `schema()` decode them.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

import msgspec

from unitalk_async.models._base import UNSET, Maybe, Response

__all__ = ["AnalyticsMetric", "CallAnalytics", "LanguageData"]


class AnalyticsMetric(Response):
    """One metric of the analytics results; `value` is a number, string, bool, list or object."""

    metric_id: Maybe[int] = UNSET
    metric_name: Maybe[str] = UNSET
    value: Any = UNSET
    position: Maybe[int] = UNSET


class LanguageData(Response):
    """Languages of the conversation, its transcription and the analytics."""

    operator_language: Maybe[str] = UNSET
    client_language: Maybe[str] = UNSET
    transcription_language_code: Maybe[str] = UNSET
    analytics_language_code: Maybe[str] = UNSET
    translated_lang_code: Maybe[str] = UNSET
    translated_lang_name: Maybe[str] = UNSET


_METRICS = msgspec.json.Decoder(dict[str, AnalyticsMetric])
_SCHEMA = msgspec.json.Decoder(dict[str, Any])


class CallAnalytics(Response, dict=True):
    """The voice analytics of one call (bare answer of /calls/analytics/create)."""

    profile_id: Maybe[int] = UNSET
    profile_name: Maybe[str] = UNSET
    transcription: Maybe[str] = UNSET
    operator_tag: Maybe[str] = UNSET
    analytics_json: Maybe[str] = UNSET
    analytics_schema: Maybe[str] = UNSET
    language_data: Maybe[LanguageData] = UNSET
    plain_transcription: Maybe[str] = UNSET

    def analytics(self) -> dict[str, AnalyticsMetric]:
        """The metrics of `analytics_json` by key ("dialogTopic", ...); {} when absent.

        Raises `msgspec.DecodeError` / `msgspec.ValidationError` if the string is not the
        documented JSON object.
        """
        return self._metrics

    def schema(self) -> dict[str, Any]:
        """The JSON Schema of `analytics_schema`, decoded; {} when absent."""
        return self._schema

    @cached_property
    def _metrics(self) -> dict[str, AnalyticsMetric]:
        if not isinstance(self.analytics_json, str) or not self.analytics_json:
            return {}
        return _METRICS.decode(self.analytics_json)

    @cached_property
    def _schema(self) -> dict[str, Any]:
        if not isinstance(self.analytics_schema, str) or not self.analytics_schema:
            return {}
        return _SCHEMA.decode(self.analytics_schema)
