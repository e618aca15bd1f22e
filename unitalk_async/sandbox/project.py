"""The sandbox project's reference data (users, lines, groups, audios, ...) and its generators.

`Project.generate(config)` builds the same project for the same seed. Every collection is a
plain dict or list that endpoint handlers read and mutate in place; `next_id(kind)` hands
out fresh ids above every generated one.
"""

from __future__ import annotations

import itertools
import random
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from unitalk_async.sandbox.account import set_account
from unitalk_async.sandbox.config import SandboxConfig
from unitalk_async.sandbox.dictionaries import CALL_EVENTS, TASK_EVENTS

WorkStatus = Literal["WORK", "STOP", "PAUS"]
LineStatus = Literal["online", "busy", "offline"]
AudioType = Literal["GENERAL", "IVR", "MELODY", "AUTODIAL", "API", "VOICE_ROBOT", "VOICE_QUEUE"]
GroupType = Literal["SIP", "GSM"]  # only SIP groups are "groups of internal lines"

AUDIO_TYPES: tuple[AudioType, ...] = ("GENERAL", "IVR", "MELODY", "AUTODIAL", "API")
WORK_STATUS_NAMES: dict[WorkStatus, tuple[str, ...]] = {
    "WORK": ("Cold Calling", "Incoming line", "Follow-ups"),
    "PAUS": ("Lunch", "Break", "Training"),
    "STOP": ("Non-working hours", "Day off"),
}

FIRST_NAMES = (
    "John", "Olena", "Maria", "Taras", "Iryna", "Andrii", "Sofia", "Dmytro", "Anna",
    "Oleh", "Kateryna", "Serhii", "Yulia", "Mykola", "Natalia", "Petro",
)  # fmt: skip
LAST_NAMES = (
    "Callid", "Shevchenko", "Kovalenko", "Bondarenko", "Tkachenko", "Kravchenko",
    "Melnyk", "Boyko", "Moroz", "Lysenko", "Marchenko", "Rudenko",
)  # fmt: skip
MIDDLE_NAMES = ("Triple", "Ivanovych", "Petrivna", None, None)
ROLES = ("ADMIN", "MANAGER", "OPERATOR", "OPERATOR", "OPERATOR")
COUNTRY_PREFIXES = ("38097", "38067", "38050", "38063", "38093", "38099")


@dataclass(slots=True)
class User:
    """A project user (`/users/list` item), attributes in snake_case."""

    id: int
    email: str
    first_name: str
    last_name: str | None
    middle_name: str | None
    phone: int | None  # the inner line assigned to the user
    role: str
    work_status: WorkStatus
    work_status_name: str | None
    chrome_extension: bool = True  # Web Dialer connected (widget notifications)


@dataclass(slots=True)
class Group:
    """A telephony department: a group of inner lines (`SIP`) or of outside numbers."""

    id: int
    name: str
    type: GroupType
    phones: list[str]  # line numbers for SIP groups, phone numbers for GSM ones


@dataclass(slots=True)
class Audio:
    id: int
    name: str
    type: AudioType


@dataclass(slots=True)
class TriggerAction:
    """An event handler: its action type, and the autodialer events it may be bound to."""

    id: int
    name: str
    action_type: str
    events: frozenset[str]


@dataclass(slots=True)
class OuterLine:
    number: str
    tracked: bool  # tracking lines cannot make outgoing calls ("Outer line is tracked")


@dataclass
class Project:
    """One Unitalk project: every entity the API refers to by id or number."""

    project_name: str
    users: dict[int, User] = field(default_factory=dict)
    lines: dict[str, LineStatus] = field(default_factory=dict)  # inner line -> status
    groups: dict[int, Group] = field(default_factory=dict)
    audios: dict[int, Audio] = field(default_factory=dict)
    tts_profiles: dict[int, str] = field(default_factory=dict)
    stt_profiles: dict[int, str] = field(default_factory=dict)
    scenarios: dict[int, str] = field(default_factory=dict)  # incoming
    out_scenarios: dict[int, str] = field(default_factory=dict)
    voice_secretaries: dict[int, str] = field(default_factory=dict)
    trigger_actions: dict[int, TriggerAction] = field(default_factory=dict)
    ivrs: dict[int, str] = field(default_factory=dict)
    sites: dict[int, str] = field(default_factory=dict)
    contact_forms: dict[int, str] = field(default_factory=dict)
    outer_lines: dict[str, OuterLine] = field(default_factory=dict)
    voice_analytics_profiles: dict[int, str] = field(default_factory=dict)
    work_status_names: dict[WorkStatus, tuple[str, ...]] = field(
        default_factory=lambda: dict(WORK_STATUS_NAMES)
    )
    # Tokens of the incoming-webhook links (/tracking/webhook/event?token=...).
    webhook_tokens: set[str] = field(default_factory=set)
    # Account switches behind documented errors ("Please confirm phone number", ...).
    # One table (sandbox/account.py) names them for /__admin/account and the start-up flags.
    phone_confirmed: bool = True
    billing_allowed: bool = True
    service_paid: bool = True
    message_service_connected: bool = True
    balance_ok: bool = True
    voice_analytics_available: bool = True
    browser_extension_connected: bool = True  # False: no user has the Web Dialer extension
    speech_synthesis_working: bool = True
    message_provider_accepting: bool = True
    message_provider_reachable: bool = True
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(100_000), repr=False)

    def next_id(self, kind: str = "") -> int:
        """A fresh id, above every generated one; unique across kinds, which is harmless."""
        del kind  # one counter serves every kind: ids never collide, tests stay simple
        return next(self._ids)

    def audios_of(self, audio_type: str) -> dict[int, str]:
        """The `"ID": "Title"` dictionary of the audios of one section."""
        return {a.id: a.name for a in self.audios.values() if a.type == audio_type}

    def user_by_line(self, line: str) -> User | None:
        for user in self.users.values():
            if user.phone is not None and str(user.phone) == line:
                return user
        return None

    @classmethod
    def generate(cls, config: SandboxConfig) -> Project:
        """The project for `config.seed`: same seed, same project."""
        return _generate(random.Random(config.seed), config)


