"""The scenario model: what a validated scenario file becomes.

Everything here is frozen. A :class:`Scenario` is read-only after loading; all
that changes during play lives in :class:`game.play.engine.Session`.
"""
from __future__ import annotations

import hashlib
import json
import weakref
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any, Callable, Optional

from game.scenario.rules import Change, Node

STRATEGIES = ("polderen", "coalitie", "confrontatie")
AGENCIES = ("organiseren", "mobiliseren", "overnemen")
TAGS = STRATEGIES + AGENCIES
MOTIVES = ("affectief", "instrumenteel", "moreel")
QUADRANTS = ("harmonie", "held", "gemeenschap", "beweging")
OTHER = "other"  # the responses cell for a choice whose tags have no cell of their own
LANGUAGES = ("nl", "en")
END = "end"  # a choice's ``next: end`` lets the endings' conditions decide
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Text:
    """A player-facing text: Dutch always, English optionally."""

    nl: str
    en: Optional[str] = None

    def get(self, lang: str = "nl") -> str:
        return self.en if lang == "en" and self.en else self.nl

    def __str__(self) -> str:
        return self.nl

    def __bool__(self) -> bool:
        """An empty text is false, so ``event.title or event.text`` falls back to the text."""
        return bool(self.nl or self.en)


EMPTY = Text("")


@dataclass(frozen=True)
class Drift:
    """A meter that moves by itself every turn (``by``), optionally only toward
    a target (``toward``: it stops there) and only while ``condition`` holds."""

    by: int
    toward: Optional[int] = None
    condition: Optional["Condition"] = None
    text: "Text" = EMPTY


@dataclass(frozen=True)
class Meter:
    id: str
    label: Text
    min: int = 0
    max: int = 100
    start: int = 0
    description: Text = EMPTY
    drift: Optional[Drift] = None


@dataclass(frozen=True)
class Actor:
    id: str
    name: Text
    power: int = 50
    stance: int = 0
    motive: str = "instrumenteel"
    description: Text = EMPTY
    responds: bool = True  # answers every move by its motive (the responses table)


@dataclass(frozen=True)
class Condition:
    """A parsed condition: its source text, tree and compiled predicate."""

    source: str
    node: Node
    test: Callable[[Any], bool] = field(compare=False, repr=False)


@dataclass(frozen=True)
class Effects:
    meters: tuple[tuple[str, Change], ...] = ()
    actors: tuple[tuple[str, str, Change], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.meters or self.actors)


NO_EFFECTS = Effects()


@dataclass(frozen=True)
class Coach:
    text: Text
    theory: Text = EMPTY


@dataclass(frozen=True)
class Later:
    """A late consequence: ``effects`` and ``text`` land ``turns`` choices after
    their cause (if ``condition`` holds then)."""

    turns: int
    text: Text = EMPTY
    effects: Effects = NO_EFFECTS
    condition: Optional[Condition] = None


@dataclass(frozen=True)
class Outcome:
    """One outcome of an uncertain choice."""

    chance: float
    text: Text = EMPTY
    effects: Effects = NO_EFFECTS
    next: str = ""  # empty: the choice's own next
    later: tuple[Later, ...] = ()


@dataclass(frozen=True)
class TagRule:
    """What every choice with ``tag`` does on top of its own effects."""

    tag: str
    effects: Effects = NO_EFFECTS
    text: Text = EMPTY
    later: tuple[Later, ...] = ()


@dataclass(frozen=True)
class Response:
    """How an actor with a motive answers a move: one change of its stance/power."""

    effects: Effects  # actor effects on the placeholder actor '*'
    text: Text = EMPTY
    condition: Optional[Condition] = None


@dataclass(frozen=True)
class TippingPoint:
    """Fires when ``meter`` crosses ``threshold`` this turn (``up``: from below to
    at-or-above; else from above to at-or-below) and ``condition`` holds."""

    id: str
    meter: str
    threshold: int
    up: bool = True
    condition: Optional[Condition] = None
    once: bool = True
    title: Text = EMPTY
    text: Text = EMPTY
    effects: Effects = NO_EFFECTS
    coach: Optional[Coach] = None
    later: tuple[Later, ...] = ()
    line: int = 0


