"""Problems found in a scenario, and the errors of reading and playing one.

A :class:`Problem` is one finding with a place (file, line, column), a level
(``error`` or ``warning``), a stable ``code`` and the parameters of its
message. The message itself is rendered late, in Dutch or English, from the
catalogue below: a trainer reads plain sentences, a program reads the code.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from game.errors import TegenmachtError


class ScenarioError(TegenmachtError):
    """A scenario could not be loaded; ``problems`` says why."""

    def __init__(self, problems: list["Problem"], lang: str = "en"):
        self.problems = problems
        errors = [p for p in problems if p.level == "error"] or problems
        super().__init__(errors[0].render(lang) if errors else "invalid scenario")


class EngineError(TegenmachtError):
    """A request the engine cannot carry out (e.g. a choice that is not offered)."""


class SaveError(TegenmachtError):
    """A saved session that cannot be read back."""


# code -> (Dutch, English). Placeholders use str.format with the problem's params.
MESSAGES: dict[str, tuple[str, str]] = {
    # --- files and YAML -------------------------------------------------
    "file-missing": ("dit bestand bestaat niet", "this file does not exist"),
    "path-is-folder": ("dit is een map, geen scenariobestand", "this is a folder, not a scenario file"),
    "file-unreadable": ("dit bestand kan niet gelezen worden ({detail})", "this file cannot be read ({detail})"),
    "path-not-file": ("dit is {kind}, geen gewoon bestand; geef het pad van een scenariobestand",
                      "this is {kind}, not a regular file; give the path of a scenario file"),
    "file-too-big": ("dit bestand is te groot: {size} KB aan bytes op schijf, hooguit {limit} KB",
                     "this file is too big: {size} KB of bytes on disk, at most {limit} KB"),
    "file-empty": ("dit bestand is leeg; een scenario begint met 'id:', 'title:' en 'scenes:'",
                   "this file is empty; a scenario starts with 'id:', 'title:' and 'scenes:'"),
    "not-utf8": ("hier staat een teken dat geen UTF-8 is; sla het bestand op als UTF-8",
                 "there is a character here that is not UTF-8; save the file as UTF-8"),
    "yaml-syntax": ("de YAML klopt hier niet: {detail} (let op inspringen, dubbele punten en aanhalingstekens)",
                    "the YAML is broken here: {detail} (check indentation, colons and quotes)"),
    "yaml-tag": ("de YAML-tag '{tag}' is niet toegestaan: een scenario is alleen gegevens, geen code",
                 "the YAML tag '{tag}' is not allowed: a scenario is data only, never code"),
    "yaml-value": ("de waarde '{value}' kan niet gelezen worden", "the value '{value}' cannot be read"),
    "yaml-several-documents": ("dit bestand bevat meer dan één YAML-document ('---'); zet elk scenario in een eigen bestand",
                               "this file holds more than one YAML document ('---'); put each scenario in its own file"),
    "yaml-too-deep": ("de gegevens zijn hier dieper dan {limit} niveaus genest",
                      "the data is nested deeper than {limit} levels here"),
    "yaml-too-many-aliases": ("meer dan {limit} YAML-aliassen (*naam) in één bestand",
                              "more than {limit} YAML aliases (*name) in one file"),
    "yaml-too-many-values": ("dit bestand bevat meer dan {limit} waarden (sleutels, teksten, getallen, lijsten); "
                             "verdeel het over kleinere scenario's",
                             "this file holds more than {limit} values (keys, texts, numbers, lists); "
                             "split it into smaller scenarios"),
    "yaml-aliases-too-big": ("de aliassen (*naam) in dit bestand kopiëren samen meer dan {limit} waarden",
                             "the aliases (*name) in this file copy more than {limit} values in all"),
    "yaml-unknown-alias": ("de alias '*{name}' verwijst naar een anker '&{name}' dat niet bestaat",
                           "the alias '*{name}' refers to an anchor '&{name}' that does not exist"),
    "yaml-complex-key": ("een sleutel moet een eenvoudige naam zijn, geen lijst of blok",
                         "a key must be a plain name, not a list or block"),
    "duplicate-key": ("de sleutel '{key}' staat hier nog een keer (eerst op regel {line}); YAML zou de eerste stilletjes weggooien",
                      "the key '{key}' appears again here (first on line {line}); YAML would silently drop the first one"),
    # --- structure -------------------------------------------------------
    "not-a-mapping": ("een scenario moet een blok met sleutels zijn (zoals 'id:', 'scenes:'), geen {found}",
                      "a scenario must be a block of keys (like 'id:', 'scenes:'), not {found}"),
    "unknown-key": ("onbekende sleutel '{key}' in {where}{hint}", "unknown key '{key}' in {where}{hint}"),
    "missing-key": ("'{key}' ontbreekt in {where}", "'{key}' is missing in {where}"),
    "wrong-type": ("'{key}' moet {expected} zijn, niet {found}", "'{key}' must be {expected}, not {found}"),
    "out-of-range": ("'{key}' moet tussen {low} en {high} liggen, niet {value}",
                     "'{key}' must lie between {low} and {high}, not {value}"),
    "bad-range": ("bij meter '{meter}' moet min kleiner zijn dan max ({low} en {high})",
                  "for meter '{meter}' min must be smaller than max ({low} and {high})"),
    "bad-id": ("'{value}' is geen geldige naam: gebruik letters, cijfers, '_' of '-', beginnend met een letter",
               "'{value}' is not a valid name: use letters, digits, '_' or '-', starting with a letter"),
    "duplicate-id": ("de naam '{name}' wordt al gebruikt (regel {line})", "the name '{name}' is already used (line {line})"),
    "bad-value": ("'{value}' is geen geldige waarde voor '{key}'{hint}; kies uit: {choices}",
                  "'{value}' is not a valid value for '{key}'{hint}; choose from: {choices}"),
    "format-version": ("formaatversie {value} wordt niet ondersteund (deze versie kent {known})",
                       "format version {value} is not supported (this version knows {known})"),
    "no-scenes": ("het scenario heeft geen scènes", "the scenario has no scenes"),
    "language-nl": ("'languages' moet 'nl' bevatten: elke tekst bestaat in het Nederlands",
                    "'languages' must include 'nl': every text exists in Dutch"),
    # --- references ------------------------------------------------------
    "unknown-scene": ("'{name}' is geen scène of einde in dit scenario{hint}",
                      "'{name}' is not a scene or ending in this scenario{hint}"),
    "unknown-meter": ("'{name}' is geen meter van dit scenario{hint}", "'{name}' is not a meter of this scenario{hint}"),
    "unknown-actor": ("'{name}' is geen actor van dit scenario{hint}", "'{name}' is not an actor of this scenario{hint}"),
    "unknown-choice": ("'{name}' is geen keuze in dit scenario (schrijf scène.keuze){hint}",
                       "'{name}' is not a choice in this scenario (write scene.choice){hint}"),
    "unknown-event": ("'{name}' is geen gebeurtenis van dit scenario{hint}",
                      "'{name}' is not an event of this scenario{hint}"),
    "unknown-tip": ("'{name}' is geen kantelpunt van dit scenario{hint}",
                    "'{name}' is not a tipping point of this scenario{hint}"),
    "unknown-tag": ("'{name}' is geen label; gebruik polderen, coalitie, confrontatie, organiseren, mobiliseren of overnemen{hint}",
                    "'{name}' is not a tag; use polderen, coalitie, confrontatie, organiseren, mobiliseren or overnemen{hint}"),
    "unknown-motive": ("'{name}' is geen motief; gebruik affectief, instrumenteel of moreel{hint}",
                       "'{name}' is not a motive; use affectief, instrumenteel or moreel{hint}"),
    # --- the rules of play ---------------------------------------------------
    "outcome-chances": ("de kansen van de uitkomsten tellen op tot {total} in plaats van 1",
                        "the chances of the outcomes add up to {total} instead of 1"),
    "outcome-no-chance": ("alleen de laatste uitkomst mag 'chance' weglaten (die krijgt de rest)",
                          "only the last outcome may leave out 'chance' (it gets the rest)"),
    "tipping-direction": ("een kantelpunt heeft precies één van 'above' of 'below' nodig",
                          "a tipping point needs exactly one of 'above' or 'below'"),
    "tipping-never": ("meter '{meter}' kan {threshold} nooit {way} passeren (bereik {low}..{high}): dit kantelpunt gaat nooit af",
                      "meter '{meter}' can never cross {threshold} {way} (range {low}..{high}): this tipping point never fires"),
    "drift-toward": ("'toward' moet 'start' of een getal binnen het bereik van de meter zijn",
                     "'toward' must be 'start' or a number within the meter's range"),
    "expect-impossible": ("dit einde verwacht {expect}, maar zijn voorwaarde laat dat nooit toe bij grens {threshold}",
                          "this ending expects {expect}, but its condition never allows that at threshold {threshold}"),
    # --- conditions and effects -------------------------------------------
    "bad-condition": ("deze voorwaarde klopt niet: {detail}", "this condition is not valid: {detail}"),
    "bad-effect": ("dit effect klopt niet: {detail}", "this effect is not valid: {detail}"),
    "never-true": ("deze voorwaarde kan nooit waar zijn: {detail}", "this condition can never hold: {detail}"),
    "always-true-interrupt": ("dit tussentijdse einde geldt al bij de start: het spel zou meteen stoppen",
                              "this interrupting ending already holds at the start: the game would stop at once"),
    # --- the graph ---------------------------------------------------------
    "unreachable-scene": ("niets leidt naar scène '{name}'", "nothing leads to scene '{name}'"),
    "dead-end": ("scène '{name}' heeft geen keuzes en is geen einde: de speler zit hier vast",
                 "scene '{name}' has no choices and is not an ending: the player is stuck here"),
    "unreachable-ending": ("einde '{name}' kan nooit bereikt worden: {detail}",
                           "ending '{name}' can never be reached: {detail}"),
    "no-ending": ("een keuze leidt naar 'end', maar er is geen gewoon einde (zonder 'interrupt') om te kiezen",
                  "a choice leads to 'end', but there is no ordinary ending (without 'interrupt') to pick"),
    "all-conditional": ("alle keuzes van scène '{name}' hebben een voorwaarde; geldt er geen, dan kiest het spel meteen een einde",
                        "every choice of scene '{name}' has a condition; when none holds, the game goes straight to an ending"),
    "no-fallback-ending": ("geen einde zonder voorwaarde: als geen enkele voorwaarde geldt, kiest het spel het laatste einde",
                           "no ending without a condition: when no condition holds, the game takes the last ending"),
    "image-not-file": ("de afbeelding '{name}' is {kind}, geen gewoon bestand; het spel toont de scène zonder",
                       "the image '{name}' is {kind}, not a regular file; the game shows the scene without it"),
    "image-too-big": ("de afbeelding '{name}' is {width}×{height} pixels (volgens de kop van het bestand); hooguit "
                      "{limit} pixels per zijde, dus het spel toont de scène zonder",
                      "the image '{name}' is {width}×{height} pixels (from the file's header); at most {limit} "
                      "pixels a side, so the game shows the scene without it"),
    "image-file-too-big": ("het afbeeldingsbestand '{name}' is {size} MB; hooguit {limit} MB, dus het spel toont de "
                           "scène zonder",
                           "the image file '{name}' is {size} MB; at most {limit} MB, so the game shows the scene "
                           "without it"),
    "image-unknown": ("'{name}' is geen PNG, JPEG, GIF, BMP, WebP of SVG; het spel toont de scène zonder",
                      "'{name}' is not a PNG, JPEG, GIF, BMP, WebP or SVG; the game shows the scene without it"),
    "image-unreadable": ("de afbeelding '{name}' kan niet gelezen worden ({detail}); het spel toont de scène zonder",
                         "the image '{name}' cannot be read ({detail}); the game shows the scene without it"),
    "image-outside": ("de afbeelding '{name}' ligt buiten de map van het scenario; wie het scenario deelt, deelt "
                      "haar niet vanzelf mee (en een scenario hoort geen bestanden elders te lezen)",
                      "the image '{name}' lies outside the scenario's folder; sharing the scenario does not share "
                      "it (and a scenario should not read files elsewhere)"),
    "image-missing": ("de afbeelding '{name}' bestaat niet (het pad is relatief aan het scenariobestand); het spel toont de scène zonder",
                      "the image '{name}' does not exist (the path is relative to the scenario file); the game shows the scene without it"),
    "missing-translation": ("de Engelse vertaling ontbreekt", "the English translation is missing"),
}

DETAILS: dict[str, tuple[str, str]] = {
    "nothing-leads": ("geen keuze leidt ernaartoe en het is geen tussentijds einde",
                      "no choice leads to it and it is not an interrupting ending"),
}

TYPE_NAMES: dict[str, tuple[str, str]] = {
    "text": ("een tekst", "a text"),
    "number": ("een getal", "a number"),
    "decimal": ("een kommagetal", "a decimal number"),
    "integer": ("een heel getal", "a whole number"),
    "mapping": ("een blok met sleutels", "a block of keys"),
    "list": ("een lijst", "a list"),
    "boolean": ("true of false", "true or false"),
    "none": ("leeg", "empty"),
    "translated": ("een tekst of een blok met 'nl:' en 'en:'", "a text or a block with 'nl:' and 'en:'"),
    "condition": ("een voorwaarde in tekst, zoals 'tegenmacht >= 40'", "a condition as text, like 'tegenmacht >= 40'"),
    "change": ("een getal of een tekst zoals '+5', '=30' of '%+20'", "a number or a text like '+5', '=30' or '%+20'"),
}


def type_name(value: Any) -> str:
    """The catalogue key of the type of a loaded YAML value."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, dict):
        return "mapping"
    if isinstance(value, list):
        return "list"
    return "text"


