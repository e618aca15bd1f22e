"""The sandbox's endpoints other than the autodialer, and their in-memory state.

`API_HANDLERS` are mounted under /api by the app, `TRACKING_HANDLERS` at the server root
(the incoming-webhook links), both through `sandbox/routing.py`. Handlers raise
`SandboxError` with the reference's message; the app turns it into the error answer.
"""

from __future__ import annotations

from unitalk_async import _operations as ops
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

__all__ = ["API_HANDLERS", "TRACKING_HANDLERS", "EndpointsState"]

# Paths are the operation table's (`unitalk_async._operations`): `sandbox/routing.py` routes
# them and refuses a handler without a row or a row without a handler.
API_HANDLERS = {
    ops.CALLS_DIRECT_CALL.path: calls.direct_call,
    ops.CALLS_ORIGINATE_C2C.path: calls.originate_c2c,
    ops.CALLS_ORIGINATE_NEW.path: calls.originate_new,
    ops.CALLS_HANGUP_BY_ID.path: calls.hangup,
    ops.CALLS_CONNECT_AS_PROMPTER.path: calls.connect_as_prompter,
    ops.CALLS_ANALYTICS.path: analytics.create_analytics,
    ops.AUDIO_UPLOAD.path: audio.upload,
    ops.AUDIO_TTS.path: audio.text_to_speech,
    ops.LISTS_GET.path: lists.lists_action,
    ops.USERS_LIST.path: users.list_users,
    ops.USERS_GET_STATUS.path: users.user_statuses,
    ops.USERS_WORK_HISTORY.path: users.work_history,
    ops.PHONES_INNER.path: users.inner_lines,
    ops.PHONES_SET_STATUS.path: users.set_line_status,
    ops.GROUPS_LIST.path: users.group_action,
    ops.OPERATORS_STATISTIC.path: users.operator_statistic,
    ops.HISTORY_GET.path: history.get_history,
    ops.EVENT_HANDLERS_REMOVE_SCHEDULED.path: event_handlers.remove_scheduled_by_phones,
    ops.MESSAGES_SEND.path: messages.send,
    ops.MESSAGES_SEND_BULK.path: messages.send_bulk,
    ops.MESSAGES_GET_STATUS.path: messages.get_status,
    ops.DISTRIBUTIONS_GET_ALL.path: distributions.get_all,
    ops.DISTRIBUTIONS_CREATE.path: distributions.create,
    ops.DISTRIBUTIONS_UPDATE.path: distributions.update,
    ops.DISTRIBUTIONS_REMOVE.path: distributions.remove,
    ops.DISTRIBUTIONS_SET_PAUSED.path: distributions.set_paused,
    ops.WIDGET_SEND_NOTIFICATION.path: widget.send_notification,
    ops.WIDGET_HIDE_NOTIFICATION.path: widget.hide_notification,
    ops.DICTIONARY.path: dictionary.dictionary,
}

#: The incoming-webhook link, at the server root.
TRACKING_HANDLERS = {ops.INCOMING_WEBHOOK.path: incoming.webhook_event}