@dataclass(frozen=True)
class Remark:
    """A debrief text or a question, shown when ``condition`` holds at the end."""

    text: Text
    condition: Optional[Condition] = None


@dataclass(frozen=True)
class Choice:
    id: str
    scene: str
    text: Text
    next: str
    strategy: Optional[str] = None
    agency: Optional[str] = None
    condition: Optional[Condition] = None
    effects: Effects = NO_EFFECTS
    coach: Optional[Coach] = None
    line: int = 0
    show_locked: Optional[Text] = None  # shown greyed with this reason when its condition fails
    later: tuple[Later, ...] = ()
    outcomes: tuple[Outcome, ...] = ()

    @property
    def tags(self) -> tuple[str, ...]:
        return tuple(t for t in (self.strategy, self.agency) if t)

    @property
    def key(self) -> str:
        """Scenario-wide name: ``scene.choice`` (used by ``chose(...)``)."""
        return f"{self.scene}.{self.id}"

    @property
    def trigger(self) -> str:
        return f"{self.scene}__{self.id}"


@dataclass(frozen=True)
class Scene:
    id: str
    text: Text
    choices: tuple[Choice, ...]
    phase: str = ""
    title: Text = EMPTY
    image: Optional[str] = None
    line: int = 0
    image_alt: Text = EMPTY


@dataclass(frozen=True)
class Event:
    id: str
    text: Text
    condition: Optional[Condition] = None
    chance: float = 1.0
    once: bool = True
    title: Text = EMPTY
    effects: Effects = NO_EFFECTS
    coach: Optional[Coach] = None
    line: int = 0
    later: tuple[Later, ...] = ()


@dataclass(frozen=True)
class Ending:
    id: str
    title: Text
    text: Text
    condition: Optional[Condition] = None
    interrupt: bool = False
    debrief: tuple[Remark, ...] = ()
    questions: tuple[Remark, ...] = ()
    line: int = 0
    effects: Effects = NO_EFFECTS  # applied when the ending is reached (e.g. a collapse costs counter-power)
    expect: tuple[str, ...] = ()  # the quadrants this ending stands for (empty: any)
    outcome: Text = EMPTY  # its own outcome label instead of a quadrant's name


@dataclass(frozen=True)
class Archetype:
    id: str
    name: Text
    description: Text = EMPTY


@dataclass(frozen=True)
class Scenario:
    id: str
    title: Text
    start: str
    meters: dict[str, Meter]
    actors: dict[str, Actor]
    scenes: dict[str, Scene]
    events: tuple[Event, ...]
    endings: dict[str, Ending]
    version: str = "1"
    author: str = ""
    languages: tuple[str, ...] = ("nl",)
    summary: Text = EMPTY
    learning_goals: tuple[Text, ...] = ()
    minutes: int = 20
    archetypes: dict[str, Archetype] = field(default_factory=dict)
    threshold: int = 50
    path: str = ""
    tag_rules: dict[str, TagRule] = field(default_factory=dict)
    responses: dict[str, dict[str, tuple[Response, ...]]] = field(default_factory=dict)  # motive -> tag -> cell
    tipping_points: tuple[TippingPoint, ...] = ()
    debrief: tuple[Remark, ...] = ()
    questions: tuple[Remark, ...] = ()
    image: Optional[str] = None
    image_alt: Text = EMPTY

    def choice(self, key: str) -> Choice:
        scene, _, choice = key.partition(".")
        for c in self.scenes[scene].choices:
            if c.id == choice:
                return c
        raise KeyError(key)

    def all_choices(self) -> list[Choice]:
        return [c for s in self.scenes.values() for c in s.choices]

    def resolve_path(self, relative: str) -> str:
        """A path written in the scenario (an image), relative to its file."""
        from pathlib import Path

        base = Path(self.path).parent if self.path else Path(".")
        return str((base / relative).resolve())


