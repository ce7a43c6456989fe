"""The score of a session: two axes, a profile and an archetype.

* **Axes**: tegenmacht (counter-power) and eigenaarschap (ownership), each as a
  percentage of its meter's range, so scenarios with other ranges compare.
* **Profile**: the share of each strategy tag (polderen, coalitie,
  confrontatie) and each agency tag (organiseren, mobiliseren, overnemen)
  among the choices made; untagged choices count as ``neutraal``.
* **Archetype**: the quadrant of the two axes, split at the scenario's
  ``threshold`` (50 by default): harmonie (low, low), held (power without
  ownership), gemeenschap (ownership without power), beweging (both).
* **Outcome**: what the game *says* the result was. The ending decides: an
  ending with its own ``outcome:`` label shows that (a collapse is never shown
  as "residents carry it together"); an ending that ``expect:`` quadrants
  shows the score's quadrant when it is one of them, else the expected quadrant
  nearest to the score — and the score is marked a **mismatch**, which
  ``check`` and ``simulate`` report so an author can fix the scenario.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from game.scenario.model import AGENCIES, QUADRANTS, STRATEGIES, Archetype, Ending, Scenario, Text

NEUTRAL = "neutraal"


@dataclass(frozen=True)
class Outcome:
    """What the end screen calls the result: a quadrant's archetype, or an ending's own label."""

    id: str  # a quadrant id, or "ending:<id>" for an ending's own label
    name: Text
    description: Text


@dataclass(frozen=True)
class Score:
    tegenmacht: float
    eigenaarschap: float
    strategy: dict[str, float]
    agency: dict[str, float]
    archetype: Archetype  # the quadrant of the two axes
    choices: int
    outcome: Outcome = None  # type: ignore[assignment]  # set by score(); what the screens show
    mismatch: bool = False  # the ending expects another quadrant than the score's

    @property
    def total(self) -> float:
        return self.tegenmacht + self.eigenaarschap

    def to_json(self) -> dict[str, Any]:
        return {"tegenmacht": self.tegenmacht, "eigenaarschap": self.eigenaarschap, "strategy": self.strategy,
                "agency": self.agency, "archetype": self.archetype.id, "choices": self.choices,
                "outcome": self.outcome.id if self.outcome else self.archetype.id, "mismatch": self.mismatch}


def axis(scenario: Scenario, meters: dict[str, int], name: str) -> float:
    """A meter as a percentage (0..100) of its range, rounded to one decimal."""
    m = scenario.meters[name]
    return round(100.0 * (meters[name] - m.min) / (m.max - m.min), 1)


def quadrant_of(threshold: float, tegenmacht: float, eigenaarschap: float) -> str:
    return {(False, False): "harmonie", (True, False): "held", (False, True): "gemeenschap",
            (True, True): "beweging"}[(tegenmacht >= threshold, eigenaarschap >= threshold)]


def archetype_for(scenario: Scenario, tegenmacht: float, eigenaarschap: float) -> Archetype:
    return scenario.archetypes[quadrant_of(scenario.threshold, tegenmacht, eigenaarschap)]


def quadrant(scenario: Scenario, meters: dict[str, int]) -> str:
    """The quadrant id of a state's meters."""
    return quadrant_of(scenario.threshold, axis(scenario, meters, "tegenmacht"), axis(scenario, meters, "eigenaarschap"))


_CORNER = {"harmonie": (0, 0), "held": (1, 0), "gemeenschap": (0, 1), "beweging": (1, 1)}


def outcome_of(scenario: Scenario, ending: Ending | None, tegenmacht: float, eigenaarschap: float
               ) -> tuple[Outcome, bool]:
    """(what the screens call the result, whether the score contradicts the ending)."""
    q = quadrant_of(scenario.threshold, tegenmacht, eigenaarschap)
    if ending is not None and ending.outcome.nl:
        return Outcome(f"ending:{ending.id}", ending.outcome, ending.debrief[0].text if ending.debrief and
                       ending.debrief[0].condition is None else Text("")), False
    if ending is None or not ending.expect or q in ending.expect:
        a = scenario.archetypes[q]
        return Outcome(q, a.name, a.description), False
    t, e = tegenmacht >= scenario.threshold, eigenaarschap >= scenario.threshold
    nearest = min(ending.expect, key=lambda x: (abs(_CORNER[x][0] - t) + abs(_CORNER[x][1] - e), QUADRANTS.index(x)))
    a = scenario.archetypes[nearest]
    return Outcome(nearest, a.name, a.description), True


def profile(tags: list[str | None], names: tuple[str, ...]) -> dict[str, float]:
    counts = {n: 0 for n in names}
    counts[NEUTRAL] = 0
    for tag in tags:
        counts[tag if tag in counts else NEUTRAL] += 1
    total = len(tags) or 1
    return {k: round(v / total, 3) for k, v in counts.items()}


def tag_profile(counts: dict[str, int], turns: int, names: tuple[str, ...]) -> dict[str, float]:
    """The share of each tag among ``turns`` choices (untagged: ``neutraal``)."""
    total = turns or 1
    out = {n: round(counts.get(n, 0) / total, 3) for n in names}
    out[NEUTRAL] = round((turns - sum(counts.get(n, 0) for n in names)) / total, 3)
    return out


def score(state: Any) -> Score:
    """Score a session or play state (finished or not) from its meters and tag counts."""
    sc: Scenario = state.scenario
    t = axis(sc, state.meters, "tegenmacht")
    e = axis(sc, state.meters, "eigenaarschap")
    outcome, mismatch = outcome_of(sc, sc.endings.get(state.state if hasattr(state, "state") else state.scene), t, e)
    return Score(t, e, tag_profile(state.counts, state.turns, STRATEGIES), tag_profile(state.counts, state.turns, AGENCIES),
                 archetype_for(sc, t, e), state.turns, outcome, mismatch)
