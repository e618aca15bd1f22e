"""Unitalk webhooks: typed payloads, `parse`, an ASGI receiver and the incoming-webhook client.

Outbound (Unitalk calls you): `parse(body)` turns a body into one of the payload structs,
`WebhookReceiver` serves them to your async handlers and answers ROUTE and voice-queue
questions. Inbound (you call Unitalk): `IncomingWebhooks` posts AUTODIAL_ADD /
AUTODIAL_REMOVE links.

Decisions where the reference is silent (README "API notes"):

- Payloads without an `event` field are recognised by their shape; the rules are listed in
  `unitalk_async.webhooks.parse`. A body that matches no rule is an `UnknownEvent`.
- "Standard JSON for voice queue events" (Event handling; `projectName`, `ip`) and the
  "Voice queue management" request (`outerNumber`, answered with `setPriority`) are two
  payloads: `VoiceQueueEvent` and `VoiceQueueRequest`, told apart by `outerNumber`.
- The "no operator" answer to ROUTE is `{"operatorNumber": null, "ivrId": null}` (the two
  fields the reference says may be null); the receiver sends it, HTTP 200, when the handler
  is missing, returns None, fails or times out. Voice queue: `{"setPriority": 5}`, the
  service's own default queue.
- Notifications are answered 200 `{}`; a handler that raises or times out gives 500.
- The shared secret travels as `?token=` (the only option for ROUTE and voice-queue URLs)
  or an `X-Webhook-Token` header; missing 401, wrong 403, disallowed source 403. Several
  secrets may be valid while one is rotated; the first is the current one.
- Date-times decode from the reference's "yyyy-MM-dd HH:mm:ss" and from any ISO 8601 form
  (a Java service's "T", fractions); an offset, when given, is kept (an aware datetime).
- Deliveries are deduplicated (`unitalk_async.webhooks.dedupe`): a call event by its event
  name, call id and `to` numbers; anything else by a hash of its body. ROUTE and voice-queue
  requests are answered every time.
- Incoming-webhook links send their parameters in the URL query, as the reference's
  completed links show, in a POST without a body; phones are normalised (digits, 7-15)
  and joined with commas; invalid numbers are refused before sending. The reference's
  links read "¬e=" where "&note=" was meant (an HTML entity eaten on the way).
"""

from typing import TYPE_CHECKING

try:
    import starlette  # noqa: F401
except ImportError as exc:  # an extra, not a core dependency
    raise ImportError(
        f"{__name__} needs the [webhooks] extra: pip install 'unitalk-async[webhooks]' ({exc})"
    ) from exc

from unitalk_async.webhooks.dedupe import Claim, MemorySeenStore, SeenStore, dedupe_key
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
from unitalk_async.webhooks.mounting import WebhookMount
from unitalk_async.webhooks.parse import WebhookPayloadError, event_name, parse, payload_type
from unitalk_async.webhooks.receiver import ReceiverStatistics, WebhookReceiver

if TYPE_CHECKING:  # at run time imported on first use (below): it needs the [redis] extra
    from unitalk_async.webhooks.dedupe_redis import RedisSeenStore

__all__ = [
    "AutodialCallEvent",
    "AutodialEvent",
    "BalanceMovement",
    "Call",
    "CallEvent",
    "Claim",
    "IncomingWebhooks",
    "MemorySeenStore",
    "ReceiverStatistics",
    "RedisSeenStore",
    "RouteAnswer",
    "RouteCall",
    "RouteRequest",
    "SeenStore",
    "UnknownEvent",
    "VoiceMenuEvent",
    "VoiceQueueAnswer",
    "VoiceQueueEvent",
    "VoiceQueueRequest",
    "WebhookEvent",
    "WebhookMount",
    "WebhookPayloadError",
    "WebhookReceiver",
    "dedupe_key",
    "event_name",
    "parse",
    "payload_type",
]


def __getattr__(name: str) -> object:
    # The Redis seen-store needs the [redis] extra; import it only when asked for.
    if name == "RedisSeenStore":
        from unitalk_async.webhooks import dedupe_redis

        return dedupe_redis.RedisSeenStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
