"""The scenario format's fields, in one place.

:data:`SCENARIO` describes every key a scenario file may hold. The validator
uses it to report unknown keys (with a "did you mean"), missing keys and
wrong types; :func:`json_schema` turns it into a JSON Schema for editors
(VS Code's YAML extension autocompletes and checks scenario files with it).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from game.scenario.model import AGENCIES, MOTIVES, OTHER, QUADRANTS, STRATEGIES, TAGS


@dataclass(frozen=True)
class F:
    """One field. ``kind``: str, translated, int, number, bool, id, condition,
    change, enum, scalar (text or number), object, list, idmap, some (one
    ``of`` or a list of them), remarks (a text, or a list of texts and
    ``{text, if}`` blocks), drift (false or a drift block), toward ('start' or a number)."""

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

LATER = F("object", fields={
    "turns": F("int", True, low=1, high=100, doc="Na hoeveel keuzes het gevolg landt."),
    "text": F("translated", doc="Wat de speler dan leest."),
    "if": F("condition", doc="Alleen als deze voorwaarde dan geldt."),
    "effects": EFFECTS,
    "actors": ACTOR_EFFECTS,
}, doc="Een laat gevolg.")
LATERS = F("some", of=LATER, doc="Late gevolgen: één blok of een lijst {turns, text, effects, actors, if}.")
OUTCOME = F("object", fields={
    "chance": F("number", low=0, high=1, doc="Kans (0..1); de laatste uitkomst mag hem weglaten (de rest)."),
    "text": F("translated", doc="Wat er gebeurde."),
    "effects": EFFECTS,
    "actors": ACTOR_EFFECTS,
    "next": F("id", doc="Volgende scène bij deze uitkomst (standaard die van de keuze)."),
    "later": LATERS,
}, doc="Een mogelijke uitkomst van een onzekere keuze.")
REMARK = F("object", fields={
    "text": F("translated", True),
    "if": F("condition", doc="Alleen tonen als dit aan het eind geldt."),
})
REMARKS = F("remarks", of=REMARK, doc="Een tekst, of een lijst van teksten en blokken {text, if}.")

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
    "show_locked": F("translated", doc="Toon de keuze grijs met deze reden als de voorwaarde niet geldt."),
    "later": LATERS,
    "outcomes": F("list", of=OUTCOME, doc="Onzekere uitkomsten: het spel trekt er één (kansen samen 1)."),
})

SCENE = F("object", fields={
    "title": F("translated", doc="Korte kop van de scène."),
    "phase": F("scalar", doc="Fase (nummer of korte naam); de kaart groepeert erop."),
    "text": F("translated", True, doc="De situatie, 60-150 woorden."),
    "image": F("str", doc="Afbeelding, pad relatief aan het scenariobestand."),
    "image_alt": F("translated", doc="Beschrijving van de afbeelding (voor schermlezers)."),
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
    "later": LATERS,
})

ENDING = F("object", fields={
    "title": F("translated", True),
    "if": F("condition", doc="Wanneer dit einde geldt; leeg = altijd (terugvaloptie)."),
    "interrupt": F("bool", doc="true: na elke keuze gecontroleerd (bv. energie <= 0: de groep valt uiteen)."),
    "effects": F("idmap", of=F("change"), doc="Veranderingen als dit einde bereikt wordt (bv. bij uiteenvallen)."),
    "actors": ACTOR_EFFECTS,
    "text": F("translated", True),
    "debrief": F("remarks", of=REMARK, doc="Nabespreking: wat gebeurde er, welke theorie hoort erbij "
                 "(een tekst, of een lijst van {text, if})."),
    "questions": F("remarks", of=REMARK, doc="Vragen voor de klassikale bespreking (teksten of {text, if})."),
    "expect": F("some", of=F("enum", enum=QUADRANTS),
                doc="Voor welke uitkomst(en) dit einde staat: harmonie, held, gemeenschap, beweging."),
    "outcome": F("translated", doc="Een eigen uitkomst in plaats van een kwadrant (bv. 'De groep viel uiteen')."),
})

METER = F("object", fields={
    "label": F("translated", doc="Naam op het scherm (verplicht voor een nieuwe meter)."),
    "description": F("translated"),
    "min": F("int"),
    "max": F("int"),
    "start": F("int"),
    "drift": F("drift", fields={
        "by": F("int", True, low=-100, high=100, doc="Verandering per beurt."),
        "toward": F("toward", doc="'start' of een getal: de meter beweegt ernaartoe en stopt daar."),
        "if": F("condition", doc="Alleen in beurten waarin dit geldt."),
        "text": F("translated", doc="Wat de speler leest als de meter verschuift."),
    }, doc="De meter verandert elke beurt vanzelf; false zet de standaard uit."),
})

ACTOR = F("object", fields={
    "name": F("translated", True),
    "description": F("translated"),
    "power": F("int", low=0, high=100, doc="Macht 0..100."),
    "stance": F("int", low=-100, high=100, doc="Houding tegenover de zaak -100..100."),
    "motive": F("enum", enum=MOTIVES, doc="Dominant motief."),
    "responds": F("bool", doc="false: deze actor reageert niet via de tabel 'responses' (bv. de kerngroep)."),
})

TAG_RULE = F("object", fields={
    "effects": EFFECTS,
    "actors": ACTOR_EFFECTS,
    "text": F("translated", doc="De regel in één zin, in de coachkaart."),
    "later": LATERS,
}, doc="Wat elke keuze met dit label doet, bovenop haar eigen effecten ({} zet het uit).")
RESPONSE = F("object", fields={
    "stance": F("change", doc="Verandering van houding (-100..100)."),
    "power": F("change", doc="Verandering van macht (0..100)."),
    "text": F("translated", doc="Waarom de actor zo reageert (kort)."),
    "if": F("condition", doc="Alleen als dit geldt; in een lijst telt de eerste die geldt."),
})
RESPONSE_ROW = F("object", fields={t: F("some", of=RESPONSE) for t in TAGS + (OTHER,)},
                 doc="Label → reactie van elke actor met dit motief ('other': geen van de labels).")
TIPPING_POINT = F("object", fields={
    "id": F("id", True),
    "meter": F("id", True, doc="De meter die over de grens gaat."),
    "above": F("int", doc="Gaat af als de meter deze beurt van eronder naar deze waarde of hoger gaat."),
    "below": F("int", doc="Gaat af als de meter deze beurt van erboven naar deze waarde of lager gaat."),
    "if": F("condition", doc="Alleen als dit ook geldt (bv. een georganiseerde basis)."),
    "once": F("bool", doc="Hooguit één keer (standaard true)."),
    "title": F("translated"),
    "text": F("translated", True),
    "effects": EFFECTS,
    "actors": ACTOR_EFFECTS,
    "coach": COACH,
    "later": LATERS,
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
    "image": F("str", doc="Titelafbeelding, pad relatief aan het scenariobestand."),
    "image_alt": F("translated", doc="Beschrijving van de titelafbeelding."),
    "tag_rules": F("object", fields={t: TAG_RULE for t in TAGS},
                   doc="Regels per label (vervangen de standaardregels per label)."),
    "responses": F("object", fields={m: RESPONSE_ROW for m in MOTIVES},
                   doc="Hoe actoren per motief op elk label reageren (vervangt de standaard per motief)."),
    "tipping_points": F("list", of=TIPPING_POINT, doc="Kantelpunten: een meter gaat over een grens."),
    "debrief": REMARKS,
    "questions": REMARKS,
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
        d["anyOf"] = [{"type": "integer"}, {"type": "string", "pattern": r"^\s*[=%]?\s*[+-]?\s*\d+\s*$"},
                      {"type": "string", "pattern": r"^\s*[+-]\s*[A-Za-z_][\w\-]*(\.[A-Za-z_]+)?\s*(/\s*\d+)?\s*$"}]
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
    elif k == "some":
        one = _json(f.of) if f.of else {}
        d["anyOf"] = [one, {"type": "array", "items": one}]
    elif k == "remarks":
        text = _json(T)
        d["anyOf"] = [text, {"type": "array", "items": {"anyOf": [text, _json(f.of) if f.of else {}]}}]
    elif k == "drift":
        d["anyOf"] = [{"const": False}, _json(F("object", fields=f.fields))]
    elif k == "toward":
        d["anyOf"] = [{"const": "start"}, {"type": "integer"}]
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
