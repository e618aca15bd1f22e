"""/lists requests: the README shape, 100 items per request, items needed to edit."""

from __future__ import annotations

import pytest

from unitalk_async import ValidationError
from unitalk_async._codec import to_builtins
from unitalk_async.models.enums import ListName, ListOperation
from unitalk_async.models.lists import ListRequest


def test_get_sends_no_items() -> None:
    request = ListRequest(list=ListName.BLOCKED_PHONES, operation=ListOperation.GET)
    request.validate()
    assert to_builtins(request) == {"list": "BLOCKED_PHONES", "operation": "GET"}


def test_add_and_remove_carry_1_to_100_items() -> None:
    items = [f"38050{n:07d}" for n in range(101)]
    ListRequest(
        list=ListName.BLOCKED_FOR_AUTODIAL_PHONES, operation=ListOperation.ADD, items=items[:100]
    ).validate()
    with pytest.raises(ValidationError) as caught:
        ListRequest(
            list=ListName.BLOCKED_PHONES, operation=ListOperation.ADD, items=items
        ).validate()
    assert caught.value.field == "items"
    with pytest.raises(ValidationError) as caught:
        ListRequest(
            list=ListName.BLOCKED_PHONES, operation=ListOperation.REMOVE, items=[]
        ).validate()
    assert caught.value.field == "items"


def test_unknown_list_or_operation_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        ListRequest(list=ListName("WHITE_LIST"), operation=ListOperation.GET).validate()
    assert caught.value.field == "list"
    with pytest.raises(ValidationError) as caught:
        ListRequest(list=ListName.BLOCKED_PHONES, operation=ListOperation("CLEAR")).validate()
    assert caught.value.field == "operation"