def random_phone(rng: random.Random) -> str:
    """A plausible 12-digit Ukrainian mobile number in international format."""
    return rng.choice(COUNTRY_PREFIXES) + f"{rng.randrange(10_000_000):07d}"


def _generate(rng: random.Random, config: SandboxConfig) -> Project:
    project = Project(project_name=f"sandbox-{config.seed}")
    line_numbers = [str(1000 + i) for i in range(max(config.lines, 1))]
    for number in line_numbers:
        project.lines[number] = rng.choice(("online", "online", "busy", "offline"))
    for i in range(config.users):
        status: WorkStatus = rng.choice(("WORK", "WORK", "PAUS", "STOP"))
        first, last = FIRST_NAMES[i % len(FIRST_NAMES)], rng.choice(LAST_NAMES)
        project.users[10_000 + i] = User(
            id=10_000 + i,
            email=f"{first.lower()}.{i}@example.com",
            first_name=first,
            last_name=last,
            middle_name=rng.choice(MIDDLE_NAMES),
            phone=int(line_numbers[i]) if i < len(line_numbers) else None,
            role=ROLES[0] if i == 0 else rng.choice(ROLES),
            work_status=status,
            work_status_name=rng.choice(WORK_STATUS_NAMES[status]),
        )
    group_names = ("Sales department", "Support", "Retention", "Night shift", "Partners")
    for i in range(max(config.groups, 1)):
        members = rng.sample(line_numbers, k=min(len(line_numbers), rng.randint(2, 5)))
        project.groups[300 + i] = Group(300 + i, group_names[i % len(group_names)], "SIP", members)
    # One group of outside numbers: the target of "Wrong group type".
    project.groups[399] = Group(399, "Mobile forwarding", "GSM", [random_phone(rng)])
    audio_id = 46_600
    for audio_type in AUDIO_TYPES:
        for n in range(3):
            project.audios[audio_id] = Audio(
                audio_id, f"{audio_type.lower()}_audio_{n + 1}", audio_type
            )
            audio_id += 1
    project.tts_profiles = {18: "Pretty woman voice", 16: "Calm man voice", 117: "Fast robot"}
    project.stt_profiles = {31: "Ukrainian recognition", 32: "English recognition"}
    project.scenarios = {70: "Main with IVR", 71: "After hours", 4567: "Main"}
    project.out_scenarios = {5678: "From a fixed number", 5679: "Round robin"}
    project.voice_secretaries = {
        25: "Survey robot",
        97: "Appointment reminder",
        118: "Lead qualifier",
    }
    project.ivrs = {211: "Distribution by departments", 212: "Language choice"}
    project.sites = {501: "example.com", 502: "shop.example.com"}
    project.contact_forms = {601: "Callback form", 602: "Order form"}
    project.voice_analytics_profiles = {123: "Sample Name", 124: "Sales quality"}
    project.trigger_actions = {
        2: TriggerAction(
            2, "[Telegram] Personal notification", "TELEGRAM", CALL_EVENTS | TASK_EVENTS
        ),
        3: TriggerAction(3, "[Webhook] CRM lead", "WEBHOOK", CALL_EVENTS | TASK_EVENTS),
        4: TriggerAction(4, "[Telegram] Team chat", "TELEGRAM", CALL_EVENTS | TASK_EVENTS),
        11: TriggerAction(11, "[SMS] Thank you message", "SMS", CALL_EVENTS),
        123: TriggerAction(123, "[Email] Campaign report", "EMAIL", TASK_EVENTS),
    }
    for _ in range(3):
        number = random_phone(rng)
        project.outer_lines[number] = OuterLine(number, tracked=False)
    tracked = random_phone(rng)
    project.outer_lines[tracked] = OuterLine(tracked, tracked=True)
    # The token is random (not seeded) unless given: a webhook link is a credential of sorts.
    # A Sandbox replaces it with the one it drew at start-up.
    project.webhook_tokens.add(config.webhook_token or secrets.token_urlsafe(15))
    set_account(project, dict.fromkeys(config.switched_off, False))
    return project
