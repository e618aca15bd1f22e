"""`Sandbox`: everything one running sandbox knows, and the Python face of the admin routes."""

from __future__ import annotations

import random
import secrets
import time
from datetime import datetime
from typing import Any

from unitalk_async.sandbox.autodialers import AutodialState
from unitalk_async.sandbox.billing import Billing
from unitalk_async.sandbox.config import SandboxConfig
from unitalk_async.sandbox.endpoints import EndpointsState
from unitalk_async.sandbox.faults import FaultRule, Faults
from unitalk_async.sandbox.limits import ArrivalLog, Limiter
from unitalk_async.sandbox.network import Latency
from unitalk_async.sandbox.number_handler import NumberHandler
from unitalk_async.sandbox.project import Project


class Sandbox:
    """The state of one sandbox: project, autodialers, limits, arrival log, faults, billing.

    Handlers reach it as `request.app.state.sandbox`; tests as `server.sandbox`.
    """

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.api_key = config.api_key or secrets.token_urlsafe(24)
        # Drawn once, like the key: a reset keeps the token printed at start-up valid.
        self.webhook_token = config.webhook_token or secrets.token_urlsafe(15)
        self.clock = time.monotonic
        self.arrivals = ArrivalLog()
        self.limiter = Limiter(config.limits, self.arrivals, enforce=config.enforce_limits)
        self.faults = Faults(seed=config.seed)
        self.latency = Latency(*config.latency, seed=config.seed)
        self.billing = Billing()
        self._build_state()

    def _build_state(self) -> None:
        self.rng = random.Random(self.config.seed)
        self.project = Project.generate(self.config)
        self.project.webhook_tokens = {self.webhook_token}
        self.number_handler = NumberHandler(self.config)
        self.autodial = AutodialState(self)
        self.endpoints = EndpointsState(self)

    def now(self) -> datetime:
        """The project's wall-clock time (naive, to the second, as on the wire)."""
        return datetime.now().replace(microsecond=0)

    # --- faults ----------------------------------------------------------------------------
    def add_fault(self, rule: FaultRule) -> None:
        self.faults.add(rule)

    def clear_faults(self) -> None:
        self.faults.clear()

    # --- autodialer calls ------------------------------------------------------------------
    def simulate_calls(self, autodialer_id: int, count: int) -> int:
        """Dial the next `count` NEW numbers of an autodialer; the number of calls made."""
        return self.autodial.simulate_calls(autodialer_id, count)

    # --- what the sandbox saw --------------------------------------------------------------
    def arrivals_summary(self) -> dict[str, Any]:
        log = self.arrivals
        second, ten = self.config.limits.second, self.config.limits.ten_seconds
        return {
            "total": log.total,
            "accepted": log.accepted,
            "rejected": log.rejected,
            "worst1s": log.worst_window(second),
            "worst10s": log.worst_window(ten),
            "worst1sAccepted": log.worst_window(second, accepted_only=True),
            "worst10sAccepted": log.worst_window(ten, accepted_only=True),
            "maxInFlight": log.max_in_flight,
            "blocks": [
                {"time": b.time, "kind": b.kind, "key": b.key_id, "seconds": b.seconds}
                for b in log.block_records
            ],
        }

    def billing_summary(self) -> dict[str, Any]:
        return self.billing.summary()

    def state_summary(self) -> dict[str, Any]:
        """Counters: arrivals, faults applied, billing, autodialers, busy refusals."""
        return {
            "arrivals": self.arrivals.total,
            "rejected": self.arrivals.rejected,
            "blocks": len(self.arrivals.blocks),
            "faultsApplied": {
                f"{kind} {path}": n for (kind, path), n in sorted(self.faults.applied.items())
            },
            "faultRules": [rule.to_dict() for rule in self.faults.rules],
            "billingUnits": self.billing.total_units,
            "autodialers": len(self.autodial.autodialers),
            "numbers": sum(a.numbers.count for a in self.autodial.autodialers.values()),
            "calls": sum(len(a.calls) for a in self.autodial.autodialers.values()),
            "numberHandlerRefusals": self.number_handler.refusals,
        }

    # --- resets ----------------------------------------------------------------------------
    def reset(self) -> None:
        """Forget the arrival log and every block (the admin route POST /__admin/reset)."""
        self.arrivals.reset()
        self.limiter.reset()

    def reset_all(self) -> None:
        """Back to a freshly started sandbox: project, autodialers, endpoints, faults, billing."""
        self.reset()
        self.faults.reset()
        self.billing.reset()
        self._build_state()
