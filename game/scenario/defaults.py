"""The rules every scenario gets unless it says otherwise (the theory as mechanics; docs/scenario-formaat.md).

These are written in the same shape as a scenario file's ``tag_rules:``,
``responses:`` and meter ``drift:`` keys, and the validator builds them through
the same code as an author's own (so they are checked the same way). A
scenario that names a tag in ``tag_rules:``, a motive in ``responses:`` or sets
``drift:`` on a meter replaces that default whole; ``{}`` (or ``drift: false``)
switches it off.
"""
from __future__ import annotations

from typing import Any

TAG_RULES: dict[str, Any] = {
    "polderen": {
        "effects": {"afhankelijkheid": 3, "relatie": 2},
        "text": {"nl": "Overleg op de voorwaarden van de instelling: de relatie groeit, de afhankelijkheid ook.",
                 "en": "Talks on the institution's terms: relations grow, and so does dependence."},
    },
    "coalitie": {
        "effects": {"tegenmacht": 1, "energie": -1},
        "text": {"nl": "Een bondgenootschap geeft gewicht, en vraagt onderhoud.",
                 "en": "An alliance adds weight, and needs upkeep."},
    },
    "confrontatie": {
        "effects": {"tegenmacht": 2, "relatie": -3, "energie": -3},
        "text": {"nl": "Publieke druk bouwt macht op, maar kost relaties en energie.",
                 "en": "Public pressure builds power, but costs relations and energy."},
    },
    "organiseren": {
        "effects": {"eigenaarschap": 2, "energie": -2},
        "text": {"nl": "Bewoners bouwen zelf iets op: eigenaarschap groeit, het kost tijd en energie.",
                 "en": "Residents build something themselves: ownership grows, at a cost in time and energy."},
    },
    "mobiliseren": {
        "effects": {"achterban": 4},
        "text": {"nl": "Meer mensen doen mee, voor even: zonder organiseren zakt dat weer weg.",
                 "en": "More people join, for now: without organising it fades again."},
    },
    "overnemen": {
        "effects": {"eigenaarschap": -4, "relatie": 1, "tegenmacht": 1},
        "text": {"nl": "Jij deed het voor hen: snel resultaat, maar het eigenaarschap schuift naar jou (ijzeren regel).",
                 "en": "You did it for them: a quick result, but ownership shifts to you (the iron rule)."},
        "later": {
            "turns": 3,
            "effects": {"eigenaarschap": -2, "achterban": -2},
            "text": {"nl": "De kerngroep doet een stap terug: 'jij regelt het toch al.'",
                     "en": "The core group steps back: 'you are handling it anyway.'"},
        },
    },
}

RESPONSES: dict[str, Any] = {
    "affectief": {
        "organiseren": {"stance": 2, "text": {"nl": "hecht aan de band die groeit", "en": "values the growing bond"}},
        "coalitie": {"stance": 3, "text": {"nl": "voelt zich erbij horen", "en": "feels part of it"}},
        "mobiliseren": {"stance": 1, "text": {"nl": "doet graag mee", "en": "likes to join in"}},
        "confrontatie": {"stance": -4, "text": {"nl": "schrikt van de breuk in de verhoudingen",
                                                "en": "is put off by the break in relations"}},
    },
    "instrumenteel": {
        "polderen": {"stance": 3, "text": {"nl": "ziet een afspraak die loont", "en": "sees a deal that pays"}},
        "confrontatie": [
            {"if": "tegenmacht >= 50", "stance": 3,
             "text": {"nl": "rekent uit dat dwarsliggen nu meer kost", "en": "works out that resisting now costs more"}},
            {"stance": -2, "text": {"nl": "ziet druk zonder macht erachter", "en": "sees pressure without power behind it"}},
        ],
        "other": {"stance": -1, "text": {"nl": "haakt langzaam af als het niets oplevert",
                                         "en": "drifts away when nothing is in it for them"}},
    },
    "moreel": {
        "confrontatie": {"stance": 3, "text": {"nl": "staat achter een principiële actie",
                                               "en": "backs a principled action"}},
        "organiseren": {"stance": 2, "text": {"nl": "ziet mensen voor zichzelf opkomen",
                                              "en": "sees people standing up for themselves"}},
        "polderen": {"stance": -3, "text": {"nl": "koelt af bij praten zonder daden",
                                            "en": "cools on talk without action"}},
        "overnemen": {"stance": -1, "text": {"nl": "mist de stem van de bewoners zelf",
                                             "en": "misses the residents' own voice"}},
    },
}

DRIFT: dict[str, Any] = {
    "achterban": {"by": -2, "toward": "start", "if": "since(organiseren) > 2",
                  "text": {"nl": "Zonder recent organiseren zakt de opkomst terug.",
                           "en": "Without recent organising, turnout slips back."}},
    "energie": {"by": 1, "if": "energie > 0"},  # quietly: the meter shows it
}
