"""The in-memory state of the endpoints other than the autodialer, one part per group."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from unitalk_async.sandbox.endpoints.analytics import AnalyticsDesk
from unitalk_async.sandbox.endpoints.audio import AudioLibrary
from unitalk_async.sandbox.endpoints.calls import CallBoard
from unitalk_async.sandbox.endpoints.distributions import DistributionBook
from unitalk_async.sandbox.endpoints.event_handlers import ScheduledHandlers
from unitalk_async.sandbox.endpoints.history import CallHistory
from unitalk_async.sandbox.endpoints.lists import BlockLists
from unitalk_async.sandbox.endpoints.messages import MessageBook
from unitalk_async.sandbox.endpoints.widget import NotificationBoard

if TYPE_CHECKING:
    from unitalk_async.sandbox.endpoints._request import SandboxView


class EndpointsState:
    """Messages, distributions, lists, notifications, analytics and tts in progress,
    scheduled handlers, the project's call history and the incoming-webhook token.

    `now` is the project's wall clock (the sandbox's); tests replace it to move time.
    `created` anchors the generated call history, which ends a minute before it.
    """

    def __init__(self, sandbox: SandboxView) -> None:
        self._sandbox = sandbox
        seed = sandbox.config.seed
        self.now: Callable[[], datetime] = sandbox.now
        self.created = self.now()
        self.calls: CallBoard = CallBoard()
        self.analytics: AnalyticsDesk = AnalyticsDesk()
        self.audio: AudioLibrary = AudioLibrary()
        self.lists: BlockLists = BlockLists()
        self.scheduled_handlers: ScheduledHandlers = ScheduledHandlers(
            seed, sandbox.config.scheduled_removal_seconds
        )
        self.messages: MessageBook = MessageBook(seed)
        self.distributions: DistributionBook = DistributionBook()
        self.notifications: NotificationBoard = NotificationBoard()
        self._history: CallHistory | None = None
        self._incoming_token: str | None = None

    @property
    def history(self) -> CallHistory:
        """The project's call history, generated on first use (`config.history_size` calls)."""
        if self._history is None:
            config = self._sandbox.config
            self._history = CallHistory.generate(
                self._sandbox.project, config.seed, config.history_size, self.created
            )
        return self._history

    @property
    def incoming_token(self) -> str:
        """The token of the incoming-webhook links (/tracking/webhook/event?token=...)."""
        if self._incoming_token is None:
            tokens = self._sandbox.project.webhook_tokens
            if not tokens:
                tokens.add(secrets.token_urlsafe(15))
            self._incoming_token = min(tokens)
        return self._incoming_token
