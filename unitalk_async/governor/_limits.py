"""What the governor enforces: the API's limits as a small frozen config object."""

from __future__ import annotations

import math
from dataclasses import dataclass

from unitalk_async import _reference as ref
from unitalk_async._exceptions import ConfigurationError

#: Seconds added to every window on top of the learned latency spread: the server counts
#: arrivals, we count the moment a request's first byte leaves; this covers the steady part
#: of the difference (scheduling, the kernel, the service's own clock reading).
DEFAULT_MARGIN = 0.05
#: How long an in-flight slot stays taken after the client stopped waiting for a request it
#: had sent (read timeout, cancellation): the service does not notice and works on. The
#: reference gives no bound on how long it may, and the client cannot see when it stops, so
#: this is a bet on lopsided costs: released too early, the service counts a 21st request in
#: flight and refuses it (429); held too long, one slot idles for a while after a call that
#: has already failed. A caller cuts a call short only with a read timeout lowered from the
#: 120-s default, i.e. for calls expected to answer in seconds; 30 s gives those ten times
#: the usual headroom and keeps the idle slot short. Raise it for longer cut-off work.
DEFAULT_GRACE = 30.0
DEFAULT_ANALYTICS_IN_FLIGHT = 5


@dataclass(frozen=True, slots=True)
class RateWindow:
    """At most `limit` request starts in any sliding interval of `seconds`."""

    limit: int
    seconds: float

    def __post_init__(self) -> None:
        if self.limit < 1:
            raise ConfigurationError(f"RateWindow.limit: must be >= 1, got {self.limit}")
        if self.seconds <= 0:
            raise ConfigurationError(f"RateWindow.seconds: must be > 0, got {self.seconds}")

    @property
    def name(self) -> str:
        return f"{self.limit}/{self.seconds:g}s"


@dataclass(frozen=True, slots=True)
class Limits:
    """The limits one API key has; defaults are the reference's (section "Limits").

    `Limits.disabled()` switches rate and concurrency limits off (for the sandbox and
    tests); the exclusive operations stay serialised, since that is about correctness.
    """

    max_in_flight: int = ref.MAX_IN_FLIGHT
    windows: tuple[RateWindow, ...] = (
        RateWindow(ref.MAX_PER_SECOND, 1.0),
        RateWindow(ref.MAX_PER_10_SECONDS, 10.0),
    )
    #: Safety margin added to every window, on top of the latency spread the governor
    #: learns from the answers; widened after each block the server reports.
    margin: float = DEFAULT_MARGIN
    #: Seconds a sent request the client stopped waiting for keeps its in-flight slot.
    grace: float = DEFAULT_GRACE
    #: In-flight slots the long voice-analytics lane may take out of `max_in_flight`.
    analytics_in_flight: int = DEFAULT_ANALYTICS_IN_FLIGHT
    #: The server's permanent-block threshold; configs that could reach it are refused.
    permanent_block_per_10_seconds: int = ref.PERMANENT_BLOCK_PER_10_SECONDS
    #: The length of the permanent-block window (10 s; shorter only in scaled test limits).
    permanent_block_seconds: float = 10.0
    enabled: bool = True

    def __post_init__(self) -> None:
        if not self.enabled:
            return
        if self.max_in_flight < 1:
            raise ConfigurationError("Limits.max_in_flight: must be >= 1")
        if not 1 <= self.analytics_in_flight <= self.max_in_flight:
            raise ConfigurationError(
                "Limits.analytics_in_flight: must be between 1 and max_in_flight "
                f"({self.max_in_flight}), got {self.analytics_in_flight}"
            )
        if self.margin < 0:
            raise ConfigurationError("Limits.margin: must be >= 0")
        if self.grace < 0:
            raise ConfigurationError("Limits.grace: must be >= 0")
        if not self.windows:
            raise ConfigurationError("Limits.windows: at least one window is needed")
        worst = self.max_starts_in(self.permanent_block_seconds)
        if worst >= self.permanent_block_per_10_seconds:
            raise ConfigurationError(
                f"Limits.windows: allow up to {worst} requests in 10 s, which reaches the "
                f"permanent-block threshold ({self.permanent_block_per_10_seconds}); "
                "lower them, or raise permanent_block_per_10_seconds if support raised it"
            )

    @classmethod
    def disabled(cls) -> Limits:
        """No rate or concurrency limits (sandbox, tests); never use against the real API."""
        return cls(enabled=False)

    @classmethod
    def scaled(cls, factor: float, **overrides: object) -> Limits:
        """The default limits with every window `factor` times shorter (fast tests).

        The margin and the grace are not scaled: they cover the network and the service's
        work, which do not shrink with the windows.
        """
        base = cls()
        windows = tuple(RateWindow(w.limit, w.seconds * factor) for w in base.windows)
        params: dict[str, object] = {
            "windows": windows,
            "permanent_block_seconds": base.permanent_block_seconds * factor,
        }
        params.update(overrides)
        return cls(**params)  # type: ignore[arg-type]

    def max_starts_in(self, seconds: float) -> int:
        """An upper bound on the starts these windows allow in any interval of `seconds`."""
        return min(w.limit * math.ceil(seconds / w.seconds) for w in self.windows)

    @property
    def theoretical_rate(self) -> float:
        """Sustained requests per second a saturated backlog is served at."""
        return min(w.limit / w.seconds for w in self.windows)
