"""The sandbox's endpoints other than the autodialer, and their in-memory state.

`build_routes()` is mounted under /api by the app; `build_tracking_routes()` at the server
root (the incoming-webhook links). Handlers raise `SandboxError` with the reference's
message; the app turns it into the error answer.
"""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from unitalk_async.sandbox.endpoints import (
    analytics,
    audio,
    calls,
    dictionary,
    distributions,
    event_handlers,
    history,
    incoming,
    lists,
    messages,
    users,
    widget,
)
from unitalk_async.sandbox.endpoints.state import EndpointsState

__all__ = ["EndpointsState", "build_routes", "build_tracking_routes"]

_API = {
    "/phones/directCall": calls.direct_call,
    "/calls/originateC2c": calls.originate_c2c,
    "/calls/originateNew": calls.originate_new,
    "/calls/hangup": calls.hangup,
    "/calls/connectAsPrompter": calls.connect_as_prompter,
    "/calls/analytics/create": analytics.create_analytics,
    "/audio/upload": audio.upload,
    "/audio/tts": audio.text_to_speech,
    "/lists": lists.lists_action,
    "/users/list": users.list_users,
    "/users/getStatus": users.user_statuses,
    "/users/workHistory": users.work_history,
    "/phones/inner": users.inner_lines,
    "/phones/inner/setStatus": users.set_line_status,
    "/groups/action": users.group_action,
    "/operator/statistic": users.operator_statistic,
    "/history/get": history.get_history,
    "/eventHandlers/removeScheduledByPhones": event_handlers.remove_scheduled_by_phones,
    "/message/send": messages.send,
    "/message/sendBulk": messages.send_bulk,
    "/message/getStatus": messages.get_status,
    "/messageDistribution/getAll": distributions.get_all,
    "/messageDistribution/create": distributions.create,
    "/messageDistribution/update": distributions.update,
    "/messageDistribution/remove": distributions.remove,
    "/messageDistribution/setPaused": distributions.set_paused,
    "/widget/sendNotification": widget.send_notification,
    "/widget/hideNotification": widget.hide_notification,
    "/dictionary": dictionary.dictionary,
}


def build_routes() -> list[BaseRoute]:
    """The routes of every method but /autodial/action, relative to the /api mount."""
    return [Route(path, handler, methods=["POST"]) for path, handler in _API.items()]


def build_tracking_routes() -> list[BaseRoute]:
    """The incoming-webhook link, at the server root, authenticated by its `token`."""
    return [Route("/tracking/webhook/event", incoming.webhook_event, methods=["POST"])]