DEFAULT_METERS: dict[str, Meter] = {
    m.id: m for m in (
        Meter("tegenmacht", Text("Tegenmacht", "Counter-power"), 0, 100, 10,
              Text("Georganiseerd vermogen van bewoners om besluiten te beïnvloeden.",
                   "Residents' organised capacity to influence decisions.")),
        Meter("eigenaarschap", Text("Eigenaarschap", "Ownership"), 0, 100, 20,
              Text("Hoeveel bewoners zelf de strijd leiden en dragen.",
                   "How much residents lead and own the struggle.")),
        Meter("afhankelijkheid", Text("Afhankelijkheid", "Dependence"), 0, 100, 50,
              Text("Afhankelijkheid van subsidie en de goodwill van de gemeente.",
                   "Dependence on subsidy and the municipality's goodwill.")),
        Meter("relatie", Text("Relatie", "Relations"), 0, 100, 40,
              Text("Toegang tot en vertrouwen van machthebbers.",
                   "Access to and trust of power-holders.")),
        Meter("achterban", Text("Achterban", "Supporters"), 0, 100, 15,
              Text("Betrokken bewoners.", "Engaged residents.")),
        Meter("energie", Text("Energie", "Energy"), 0, 100, 70,
              Text("Energie van de groep en van jou; bij nul valt de groep uiteen.",
                   "Energy of the group and of you; at zero the group falls apart.")),
    )
}

DEFAULT_ARCHETYPES: dict[str, Archetype] = {
    a.id: a for a in (
        Archetype("harmonie", Text("Harmonie zonder verandering", "Harmony without change"),
                  Text("Weinig tegenmacht, weinig eigenaarschap: het overleg liep goed, maar er veranderde niets.",
                       "Little counter-power, little ownership: the talks went well, but nothing changed.")),
        Archetype("held", Text("De held die het overnam", "The hero who took over"),
                  Text("Veel tegenmacht, weinig eigenaarschap: er is iets bereikt, maar vooral door jou.",
                       "Much counter-power, little ownership: something was won, but mostly by you.")),
        Archetype("gemeenschap", Text("Gezellig, maar zonder urgentie", "Cosy, but without urgency"),
                  Text("Veel eigenaarschap, weinig tegenmacht: bewoners dragen het samen, maar machthebbers merken het niet.",
                       "Much ownership, little counter-power: residents carry it together, but power-holders barely notice.")),
        Archetype("beweging", Text("Een blijvende beweging", "A lasting movement"),
                  Text("Veel tegenmacht en veel eigenaarschap: bewoners hebben macht opgebouwd die blijft als jij weggaat.",
                       "Much counter-power and much ownership: residents built power that stays when you leave.")),
    )
}


_HASH_SKIP = {"line", "path", "coach", "image", "author", "minutes"}
_hash_cache: dict[int, tuple[Any, str]] = {}


def scenario_hash(scenario: Any) -> str:
    """A hash of what in ``scenario`` decides how a saved game goes on: scenes, choices and
    where they lead, conditions, effects, events, endings, meters, actors and rules. Texts,
    coach cards, images and line numbers are left out, so fixing a typo keeps saves valid."""
    key = id(scenario)
    hit = _hash_cache.get(key)
    if hit is not None and hit[0]() is scenario:
        return hit[1]
    def walk(x: Any) -> Any:
        if isinstance(x, Text):
            return None
        if isinstance(x, Condition):
            return ["if", x.source]
        if is_dataclass(x) and not isinstance(x, type):
            return [type(x).__name__] + [[f.name, walk(getattr(x, f.name))] for f in fields(x)
                                         if f.name not in _HASH_SKIP and not callable(getattr(x, f.name))]
        if isinstance(x, dict):
            return [["k", str(k), walk(v)] for k, v in x.items()]
        if isinstance(x, (list, tuple, set, frozenset)):
            items = [walk(v) for v in x]
            return sorted(items, key=repr) if isinstance(x, (set, frozenset)) else items
        if x is None or isinstance(x, (str, int, float, bool)):
            return x
        return type(x).__name__

    digest = hashlib.sha256(json.dumps(walk(scenario), ensure_ascii=False, default=str).encode("utf-8")).hexdigest()
    try:
        _hash_cache[key] = (weakref.ref(scenario), digest)
    except TypeError:  # pragma: no cover - an object without weak references
        pass
    if len(_hash_cache) > 64:
        for k in [k for k, (ref, _) in _hash_cache.items() if ref() is None]:
            del _hash_cache[k]
    return digest
