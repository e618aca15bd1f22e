"""The project's account and service switches behind documented errors, as one table.

Each switch is a `Project` attribute that is true in a healthy project. A tester turns one
off at start-up (`SandboxConfig.switched_off`, the `--<flag>` options) or at run time
(`POST /__admin/account`), from outside the process, to provoke the errors it stands for.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from unitalk_async._reference import MAX_NUMBERS_PER_AUTODIALER
from unitalk_async.sandbox.config import AUTH_ERROR_STATUSES

if TYPE_CHECKING:
    from unitalk_async.sandbox.project import Project


@dataclass(frozen=True, slots=True)
class Switch:
    """One account or service state: where it lives, how it is named outside, what it causes."""

    attribute: str  # the Project attribute; True is the healthy state
    name: str  # its key under /__admin/account and in SandboxConfig.switched_off
    flag: str  # the start-up option that turns it off
    errors: tuple[str, ...]  # the documented answers it provokes when off


SWITCHES: Final = (
    Switch(
        "billing_allowed",
        "billingAllowed",
        "--billing-not-allowed",
        ("Billing not allow", "Service not paid", "UniTalk did not allow sending"),
    ),
    Switch("service_paid", "servicePaid", "--service-not-paid", ("Service not paid",)),
    Switch(
        "balance_ok",
        "fundsSufficient",
        "--insufficient-funds",
        ("Insufficient funds", "Service not paid", "UniTalk did not allow sending"),
    ),
    Switch(
        "phone_confirmed",
        "phoneConfirmed",
        "--phone-not-confirmed",
        ("Please confirm phone number",),
    ),
    Switch(
        "voice_analytics_available",
        "voiceAnalyticsAvailable",
        "--voice-analytics-unavailable",
        ("Voice analytics is not available",),
    ),
    Switch(
        "message_service_connected",
        "messageServiceConnected",
        "--message-service-not-connected",
        (
            "Message service not connected",
            "The project does not have a messaging service connected",
        ),
    ),
    Switch(
        "browser_extension_connected",
        "browserExtensionConnected",
        "--no-browser-extension",
        (
            "No users with connected chrome extension was found",
            "The specified users are not found or chrome extension not connected",
        ),
    ),
    # Failures of the services behind the API, which the reference documents as answers.
    Switch(
        "speech_synthesis_working",
        "speechSynthesisWorking",
        "--speech-synthesis-failing",
        ("Text to speech failed", "audios: Text to speech failed"),
    ),
    Switch(
        "message_provider_accepting",
        "messageProviderAccepting",
        "--message-provider-refusing",
        ("Service response: request limit exceeded",),
    ),
    Switch(
        "message_provider_reachable",
        "messageProviderReachable",
        "--message-provider-unreachable",
        ("Unknown error",),
    ),
)
SWITCH_NAMES: Final = frozenset(switch.name for switch in SWITCHES)


def account_state(project: Project) -> dict[str, bool]:
    """`{name: on}` for every switch (the body of GET /__admin/account)."""
    return {switch.name: bool(getattr(project, switch.attribute)) for switch in SWITCHES}


def set_account(project: Project, changes: dict[str, Any]) -> None:
    """Apply `{name: bool}`; refuses an unknown name or a non-boolean before changing anything."""
    for name, value in changes.items():
        if name not in SWITCH_NAMES:
            raise ValueError(f"unknown switch {name!r}; known: {', '.join(sorted(SWITCH_NAMES))}")
        if not isinstance(value, bool):
            raise ValueError(f"{name} must be true or false")
    for switch in SWITCHES:
        if switch.name in changes:
            setattr(project, switch.attribute, changes[switch.name])


_PROCESSING_TIMES = ("tts_delay", "analytics_delay", "scheduled_removal_seconds")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The start-up options of this module: one per switch, quotas, processing times, the
    key answer's status, the webhook token."""
    group = parser.add_argument_group("account and service states (also POST /__admin/account)")
    for switch in SWITCHES:
        group.add_argument(
            switch.flag,
            dest=f"switch_{switch.name}",
            action="store_true",
            help=f"start with {switch.name}=false: " + "; ".join(switch.errors),
        )
    parser.add_argument(
        "--processing-seconds",
        type=float,
        default=None,
        help="how long /audio/tts, /calls/analytics/create and removeScheduledByPhones take "
        "(default 0.01, 0.05, 0.02): the windows of their one-at-a-time answers",
    )
    parser.add_argument(
        "--max-autodialers", type=int, default=100, help='the "Tasks limit exceeded" cap'
    )
    parser.add_argument(
        "--max-numbers-per-autodialer",
        type=int,
        default=MAX_NUMBERS_PER_AUTODIALER,
        help='the "Numbers limit exceeded" cap (default: the reference\'s 1,000,000)',
    )
    parser.add_argument(
        "--auth-error-status",
        type=int,
        choices=AUTH_ERROR_STATUSES,
        default=401,
        help='HTTP status of the "Authorization invalid" answer (default 401)',
    )
    parser.add_argument(
        "--webhook-token",
        default=None,
        help="token of the incoming-webhook links (default: a generated one, printed)",
    )


def config_options(args: argparse.Namespace) -> dict[str, Any]:
    """The SandboxConfig keywords for what `add_arguments` parsed."""
    off = frozenset(s.name for s in SWITCHES if getattr(args, f"switch_{s.name}", False))
    seconds = args.processing_seconds
    processing = {} if seconds is None else dict.fromkeys(_PROCESSING_TIMES, seconds)
    return processing | {
        "switched_off": off,
        "auth_error_status": args.auth_error_status,
        "webhook_token": args.webhook_token,
        "max_autodialers": args.max_autodialers,
        "max_numbers_per_autodialer": args.max_numbers_per_autodialer,
    }
