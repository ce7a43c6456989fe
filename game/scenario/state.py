"""The play state: everything that changes in one playthrough, in one copyable object.

Scenario conditions (``game.scenario.rules``) are tested against it, so it lives in
the scenario layer: the validator tests an ending against the start of play with the
same object the game plays on. The rules that change it are in ``game.play.turn``.
"""
from __future__ import annotations

from typing import Any, Optional

from game.scenario.model import TAGS, Choice, Ending, Later, Scenario
from game.scenario.problems import SaveError
from game.scenario.rules import NEVER


class PlayState:
    """All that changes in one playthrough; the scenario itself is never touched."""

    __slots__ = ("scenario", "scene", "meters", "actors", "visited", "chosen", "fired", "turns",
                 "counts", "last", "pending", "tipped", "motives")

    def __init__(self, scenario: Scenario, scene: str, meters: dict[str, int], actors: dict[str, dict[str, int]],
                 visited: set[str], chosen: set[str], fired: set[str], turns: int, counts: dict[str, int],
                 last: dict[str, int], pending: list[tuple[int, int, str, int]], tipped: set[str]):
        self.scenario, self.scene, self.meters, self.actors = scenario, scene, meters, actors
        self.visited, self.chosen, self.fired, self.turns = visited, chosen, fired, turns
        self.counts, self.last, self.pending, self.tipped = counts, last, pending, tipped
        self.motives = {a.id: a.motive for a in scenario.actors.values()}

    @classmethod
    def start(cls, sc: Scenario) -> "PlayState":
        """The state at the start of play."""
        return cls(sc, sc.start, {m.id: m.start for m in sc.meters.values()},
                   {a.id: {"power": a.power, "stance": a.stance} for a in sc.actors.values()},
                   {sc.start}, set(), set(), 0, dict.fromkeys(TAGS, 0), dict.fromkeys(TAGS, 0), [], set())

    def copy(self) -> "PlayState":
        c = PlayState.__new__(PlayState)
        c.scenario, c.scene, c.meters = self.scenario, self.scene, dict(self.meters)
        c.actors = {k: dict(v) for k, v in self.actors.items()}
        c.visited, c.chosen, c.fired, c.turns = set(self.visited), set(self.chosen), set(self.fired), self.turns
        c.counts, c.last, c.pending, c.tipped = dict(self.counts), dict(self.last), list(self.pending), set(self.tipped)
        c.motives = self.motives
        return c

    # -- reading -------------------------------------------------------------------
    @property
    def finished(self) -> bool:
        return self.scene in self.scenario.endings

    @property
    def ending(self) -> Optional[Ending]:
        return self.scenario.endings.get(self.scene)

    def available(self) -> list[Choice]:
        """The choices offered now (those whose condition holds)."""
        scene = self.scenario.scenes.get(self.scene)
        if scene is None:
            return []
        return [c for c in scene.choices if c.condition is None or c.condition.test(self)]

    def since(self, tag: str) -> int:
        """Choices made after the last one with ``tag`` (:data:`~game.scenario.rules.NEVER` if none)."""
        return self.turns - self.last[tag] if self.last[tag] else NEVER

    # -- saving ----------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        return {"scene": self.scene, "meters": dict(self.meters), "actors": {k: dict(v) for k, v in self.actors.items()},
                "visited": sorted(self.visited), "chosen": sorted(self.chosen), "fired": sorted(self.fired),
                "turns": self.turns, "counts": dict(self.counts), "last": dict(self.last),
                "pending": [[due, seq, source, index] for due, seq, source, index in self.pending],
                "tipped": sorted(self.tipped)}

    @classmethod
    def from_json(cls, sc: Scenario, data: Any, laters: Optional[dict[str, tuple[Later, ...]]] = None) -> "PlayState":
        """A state read back from :meth:`to_json`; raises :class:`SaveError` if it does not fit ``sc``.
        ``laters`` is :func:`later_sources` of ``sc`` when the caller has it at hand."""
        if laters is None:
            laters = later_sources(sc)
        if not isinstance(data, dict):
            raise SaveError("the play state is not a JSON object")
        scene = data["scene"]
        if scene not in sc.scenes and scene not in sc.endings:
            raise SaveError(f"the save is in scene {scene!r}, which the scenario no longer has")
        meters = {str(k): _int(v) for k, v in data["meters"].items()}
        if set(meters) != set(sc.meters):
            raise SaveError("the save's meters do not match the scenario")
        for k, v in meters.items():
            if not sc.meters[k].min <= v <= sc.meters[k].max:
                raise SaveError(f"meter {k!r} is out of range in the save")
        actors = {str(k): {"power": _int(v["power"]), "stance": _int(v["stance"])} for k, v in data["actors"].items()}
        if set(actors) != set(sc.actors):
            raise SaveError("the save's actors do not match the scenario")
        for k, v in actors.items():
            if not (0 <= v["power"] <= 100 and -100 <= v["stance"] <= 100):
                raise SaveError(f"actor {k!r} is out of range in the save")
        turns = _int(data["turns"])
        counts = {t: _int(data["counts"].get(t, 0)) for t in TAGS}
        last = {t: _int(data["last"].get(t, 0)) for t in TAGS}
        if turns < 0 or any(not 0 <= v <= turns for v in list(counts.values()) + list(last.values())):
            raise SaveError("the save's turn counts are impossible")
        pending = []
        for due, seq, source, index in data["pending"]:
            due, seq, index = _int(due), _int(seq), _int(index)
            found = laters.get(str(source), ())
            if not 0 <= index < len(found) or due <= turns - 1:
                raise SaveError(f"the save's late consequence {source!r} is not in the scenario")
            pending.append((due, seq, str(source), index))
        pending.sort()
        return cls(sc, scene, meters, actors, set(map(str, data["visited"])), set(map(str, data["chosen"])),
                   set(map(str, data["fired"])), turns, counts, last, pending, set(map(str, data["tipped"])))


def _int(v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or v != v or v in (float("inf"), float("-inf")):
        raise SaveError(f"the save holds {v!r} where a whole number belongs")
    if isinstance(v, float) and not v.is_integer():
        raise SaveError(f"the save holds {v!r} where a whole number belongs")
    return int(v)


def later_sources(sc: Scenario) -> dict[str, tuple[Later, ...]]:
    """Every late consequence of a scenario by the name of what schedules it (``choice:scene.id``,
    ``outcome:scene.id#i``, ``event:id``, ``tip:id``, ``tag:name``): how a save and a note refer to one."""
    laters: dict[str, tuple[Later, ...]] = {}
    for c in sc.all_choices():
        laters[f"choice:{c.key}"] = c.later
        for i, o in enumerate(c.outcomes):
            laters[f"outcome:{c.key}#{i}"] = o.later
    for e in sc.events:
        laters[f"event:{e.id}"] = e.later
    for t in sc.tipping_points:
        laters[f"tip:{t.id}"] = t.later
    for tag, rule in sc.tag_rules.items():
        laters[f"tag:{tag}"] = rule.later
    return {k: v for k, v in laters.items() if v}
