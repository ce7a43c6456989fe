"""The engine never imports pygame: only game/ui/ may (every other module is found by walking game/)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def non_ui_modules() -> list[str]:
    names = []
    for path in sorted((ROOT / "game").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if "ui" in parts or parts[-1] == "__main__":  # __main__ would start the command
            continue
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


CODE = """
import importlib, sys
sys.argv = ["tegenmacht", "--help"]
for name in %r:
    importlib.import_module(name)
from game import cli
cli.build_parser()
bad = sorted(m for m in sys.modules if m.split(".")[0] in ("pygame", "pygame_gui") or m.startswith("game.ui"))
print("IMPORTED:" + ",".join(bad))
"""


def test_engine_modules_do_not_import_pygame():
    names = non_ui_modules()
    assert {"game.scenario.loader", "game.scenario.validate", "game.play.engine", "game.play.turn",
            "game.records.store", "game.tools.simulate", "game.text.play", "game.cli"} <= set(names)
    result = subprocess.run([sys.executable, "-c", CODE % (names,)], cwd=ROOT, capture_output=True, text=True,
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
