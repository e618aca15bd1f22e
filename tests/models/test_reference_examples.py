"""Every JSON example from "Calls initiation" to the end of the reference round-trips.

Each example is decoded into its model and encoded back: the same document comes out
(comments and `...` removed by the shared extractor). The table is keyed by the example's
line in tests/reference/unitalk-api.txt; a test checks that it claims every example, so a
new or moved example cannot go unchecked. (Webhook examples are tested with the webhooks.)
"""

from __future__ import annotations

from typing import Any

import pytest

from models._examples import Example, m2_examples, round_trip
from unitalk_async.models._envelope import Envelope
from unitalk_async.models.analytics import CallAnalytics
from unitalk_async.models.audio import TtsRequest, TtsResult
from unitalk_async.models.calls import ConnectAsPrompterRequest, HangupRequest, OriginateNewRequest
from unitalk_async.models.distributions import (
    Distribution,
    DistributionUpdate,
    SmsDistribution,
    ViberCarouselDistribution,
    ViberPromoDistribution,
    ViberTransactionalDistribution,
)
from unitalk_async.models.history import HistoryPage
from unitalk_async.models.messages import (
    BulkMessageResult,
    MessageStatusInfo,
    SendBulkRequest,
    SendMessageRequest,
)
from unitalk_async.models.users import (
    Group,
    GroupActionRequest,
    OperatorStatistic,
    User,
    UserStatus,
    WorkHistory,
)
from unitalk_async.models.widget import (
    HideNotificationRequest,
    NotificationSent,
    SendNotificationRequest,
)

Ack = Envelope[Any]

#: line of the example -> (what it is, its type)
TYPES: dict[int, tuple[str, Any]] = {
    1260: ("directCall answer", Ack),
    1279: ("originateNew request", OriginateNewRequest),
    1301: ("originateNew answer", Ack),
    1349: ("hangup request", HangupRequest),
    1354: ("hangup answer", Ack),
    1364: ("connectAsPrompter request", ConnectAsPrompterRequest),
    1369: ("connectAsPrompter answer", Ack),
    1384: ("analytics answer", CallAnalytics),
    1440: ("audio upload answer", Ack),
    1444: ("tts request", TtsRequest),
    1467: ("tts answer", Envelope[list[TtsResult]]),
    1533: ("workHistory answer", WorkHistory),
    1570: ("users/list answer", list[User]),
    1589: ("users/getStatus answer", list[UserStatus]),
    1606: ("groups GET_LIST answer (README notes)", Envelope[list[Group]]),
    1625: ("groups REMOVE_NUMBER request", GroupActionRequest),
    1633: ("operator/statistic answer", list[OperatorStatistic]),
    1703: ("history/get answer", HistoryPage),
    2036: ("message/send SMS request", SendMessageRequest),
    2043: ("message/send Viber request", SendMessageRequest),
    2066: ("sendBulk request, recipients", SendBulkRequest),
    2075: ("sendBulk request, messages", SendBulkRequest),
    2084: ("sendBulk answer", Envelope[dict[str, BulkMessageResult]]),
    2129: ("getStatus answer", Envelope[MessageStatusInfo]),
    2148: ("distributions getAll answer", list[Distribution]),
    2168: ("SMS distribution", SmsDistribution),
    2181: ("Viber promo distribution", ViberPromoDistribution),
    2201: ("Viber transactional distribution", ViberTransactionalDistribution),
    2216: ("Viber carousel distribution", ViberCarouselDistribution),
    2256: ("Viber+SMS fallback distribution", ViberPromoDistribution),
    2297: ("distribution update request", DistributionUpdate),
    2305: ("distribution update answer", Ack),
    2330: ("distribution remove answer", Ack),
    2341: ("distribution setPaused answer", Ack),
    2357: ("sendNotification request", SendNotificationRequest),
    2371: ("sendNotification answer", Envelope[NotificationSent]),
    2392: ("hideNotification request", HideNotificationRequest),
    2400: ("hideNotification answer", Ack),
}


def test_the_table_claims_every_example() -> None:
    assert {example.line for example in m2_examples()} == set(TYPES)


@pytest.mark.parametrize(
    "example", m2_examples(), ids=lambda e: f"{e.line}-{TYPES.get(e.line, ('?',))[0]}"
)
def test_example_round_trips(example: Example) -> None:
    _, type_ = TYPES[example.line]
    round_trip(example.text, type_)


def test_the_repaired_examples_are_the_three_missing_commas() -> None:
    repaired = {example.line for example in m2_examples() if example.repairs}
    assert repaired == {1570, 1589, 1703}
