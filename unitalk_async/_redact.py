"""Masking secrets (the API key, a webhook token) in text the service sends back.

A service may echo what it was sent ("Unauthorized: key abc... is blocked"); its messages go
into exceptions and the debug log, so they pass through `redact` first.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

REDACTED: Final = "<redacted>"
#: Shorter "secrets" (a test's key "k") would mangle every message that contains them;
#: real keys and tokens are far longer.
MIN_SECRET_LENGTH: Final = 6


def redact(value: Any, secrets: Iterable[str]) -> Any:
    """`value` (a string, or JSON-like lists and dicts of them) with every secret masked."""
    present = [secret for secret in secrets if len(secret) >= MIN_SECRET_LENGTH]
    return _redact(value, present) if present else value


def _redact(value: Any, secrets: list[str]) -> Any:
    if isinstance(value, str):
        for secret in secrets:
            value = value.replace(secret, REDACTED)
        return value
    if isinstance(value, list):
        return [_redact(item, secrets) for item in value]
    if isinstance(value, dict):
        return {_redact(k, secrets): _redact(v, secrets) for k, v in value.items()}
    return value
