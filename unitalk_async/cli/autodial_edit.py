"""`unitalk autodial create|update`: an autodialer from flags, from a JSON or TOML file in
the wire format `unitalk --json autodial show` prints, or both (flags win)."""

from __future__ import annotations

import json
import re
import sys
import tomllib
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Any

import msgspec
import typer

from unitalk_async import UnitalkClient, ValidationError, to_builtins
from unitalk_async._codec import decode
from unitalk_async.cli._output import err_console, fail, print_json
from unitalk_async.cli._session import (
    CommandError,
    JsonOption,
    completer,
    run,
    settings_of,
    upper_choice,
)
from unitalk_async.models.autodial import (
    Autodialer,
    AutodialerTask,
    AutodialTask,
    GuaranteedDialTask,
    VoiceRobotTask,
)
from unitalk_async.models.enums import AutodialerMode, AutodialerType, ClientCalledMode, CrmMode

TASK_TYPES: dict[str, type[msgspec.Struct]] = {
    "AUTODIAL": AutodialTask,
    "GUARANTEED_DIAL": GuaranteedDialTask,
    "VOICE_ROBOT": VoiceRobotTask,
}
TYPES = [str(t) for t in AutodialerType]
MODES = [str(m) for m in AutodialerMode]
CRM_MODES = [str(m) for m in CrmMode]
CLIENT_CALLED_MODES = [str(m) for m in ClientCalledMode]
#: What `create` assumes when neither the file nor a flag says: an AUTODIAL autodialer,
#: one line, working hours every day, for thirty days from today.
DEFAULT_DAYS = 30
DEFAULT_HOURS = "09:00-19:00"


def _defaults(today: date) -> dict[str, Any]:
    return {
        "autodialerType": "AUTODIAL",
        "autodialerMode": "FIXED",
        "threadCount": 1,
        "startDate": today.isoformat(),
        "endDate": (today + timedelta(days=DEFAULT_DAYS)).isoformat(),
        "timeFrom": [DEFAULT_HOURS.split("-")[0]] * 7,
        "timeTo": [DEFAULT_HOURS.split("-")[1]] * 7,
        "crmMode": "DONT_SEND",
        "clientCalledMode": "NEVER",
    }


def _camel(key: str) -> str:
    """TOML files may spell keys snake_case; the wire's are camelCase."""
    return re.sub(r"_([a-z])", lambda m: m.group(1).upper(), key)


def read_task_file(path: Path) -> dict[str, Any]:
    """A task from JSON (or TOML, by suffix; '-' is JSON on stdin), keys camelCased."""
    try:
        if str(path) == "-":
            data = json.loads(sys.stdin.read())
        elif path.suffix.lower() == ".toml":
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        else:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        fail(f"--from-file: cannot read {path}: {exc.strerror or exc}", 2)
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        fail(f"--from-file: {path} is not valid {path.suffix.lstrip('.') or 'JSON'}: {exc}", 2)
    if not isinstance(data, dict):
        fail(f"--from-file: {path} must hold one object (an autodialer's settings)", 2)
    return {_camel(key): value for key, value in data.items()}


def parse_hours(value: str, option: str = "--hours") -> tuple[str, str]:
    """'09:00-19:00' as ("09:00", "19:00")."""
    match = re.fullmatch(r"\s*(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*", value)
    if match is None:
        fail(f"{option}: expected 'HH:mm-HH:mm', e.g. {DEFAULT_HOURS}, got {value!r}", 2)
    return match.group(1).zfill(5), match.group(2).zfill(5)


