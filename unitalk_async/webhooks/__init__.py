"""Unitalk webhooks: typed payloads, `parse`, an ASGI receiver and the incoming-webhook client.

Outbound (Unitalk calls you): `parse(body)` turns a body into one of the payload structs,
`WebhookReceiver` serves them to your async handlers and answers ROUTE and voice-queue
questions. Inbound (you call Unitalk): `IncomingWebhooks` posts AUTODIAL_ADD /
AUTODIAL_REMOVE links.
"""

from unitalk_async.webhooks.incoming import IncomingWebhooks
from unitalk_async.webhooks.models import (
    AutodialCallEvent,
    AutodialEvent,
    BalanceMovement,
    Call,
    CallEvent,
    RouteAnswer,
    RouteCall,
    RouteRequest,
    UnknownEvent,
    VoiceMenuEvent,
    VoiceQueueAnswer,
    VoiceQueueEvent,
    VoiceQueueRequest,
    WebhookEvent,
)
from unitalk_async.webhooks.parse import WebhookPayloadError, event_name, parse, payload_type
from unitalk_async.webhooks.receiver import ReceiverStatistics, WebhookReceiver

__all__ = [
    "AutodialCallEvent",
    "AutodialEvent",
    "BalanceMovement",
    "Call",
    "CallEvent",
    "IncomingWebhooks",
    "ReceiverStatistics",
    "RouteAnswer",
    "RouteCall",
    "RouteRequest",
    "UnknownEvent",
    "VoiceMenuEvent",
    "VoiceQueueAnswer",
    "VoiceQueueEvent",
    "VoiceQueueRequest",
    "WebhookEvent",
    "WebhookPayloadError",
    "WebhookReceiver",
    "event_name",
    "parse",
    "payload_type",
]
