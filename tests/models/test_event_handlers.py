"""/eventHandlers/removeScheduledByPhones: `{"phones": [...]}`, 1 to 100 numbers."""

from __future__ import annotations

import pytest

from unitalk_async import ValidationError
from unitalk_async._codec import to_builtins
from unitalk_async.models.event_handlers import RemoveScheduledRequest


def test_request_shape() -> None:
    request = RemoveScheduledRequest(phones=["380501112233"])
    request.validate()
    assert to_builtins(request) == {"phones": ["380501112233"]}


@pytest.mark.parametrize("count", [0, 101])
def test_phone_count_outside_1_to_100_is_refused(count: int) -> None:
    with pytest.raises(ValidationError) as caught:
        RemoveScheduledRequest(phones=["380501112233"] * count).validate()
    assert caught.value.field == "phones"