def build_task(
    data: dict[str, Any], *, source: str, keep_id: bool, given: set[str] | None = None
) -> AutodialerTask:
    """The typed task for `data` (wire keys): fields only `show` has (statistics, status)
    are left out, and named on stderr when the user `given` them; unknown keys and bad
    values end the command."""
    kind = data.get("autodialerType")
    if kind not in TASK_TYPES:
        fail(f"{source}: autodialerType must be one of {', '.join(TYPES)}, got {kind!r}", 2)
    task_type = TASK_TYPES[kind]
    accepted = set(task_type.__struct_encode_fields__) | {"autodialerType"}
    if not keep_id:
        accepted.discard("id")
    shown = set(Autodialer.__struct_encode_fields__) | {"id", "taskStatusInfo"}
    unknown = sorted(key for key in data if key not in accepted and key not in shown)
    if unknown:
        fail(
            f"{source}: unknown fields {', '.join(unknown)} (see `unitalk --json autodial show`)", 2
        )
    mentioned = data.keys() if given is None else given
    left_out = sorted(
        k for k in mentioned if k not in accepted and data.get(k) not in (None, [], {})
    )
    if left_out:
        err_console().print(
            f"[dim]{source}: left out (not settings of an autodialer of type {kind}): "
            f"{', '.join(left_out)}[/]"
        )
    kept = {key: value for key, value in data.items() if key in accepted and value is not None}
    try:
        task: AutodialerTask = decode(msgspec.json.encode(kept), AutodialerTask)
    except msgspec.ValidationError as exc:
        fail(f"{source}: {exc}", 2)
    except (ValidationError, ValueError) as exc:
        fail(f"{source}: {getattr(exc, 'message', exc)}", 2)
    return task


# --- the flags both commands take ------------------------------------------------------
FileOption = Annotated[
    Path | None,
    typer.Option(
        "--from-file",
        help="Settings from JSON or TOML (.toml), as `unitalk --json autodial show` prints.",
        metavar="FILE",
    ),
]
NameOption = Annotated[str | None, typer.Option("--name", help="The autodialer's name.")]
TypeOption = Annotated[
    str | None,
    typer.Option(
        "--type",
        help=f"{', '.join(TYPES)} (default AUTODIAL).",
        callback=upper_choice(TYPES, "type"),
        autocompletion=completer(TYPES),
    ),
]
ModeOption = Annotated[
    str | None,
    typer.Option(
        "--mode",
        help=f"{', '.join(MODES)} (default FIXED).",
        callback=upper_choice(MODES, "mode"),
        autocompletion=completer(MODES),
    ),
]
ScenarioOption = Annotated[
    int | None, typer.Option("--scenario-id", help="The incoming scenario run after the audio.")
]
GroupOption = Annotated[
    int | None,
    typer.Option("--group-id", help="The operators' group (FREE, SMART, GUARANTEED_DIAL)."),
]
SecretaryOption = Annotated[
    int | None, typer.Option("--voice-secretary-id", help="The voice secretary (VOICE_ROBOT).")
]
ThreadsOption = Annotated[
    int | None, typer.Option("--threads", min=1, help="Simultaneous calls (FIXED mode).")
]
StartOption = Annotated[str | None, typer.Option("--start", help="First day, yyyy-MM-dd.")]
EndOption = Annotated[str | None, typer.Option("--end", help="Last day, yyyy-MM-dd.")]
HoursOption = Annotated[
    str | None, typer.Option("--hours", help=f"Calling hours every day, e.g. {DEFAULT_HOURS}.")
]
CrmOption = Annotated[
    str | None,
    typer.Option(
        "--crm-mode",
        help=f"{', '.join(CRM_MODES)} (default DONT_SEND).",
        callback=upper_choice(CRM_MODES, "CRM mode"),
        autocompletion=completer(CRM_MODES),
    ),
]


def _from_flags(**flags: Any) -> dict[str, Any]:
    """The wire fields the flags set (those given)."""
    wire = {
        "name": "name",
        "kind": "autodialerType",
        "mode": "autodialerMode",
        "scenario_id": "scenarioId",
        "group_id": "groupId",
        "voice_secretary_id": "voiceSecretaryId",
        "threads": "threadCount",
        "start": "startDate",
        "end": "endDate",
        "crm_mode": "crmMode",
    }
    data = {
        wire[name]: value for name, value in flags.items() if name in wire and value is not None
    }
    if flags.get("hours") is not None:
        start, end = parse_hours(flags["hours"])
        data["timeFrom"], data["timeTo"] = [start] * 7, [end] * 7
    return data


