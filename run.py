#!/usr/bin/env python3
"""One-command set-up and start for Tegenmacht, on Linux, macOS and Windows.

    python3 run.py            start the game (window; --text for the terminal)
    python3 run.py test       run the test suite
    python3 run.py ARGS...    any command of ``tegenmacht`` (validate, play, ...)

The first run makes a private virtual environment in ``.venv`` beside this
file and installs Tegenmacht into it, so a system Python that is "externally
managed" (PEP 668) is never touched. Later runs reuse it and reinstall only
when ``pyproject.toml`` changed. Standard library only: this file must run
before anything is installed.
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
MIN_PYTHON = (3, 10)


def fail(message: str) -> "NoReturn":  # noqa: F821 - string annotation only
    print(f"Error: {message}", file=sys.stderr)
    raise SystemExit(2)


def venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def installed_extras(digest: str) -> set[str]:
    """Which installs ("", "test") the stamp file records for this pyproject.toml."""
    stamp = VENV / ".tegenmacht-installed"
    if not stamp.exists():
        return set()
    lines = stamp.read_text(encoding="utf-8").split()
    return {line.split(":", 1)[1] for line in lines if line.startswith(digest + ":")}


def ensure_env(extra: str) -> Path:
    """Create .venv and install the project (with ``extra``) when needed."""
    python = venv_python()
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()[:16]
    done = installed_extras(digest) if python.exists() else set()
    if extra in done or "test" in done:
        return python
    if not python.exists():
        print("Tegenmacht: making a private Python environment in .venv (once) ...", flush=True)
        try:
            venv.EnvBuilder(with_pip=True).create(VENV)
        except Exception:  # ensurepip missing (Debian/Ubuntu without python3-venv)
            venv.EnvBuilder(with_pip=False, clear=True).create(VENV)
    has_pip = subprocess.call([str(python), "-m", "pip", "--version"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL) == 0
    if not has_pip and subprocess.call([sys.executable, "-m", "pip", "--version"], stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL) != 0:
        fail("this Python cannot make a virtual environment with pip; install the "
             "'python3-venv' package (e.g. 'sudo apt install python3-venv') and run again.")
    pip = [str(python), "-m", "pip"] if has_pip else [sys.executable, "-m", "pip", "--python", str(python)]
    target = ".[test]" if extra == "test" else "."
    print(f"Tegenmacht: installing {target} and its dependencies ...", flush=True)
    code = subprocess.call(pip + ["install", "--disable-pip-version-check", "-q", "-e", target], cwd=ROOT)
    if code != 0:
        fail("installing the dependencies failed (see the lines above); check the internet "
             "connection and run the same command again.")
    with open(VENV / ".tegenmacht-installed", "a", encoding="utf-8") as stamp:
        stamp.write(f"{digest}:{extra}\n")
    return python


def main(argv: list[str]) -> int:
    if sys.version_info < MIN_PYTHON:
        fail("Tegenmacht needs Python 3.10 or newer; this is Python %d.%d." % sys.version_info[:2])
    if argv[:1] == ["test"]:
        python = ensure_env("test")
        command = [str(python), "-m", "pytest", *argv[1:]]
    else:
        python = ensure_env("")
        command = [str(python), "-m", "game", *argv]
    try:
        return subprocess.call(command, cwd=ROOT if argv[:1] == ["test"] else None)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
