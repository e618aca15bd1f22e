#!/usr/bin/env python3
"""Set up the project's virtualenv and run its jobs: `python3 run.py demo|test|lint|bench`.

Needs only Python 3.11+. The first run creates `.venv/` and installs the package with
its extras and dev tools, pinned by `constraints.txt`; later runs reuse it until
`pyproject.toml` or `constraints.txt` change.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
STAMP = VENV / ".installed"

JOBS: dict[str, list[list[str]]] = {
    "demo": [[str(PY), "-m", "unitalk_async.demo"]],
    "test": [[str(PY), "-m", "pytest", "-q"]],
    "lint": [
        [str(PY), "-m", "ruff", "check", "."],
        [str(PY), "-m", "ruff", "format", "--check", "."],
        [str(PY), "-m", "mypy", "--strict", "unitalk_async"],
    ],
    "bench": [[str(PY), "benchmarks/run_all.py"]],
}


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for name in ("pyproject.toml", "constraints.txt"):
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def ensure_venv() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - run.py is what tells older Pythons so
        sys.exit(f"unitalk-async needs Python 3.11+, this is {sys.version.split()[0]}")
    if not PY.exists():
        print("run.py: creating .venv", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    if STAMP.exists() and STAMP.read_text() == _fingerprint():
        return
    print("run.py: installing unitalk-async[dev] into .venv (first run only)", flush=True)
    pip = [str(PY), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "-c", str(ROOT / "constraints.txt"), "-e", f"{ROOT}[dev]"], check=True)
    STAMP.write_text(_fingerprint())


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in JOBS:
        print(f"usage: python3 run.py {{{'|'.join(JOBS)}}} [extra args]", file=sys.stderr)
        return 2
    job, extra = argv[0], argv[1:]
    ensure_venv()
    commands = JOBS[job]
    for i, command in enumerate(commands):
        last = i == len(commands) - 1
        code = subprocess.run([*command, *(extra if last else [])], cwd=ROOT).returncode
        if code != 0:
            return code
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
