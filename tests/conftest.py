import os
from pathlib import Path

import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SCENARIOS = ROOT / "scenarios"


@pytest.fixture
def example_path() -> Path:
    return SCENARIOS / "voorbeeld.yaml"


@pytest.fixture
def example():
    from game.validate import load_scenario

    return load_scenario(SCENARIOS / "voorbeeld.yaml")


@pytest.fixture
def story(example):
    from game.engine import Story

    return Story(example)
