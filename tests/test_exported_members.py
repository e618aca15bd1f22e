"""The public names are what they should be: unique, importable, nothing private leaks."""

from __future__ import annotations

import importlib

import pytest

import unitalk_async

PACKAGES = [
    "unitalk_async",
    "unitalk_async.governor",
    "unitalk_async.models",
    "unitalk_async.sandbox",
    "unitalk_async.webhooks",
]


@pytest.mark.parametrize("name", PACKAGES)
def test_all_is_unique_and_importable(name: str) -> None:
    # Its order is ruff's (RUF022: isort-style), checked by `ruff check`.
    module = importlib.import_module(name)
    exported = list(module.__all__)
    assert len(set(exported)) == len(exported)
    for member in exported:
        assert hasattr(module, member), member
        assert not member.startswith("_") or member == "__version__"


def test_the_client_and_the_error_tree_are_at_the_top() -> None:
    for name in ("UnitalkClient", "UnitalkError", "ValidationError", "Limits", "RetryPolicy"):
        assert name in unitalk_async.__all__
    errors = [n for n in unitalk_async.__all__ if n.endswith("Error")]
    assert all(issubclass(getattr(unitalk_async, n), unitalk_async.UnitalkError) for n in errors)
