"""How a sandbox is set up: its seed, key, server-side limits and simulated delays."""

from __future__ import annotations

from dataclasses import dataclass, field

from unitalk_async._reference import (
    MAX_IN_FLIGHT,
    MAX_NUMBERS_PER_AUTODIALER,
    MAX_PER_10_SECONDS,
    MAX_PER_SECOND,
    PERMANENT_BLOCK_PER_10_SECONDS,
)

AUTH_ERROR_STATUSES = (200, 401)  # the "Authorization invalid" answer's possible statuses
# How long the service's number handler is taken by one autodialer number operation: our
# estimate (README "API notes"), enough that number operations sent at the same time on one
# project collide with "Handler is busy, try again later", as they do on the service.
DEFAULT_NUMBER_OP_SECONDS = 0.05
DEFAULT_NUMBER_OP_SECONDS_PER_100K = 1.0


@dataclass(frozen=True, kw_only=True)
class ServerLimits:
    """The limits the sandbox enforces per key (reference "Limits"; README "API notes").

    `time_scale` multiplies every window and block duration, so a test can run the 10-s
    window in one second with `time_scale=0.1`. The counts are never scaled.
    """

    per_second: int = MAX_PER_SECOND
    per_10_seconds: int = MAX_PER_10_SECONDS
    permanent_per_10_seconds: int = PERMANENT_BLOCK_PER_10_SECONDS
    max_in_flight: int = MAX_IN_FLIGHT
    block_seconds: float = 60.0
    block_multiplier: float = 2.0
    time_scale: float = 1.0

    @property
    def second(self) -> float:
        """The length of the per-second window, scaled."""
        return 1.0 * self.time_scale

    @property
    def ten_seconds(self) -> float:
        """The length of the 10-second window, scaled."""
        return 10.0 * self.time_scale


@dataclass(frozen=True, kw_only=True)
class SandboxConfig:
    """Everything that makes one sandbox differ from another.

    The same seed gives the same project (users, lines, groups, audios, ...), the same
    simulated call outcomes and the same fault draws.
    """

    seed: int = 0
    api_key: str | None = field(default=None, repr=False)  # None: generated; never in a repr
    enforce_limits: bool = True
    limits: ServerLimits = field(default_factory=ServerLimits)
    admin: bool = False  # mount /__admin (no key needed) only when asked: --admin, admin=True
    # The HTTP status of the "Authorization invalid" answer: the service's earlier server sent
    # it with 200, today's status is unknown (README "API notes"); 401 unless asked.
    auth_error_status: int = 401
    # The token of the incoming-webhook links; None: a random one (printed at start-up and
    # readable under /__admin/incoming-webhook). Never in a repr.
    webhook_token: str | None = field(default=None, repr=False)
    # Account and service switches (sandbox/account.py) that start off, by name.
    switched_off: frozenset[str] = frozenset()
    # How long an autodialer number operation holds the project's single number handler;
    # a second one overlapping it is answered "Handler is busy, try again later".
    number_op_seconds: float = DEFAULT_NUMBER_OP_SECONDS
    number_op_seconds_per_100k: float = DEFAULT_NUMBER_OP_SECONDS_PER_100K
    # REFRESH's "Try again later" interval (reference: one minute).
    refresh_interval: float = 60.0
    # The project's autodialer cap ("Tasks limit exceeded").
    max_autodialers: int = 100
    # The numbers one autodialer may hold ("Numbers limit exceeded"); lower it to reach the
    # cap in a test without sending a million numbers.
    max_numbers_per_autodialer: int = MAX_NUMBERS_PER_AUTODIALER
    analytics_delay: float = 0.05  # /calls/analytics/create processing time
    tts_delay: float = 0.01  # /audio/tts processing time
    scheduled_removal_seconds: float = 0.02  # /eventHandlers/removeScheduledByPhones
    history_size: int = 1000  # generated /history/get records
    users: int = 12
    lines: int = 16
    groups: int = 4
    # The network between the sandbox and its clients (sandbox/network.py): seconds a new
    # connection's handshakes take (served over HTTPS then), and the range one-way trips
    # are drawn from, each way; (0, 0) is loopback.
    connection_setup: float = 0.0
    latency: tuple[float, float] = (0.0, 0.0)

    def __post_init__(self) -> None:
        if self.auth_error_status not in AUTH_ERROR_STATUSES:
            raise ValueError(f"auth_error_status must be one of {AUTH_ERROR_STATUSES}")
        if self.connection_setup < 0:
            raise ValueError("connection_setup: must be >= 0 seconds")
        low, high = self.latency
        if not 0 <= low <= high:
            raise ValueError(f"latency: expected 0 <= low <= high seconds, got {self.latency}")