def create(
    ctx: typer.Context,
    from_file: FileOption = None,
    name: NameOption = None,
    kind: TypeOption = None,
    mode: ModeOption = None,
    scenario_id: ScenarioOption = None,
    group_id: GroupOption = None,
    voice_secretary_id: SecretaryOption = None,
    threads: ThreadsOption = None,
    start: StartOption = None,
    end: EndOption = None,
    hours: HoursOption = None,
    crm_mode: CrmOption = None,
    json: JsonOption = False,
) -> None:
    """Create an autodialer; prints its id.

    Without a file, an AUTODIAL autodialer in FIXED mode with one line, calling 09:00-19:00
    every day for 30 days from today; flags override the file's values.

    \b
    Examples:
      unitalk autodial create --name Spring --scenario-id 70
      unitalk --json autodial show 42 > spring.json      # edit, then:
      unitalk autodial create --from-file spring.json --name "Spring, again"
    """
    settings = settings_of(ctx, json)
    data = _defaults(date.today())
    source = "the flags"
    if from_file is not None:
        data |= read_task_file(from_file)
        source = str(from_file)
    data |= _from_flags(
        name=name, kind=kind, mode=mode, scenario_id=scenario_id, group_id=group_id,
        voice_secretary_id=voice_secretary_id, threads=threads, start=start, end=end,
        hours=hours, crm_mode=crm_mode,
    )  # fmt: skip
    if "name" not in data:
        fail('give the autodialer a name: --name NAME (or "name" in --from-file)', 2)
    task = build_task(data, source=source, keep_id=False)

    async def job(client: UnitalkClient) -> int:
        created = await client.autodial.add(task)
        return created.id

    autodialer_id = run(settings, f"creating autodialer {task.name!r}", job)
    if settings.json:
        print_json({"id": autodialer_id, "name": task.name})
    else:
        typer.echo(f"Autodialer {autodialer_id} created: {task.name}.")


def update(
    ctx: typer.Context,
    autodialer_id: Annotated[
        int, typer.Argument(help="The autodialer's id.", metavar="AUTODIALER_ID")
    ],
    from_file: FileOption = None,
    name: NameOption = None,
    mode: ModeOption = None,
    scenario_id: ScenarioOption = None,
    group_id: GroupOption = None,
    voice_secretary_id: SecretaryOption = None,
    threads: ThreadsOption = None,
    start: StartOption = None,
    end: EndOption = None,
    hours: HoursOption = None,
    crm_mode: CrmOption = None,
    json: JsonOption = False,
) -> None:
    """Change an autodialer's settings: its current ones, with the file's and the flags'
    values over them (the type cannot change).

    \b
    Examples:
      unitalk autodial update 42 --hours 10:00-18:00 --threads 3
      unitalk autodial update 42 --from-file spring.toml
    """
    settings = settings_of(ctx, json)
    changes: dict[str, Any] = {}
    if from_file is not None:
        changes |= read_task_file(from_file)
    changes |= _from_flags(
        name=name, mode=mode, scenario_id=scenario_id, group_id=group_id,
        voice_secretary_id=voice_secretary_id, threads=threads, start=start, end=end,
        hours=hours, crm_mode=crm_mode,
    )  # fmt: skip
    if not changes:
        fail("nothing to change: give --from-file or a setting (see --help)", 2)
    source = str(from_file) if from_file is not None else "the flags"

    async def job(client: UnitalkClient) -> str:
        current = (await client.autodial.get_with_data()).task(autodialer_id)
        if current is None:
            raise CommandError(f"no autodialer {autodialer_id} (see `unitalk autodial list`)")
        data = to_builtins(current)
        if changes.get("autodialerType", data["autodialerType"]) != data["autodialerType"]:
            raise CommandError(f"the type of autodialer {autodialer_id} cannot change")
        task = build_task(
            data | changes | {"id": autodialer_id},
            source=source,
            keep_id=True,
            given=set(changes),
        )
        await client.autodial.update(task)
        return task.name

    name_now = run(settings, f"updating autodialer {autodialer_id}", job)
    if settings.json:
        print_json({"id": autodialer_id, "name": name_now, "status": "Success"})
    else:
        typer.echo(f"Autodialer {autodialer_id} updated.")
