"""Where the scenarios that ship with the game are."""
from __future__ import annotations

from pathlib import Path

SCENARIO_DIR = Path(__file__).resolve().parents[2] / "scenarios"


def shipped_scenarios() -> list[Path]:
    """The scenario files that ship with the game."""
    return sorted(SCENARIO_DIR.glob("*.yaml")) + sorted(SCENARIO_DIR.glob("*.yml"))
