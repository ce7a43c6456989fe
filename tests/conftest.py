import os
from pathlib import Path

import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SCENARIOS = ROOT / "scenarios"


@pytest.fixture(autouse=True)
def _private_data_folder(tmp_path_factory, monkeypatch):
    """No test writes in the real user data folder: every test gets its own TEGENMACHT_HOME
    (a test may set its own on top)."""
    monkeypatch.setenv("TEGENMACHT_HOME", str(tmp_path_factory.mktemp("tegenmacht-home")))


FIXED_TIME = 1_750_000_000.0


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch):
    """Sessions note when each choice was made; two plays of the same game compare equal only
    when time stands still, so tests run on a clock that does (a test may set its own)."""
    from game.play.engine import Session

    monkeypatch.setattr(Session, "clock", staticmethod(lambda: FIXED_TIME))


@pytest.fixture
def example_path() -> Path:
    return SCENARIOS / "voorbeeld.yaml"


@pytest.fixture
def example():
    from game.scenario.validate import load_scenario

    return load_scenario(SCENARIOS / "voorbeeld.yaml")


@pytest.fixture
def story(example):
    from game.play.engine import Story

    return Story(example)
