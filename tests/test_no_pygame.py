"""The engine never imports pygame: only game/ui/ may."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENGINE = ["loader", "validate", "rules", "engine", "scoring", "model", "schema", "problems", "cli", "textplay",
          "records", "simulate", "check", "graph", "stats", "report", "watch", "tools", "palette", "i18n", "__main__"]

CODE = """
import importlib, sys
sys.argv = ["tegenmacht", "--help"]
names = sys.argv and %r
for name in names:
    path = "game/" + name + ".py"
    import os
    if not os.path.exists(path):
        continue
    if name == "__main__":
        continue  # running it would start the command
    importlib.import_module("game." + name)
from game import cli
cli._load_extras()
bad = sorted(m for m in sys.modules if m.split(".")[0] in ("pygame", "pygame_gui") or m.startswith("game.ui"))
print("IMPORTED:" + ",".join(bad))
"""


def test_engine_modules_do_not_import_pygame():
    present = [n for n in ENGINE if (ROOT / "game" / f"{n}.py").exists()]
    assert {"loader", "validate", "rules", "engine", "scoring", "cli"} <= set(present)
    result = subprocess.run([sys.executable, "-c", CODE % (present,)], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    line = [x for x in result.stdout.splitlines() if x.startswith("IMPORTED:")][-1]
    assert line == "IMPORTED:", f"the engine pulled in: {line[9:]}"


def test_validate_command_does_not_import_pygame(tmp_path):
    code = ("import sys; from game.cli import main; rc = main(['validate', 'scenarios/voorbeeld.yaml']); "
            "print('PG', any(m.split('.')[0] in ('pygame', 'pygame_gui') for m in sys.modules)); sys.exit(rc)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "PG False" in result.stdout
