"""The scenario format's fields, in one place.

:data:`SCENARIO` describes every key a scenario file may hold. The validator
uses it to report unknown keys (with a "did you mean"), missing keys and
wrong types; :func:`json_schema` turns it into a JSON Schema for editors
(VS Code's YAML extension autocompletes and checks scenario files with it).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from .model import AGENCIES, MOTIVES, STRATEGIES


@dataclass(frozen=True)
class F:
    """One field. ``kind``: str, translated, int, number, bool, id, condition,
    change, enum, scalar (text or number), object, list, idmap."""

    kind: str
    required: bool = False
    fields: Optional[dict[str, "F"]] = None  # object / items of list and idmap
    of: Optional["F"] = None  # list / idmap item
    enum: tuple[str, ...] = ()
    low: Optional[float] = None
    high: Optional[float] = None
    doc: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


T = F("translated")
COACH = F("object", fields={
    "text": F("translated", True, doc="Wat er gebeurde en waarom (2-4 zinnen)."),
    "theory": F("translated", doc="Het idee erachter, met bron, bv. 'ijzeren regel — Bolton 2017'."),
}, doc="Feedback van de coach na deze keuze.")
EFFECTS = F("idmap", of=F("change"), doc="Meter → verandering: 5, -10, '=30', '%+20', '%-20'.")
ACTOR_EFFECTS = F("idmap", of=F("object", fields={
    "power": F("change", doc="Verandering van macht (0..100)."),
    "stance": F("change", doc="Verandering van houding (-100..100)."),
}), doc="Actor → {power, stance}-veranderingen.")

CHOICE = F("object", fields={
    "id": F("id", doc="Naam van de keuze, uniek binnen de scène (standaard c1, c2, ...)."),
    "text": F("translated", True, doc="De keuze, één regel, begint met een werkwoord."),
    "strategy": F("enum", enum=STRATEGIES, doc="Strategie tegenover machthebbers."),
    "agency": F("enum", enum=AGENCIES, doc="Wie handelt."),
    "if": F("condition", doc="Alleen aangeboden als deze voorwaarde geldt."),
    "effects": EFFECTS,
    "actors": ACTOR_EFFECTS,
    "coach": COACH,
    "next": F("id", True, doc="Volgende scène, een einde, of 'end' (de eindes beslissen)."),
})

SCENE = F("object", fields={
    "title": F("translated", doc="Korte kop van de scène."),
    "phase": F("scalar", doc="Fase (nummer of korte naam); de kaart groepeert erop."),
    "text": F("translated", True, doc="De situatie, 60-150 woorden."),
    "image": F("str", doc="Afbeelding, pad relatief aan het scenariobestand."),
    "choices": F("list", of=CHOICE, doc="De keuzes; een scène zonder keuzes moet een einde zijn."),
})

EVENT = F("object", fields={
    "id": F("id", True),
    "title": F("translated"),
    "text": F("translated", True),
    "if": F("condition", doc="Alleen mogelijk als deze voorwaarde geldt."),
    "chance": F("number", low=0, high=1, doc="Kans (0..1) per beurt dat de voorwaarde geldt; standaard 1."),
    "once": F("bool", doc="Hooguit één keer (standaard true)."),
    "effects": EFFECTS,
    "actors": ACTOR_EFFECTS,
    "coach": COACH,
})

ENDING = F("object", fields={
    "title": F("translated", True),
    "if": F("condition", doc="Wanneer dit einde geldt; leeg = altijd (terugvaloptie)."),
    "interrupt": F("bool", doc="true: na elke keuze gecontroleerd (bv. energie <= 0: de groep valt uiteen)."),
    "effects": F("idmap", of=F("change"), doc="Veranderingen als dit einde bereikt wordt (bv. bij uiteenvallen)."),
    "actors": ACTOR_EFFECTS,
    "text": F("translated", True),
    "debrief": F("translated", doc="Nabespreking: wat gebeurde er, welke theorie hoort erbij."),
    "questions": F("list", of=T, doc="Vragen voor de klassikale bespreking."),
})

METER = F("object", fields={
    "label": F("translated", doc="Naam op het scherm (verplicht voor een nieuwe meter)."),
    "description": F("translated"),
    "min": F("int"),
    "max": F("int"),
    "start": F("int"),
})

ACTOR = F("object", fields={
    "name": F("translated", True),
    "description": F("translated"),
    "power": F("int", low=0, high=100, doc="Macht 0..100."),
    "stance": F("int", low=-100, high=100, doc="Houding tegenover de zaak -100..100."),
    "motive": F("enum", enum=MOTIVES, doc="Dominant motief."),
})

ARCHETYPE = F("object", fields={
    "name": F("translated", True),
    "description": F("translated"),
})

SCENARIO = F("object", fields={
    "format": F("int", doc="Formaatversie (1)."),
    "id": F("id", True, doc="Korte unieke naam van het scenario."),
    "title": F("translated", True),
    "version": F("scalar", doc="Versie van dit scenario, bv. '1.0'."),
    "author": F("str"),
    "languages": F("list", of=F("enum", enum=("nl", "en")), doc="Talen van de teksten: [nl] of [nl, en]."),
    "summary": F("translated"),
    "learning_goals": F("list", of=T),
    "minutes": F("int", low=1, high=600, doc="Geschatte speelduur in minuten."),
    "start": F("id", doc="De eerste scène (standaard de eerste onder scenes)."),
    "meters": F("idmap", of=METER, doc="Meters aanpassen of toevoegen."),
    "actors": F("idmap", of=ACTOR),
    "scenes": F("idmap", True, of=SCENE),
    "events": F("list", of=EVENT, doc="Gebeurtenissen: actie lokt reactie uit."),
    "endings": F("idmap", True, of=ENDING, doc="In volgorde: het eerste einde waarvan de voorwaarde geldt."),
    "archetypes": F("object", fields={k: ARCHETYPE for k in ("harmonie", "held", "gemeenschap", "beweging")},
                    doc="Namen van de vier kwadranten van de eindscore."),
    "threshold": F("int", low=1, high=99, doc="Grens (in % van het bereik) tussen laag en hoog op beide assen."),
})


def _json(f: F) -> dict[str, Any]:
    d: dict[str, Any] = {}
    if f.doc:
        d["description"] = f.doc
    k = f.kind
    if k in ("str", "condition"):
        d["type"] = "string"
    elif k == "id":
        d.update(type="string", pattern=r"^[A-Za-z][A-Za-z0-9_\-]*$")
    elif k == "translated":
        d["anyOf"] = [{"type": "string"}, {"type": "object", "properties": {"nl": {"type": "string"},
                                                                             "en": {"type": "string"}},
                                           "required": ["nl"], "additionalProperties": False}]
    elif k == "int":
        d["type"] = "integer"
    elif k == "number":
        d["type"] = "number"
    elif k == "bool":
        d["type"] = "boolean"
    elif k == "scalar":
        d["type"] = ["string", "number"]
    elif k == "change":
        d["anyOf"] = [{"type": "integer"}, {"type": "string", "pattern": r"^\s*[=%]?\s*[+-]?\s*\d+\s*$"}]
    elif k == "enum":
        d["enum"] = list(f.enum)
    elif k == "object":
        d.update(type="object", properties={n: _json(s) for n, s in (f.fields or {}).items()},
                 additionalProperties=False)
        req = [n for n, s in (f.fields or {}).items() if s.required]
        if req:
            d["required"] = req
    elif k == "list":
        d.update(type="array", items=_json(f.of) if f.of else {})
    elif k == "idmap":
        d.update(type="object", propertyNames={"pattern": r"^[A-Za-z][A-Za-z0-9_\-]*$"},
                 additionalProperties=_json(f.of) if f.of else {})
    if f.low is not None:
        d["minimum"] = f.low
    if f.high is not None:
        d["maximum"] = f.high
    return d


def json_schema() -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) of the scenario format."""
    schema = _json(SCENARIO)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://tegenmacht.invalid/scenario.schema.json"
    schema["title"] = "Tegenmacht scenario"
    return schema
