"""The scenario model: what a validated scenario file becomes.

Everything here is frozen. A :class:`Scenario` is read-only after loading; all
that changes during play lives in :class:`game.engine.Session`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from .rules import Change, Node

STRATEGIES = ("polderen", "coalitie", "confrontatie")
AGENCIES = ("organiseren", "mobiliseren", "overnemen")
MOTIVES = ("affectief", "instrumenteel", "moreel")
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


EMPTY = Text("")


@dataclass(frozen=True)
class Meter:
    id: str
    label: Text
    min: int = 0
    max: int = 100
    start: int = 0
    description: Text = EMPTY


@dataclass(frozen=True)
class Actor:
    id: str
    name: Text
    power: int = 50
    stance: int = 0
    motive: str = "instrumenteel"
    description: Text = EMPTY


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


@dataclass(frozen=True)
class Ending:
    id: str
    title: Text
    text: Text
    condition: Optional[Condition] = None
    interrupt: bool = False
    debrief: Text = EMPTY
    questions: tuple[Text, ...] = ()
    line: int = 0
    effects: Effects = NO_EFFECTS  # applied when the ending is reached (e.g. a collapse costs counter-power)


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