@dataclass(frozen=True)
class Problem:
    """One finding in one file."""

    path: str
    line: int
    column: int
    level: str  # "error" | "warning"
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def __init__(self, path: str, line: int, column: int, level: str, code: str, /, **params: Any):
        # Positional-only, so that a message parameter may itself be called ``line``
        # (e.g. duplicate-key: "first on line {line}") without clashing.
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "line", line)
        object.__setattr__(self, "column", column)
        object.__setattr__(self, "level", level)
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "params", params)

    def message(self, lang: str = "en") -> str:
        i = 0 if lang == "nl" else 1
        params = {}
        for key, value in self.params.items():
            if key in ("expected", "found") and value in TYPE_NAMES:
                value = TYPE_NAMES[value][i]
            elif key == "detail" and isinstance(value, str) and value in DETAILS:
                value = DETAILS[value][i]
            elif isinstance(value, tuple) and len(value) == 2 and all(isinstance(x, str) for x in value):
                value = value[i]  # a (Dutch, English) pair
            elif key == "suggestion":
                continue
            params[key] = value
        suggestion = self.params.get("suggestion")
        if suggestion:
            params["hint"] = (f" (bedoel je '{suggestion}'?)" if i == 0 else f" (did you mean '{suggestion}'?)")
        else:
            params.setdefault("hint", "")
        where = params.get("where")
        if isinstance(where, tuple):
            params["where"] = where[i]
        template = MESSAGES.get(self.code, (self.code, self.code))[i]
        try:
            return template.format(**params)
        except (KeyError, IndexError):  # a missing parameter must never hide the finding
            return f"{template} {params}"

    def location(self) -> str:
        if self.line <= 0:
            return self.path
        return f"{self.path}:{self.line}:{self.column}"

    def render(self, lang: str = "en") -> str:
        # The level stays in English: editors and CI tools parse "path:line:col: error: ...".
        return f"{self.location()}: {self.level}: {self.message(lang)}"

    def to_json(self, lang: str = "en") -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "level": self.level, "code": self.code,
                "message": self.message(lang)}
