"""The score of a session: two axes, a profile and an archetype.

* **Axes**: tegenmacht (counter-power) and eigenaarschap (ownership), each as a
  percentage of its meter's range, so scenarios with other ranges compare.
* **Profile**: the share of each strategy tag (polderen, coalitie,
  confrontatie) and each agency tag (organiseren, mobiliseren, overnemen)
  among the choices made; untagged choices count as ``neutraal``.
* **Archetype**: the quadrant of the two axes, split at the scenario's
  ``threshold`` (50 by default): harmonie (low, low), held (power without
  ownership), gemeenschap (ownership without power), beweging (both).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .model import AGENCIES, STRATEGIES, Archetype, Scenario

NEUTRAL = "neutraal"


@dataclass(frozen=True)
class Score:
    tegenmacht: float
    eigenaarschap: float
    strategy: dict[str, float]
    agency: dict[str, float]
    archetype: Archetype
    choices: int

    @property
    def total(self) -> float:
        return self.tegenmacht + self.eigenaarschap

    def to_json(self) -> dict[str, Any]:
        return {"tegenmacht": self.tegenmacht, "eigenaarschap": self.eigenaarschap, "strategy": self.strategy,
                "agency": self.agency, "archetype": self.archetype.id, "choices": self.choices}


def axis(scenario: Scenario, meters: dict[str, int], name: str) -> float:
    """A meter as a percentage (0..100) of its range, rounded to one decimal."""
    m = scenario.meters[name]
    return round(100.0 * (meters[name] - m.min) / (m.max - m.min), 1)


def archetype_for(scenario: Scenario, tegenmacht: float, eigenaarschap: float) -> Archetype:
    high_power = tegenmacht >= scenario.threshold
    high_own = eigenaarschap >= scenario.threshold
    key = {(False, False): "harmonie", (True, False): "held",
           (False, True): "gemeenschap", (True, True): "beweging"}[(high_power, high_own)]
    return scenario.archetypes[key]


def profile(tags: list[str | None], names: tuple[str, ...]) -> dict[str, float]:
    counts = {n: 0 for n in names}
    counts[NEUTRAL] = 0
    for tag in tags:
        counts[tag if tag in counts else NEUTRAL] += 1
    total = len(tags) or 1
    return {k: round(v / total, 3) for k, v in counts.items()}


def score(session: Any) -> Score:
    """Score a session (finished or not) from its meters and history."""
    sc: Scenario = session.scenario
    made = [sc.scenes[h.scene].choices for h in session.history]
    chosen = []
    for h, options in zip(session.history, made):
        chosen.append(next(c for c in options if c.id == h.choice))
    t = axis(sc, session.meters, "tegenmacht")
    e = axis(sc, session.meters, "eigenaarschap")
    return Score(t, e, profile([c.strategy for c in chosen], STRATEGIES),
                 profile([c.agency for c in chosen], AGENCIES), archetype_for(sc, t, e), len(chosen))
