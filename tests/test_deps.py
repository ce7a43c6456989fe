"""A package Tegenmacht needs is missing: one sentence at start, exit 1, no traceback."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from game import deps

ROOT = Path(__file__).resolve().parent.parent

HIDE = """
import sys
class Hide:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == %r:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None
sys.meta_path.insert(0, Hide())
sys.argv = ["tegenmacht"] + %r
from game.cli import main
sys.exit(main(sys.argv[1:]))
"""


def run_without(package: str, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", HIDE % (package, list(argv))], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


@pytest.mark.parametrize("package, pip_name", [("jinja2", "Jinja2"), ("yaml", "PyYAML"), ("aiohttp", "aiohttp")])
def test_a_missing_package_is_one_sentence_at_start(package, pip_name):
    r = run_without(package, "validate", "scenarios/voorbeeld.yaml")
    assert r.returncode == 1, r.stderr
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr, r.stderr
    assert f"'{pip_name}'" in r.stderr and "python3 run.py" in r.stderr and "mist het Python-pakket" in r.stderr


def test_the_sentence_follows_lang():
    r = run_without("segno", "--lang", "en", "validate", "scenarios/voorbeeld.yaml")
    assert r.returncode == 1 and "is missing the Python package 'segno'" in r.stderr, r.stderr


def test_nothing_is_missing_here():
    assert deps.missing() is None
    deps.require([])  # returns quietly


def test_missing_names_the_first_package_that_is_not_there(monkeypatch):
    monkeypatch.setattr(deps, "REQUIRED", {"json": "json", "geen_pakket_x": "geen-pakket-x", "yaml": "PyYAML"})
    assert deps.missing() == "geen_pakket_x"
    assert deps.missing(["json"]) is None
    with pytest.raises(SystemExit) as err:
        deps.require(["--lang=en"])
    assert err.value.code == 1
