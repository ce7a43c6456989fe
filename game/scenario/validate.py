"""Turn a scenario file into a :class:`~game.model.Scenario`, collecting every problem.

The validator never stops at the first problem: it reports all of them, each
with ``file:line:column`` and a plain message (see :mod:`game.problems`), and
builds the model only when no *error* is left. Warnings (a missing
translation, a scene nothing leads to) do not block play.
"""
from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Optional

from game.scenario import defaults
from game.scenario import rules
from game.scenario.loader import LoadResult, YList, YMap, load_file, load_text, located
from game.scenario.model import (AGENCIES, DEFAULT_ARCHETYPES, DEFAULT_METERS, END, EMPTY, FORMAT_VERSION, MOTIVES, OTHER,
                    QUADRANTS, TAGS, Actor, Archetype, Choice, Coach, Condition, Drift, Effects, Ending, Event, Later,
                    Meter, Outcome, Remark, Response, Scenario, Scene, STRATEGIES, TagRule, Text, TippingPoint)
from game.perf import no_gc
from game.scenario.problems import Problem, ScenarioError, type_name
from game.scenario.paths import walk
from game.scenario.state import PlayState
from game.scenario.schema import SCENARIO, F

_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_\-]*$")
_WORD = re.compile(r"\w+", re.UNICODE)

Pos = tuple[int, int]


_TYPE_OK = {
    "str": lambda v: isinstance(v, str),
    "condition": lambda v: isinstance(v, (str, bool)),
    "id": lambda v: isinstance(v, str),
    "translated": lambda v: isinstance(v, (str, YMap)),
    "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "bool": lambda v: isinstance(v, bool),
    "scalar": lambda v: isinstance(v, (str, int, float)) and not isinstance(v, bool),
    "change": lambda v: isinstance(v, (int, float, str)) and not isinstance(v, bool),  # 5.5: bad-effect later
    "enum": lambda v: isinstance(v, str),
    "object": lambda v: isinstance(v, YMap),
    "list": lambda v: isinstance(v, YList),
    "idmap": lambda v: isinstance(v, YMap),
    "some": lambda v: True,  # checked item by item
    "remarks": lambda v: isinstance(v, (str, YMap, YList)),
    "drift": lambda v: v is False or isinstance(v, YMap),
    "toward": lambda v: v == "start" or (isinstance(v, int) and not isinstance(v, bool)),
}


def suggest(word: str, options: Iterable[str]) -> Optional[str]:
    """The closest option to a mistyped word, if one is close enough."""
    found = difflib.get_close_matches(str(word), [str(o) for o in options], n=1, cutoff=0.6)
    return found[0] if found else None


@dataclass
class Report:
    """The outcome of validating one file."""

    path: str
    problems: list[Problem]
    scenario: Optional[Scenario] = None
    stats: dict[str, int] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "warning"]

    @property
    def ok(self) -> bool:
        return self.scenario is not None


def _where(kind: str, name: str = "") -> tuple[str, str]:
    names = {"scenario": ("het scenario", "the scenario"), "scene": ("scène", "scene"),
             "choice": ("keuze", "choice"), "event": ("gebeurtenis", "event"), "ending": ("einde", "ending"),
             "meter": ("meter", "meter"), "actor": ("actor", "actor"), "coach": ("coach", "coach"),
             "text": ("een tekst", "a text"), "block": ("dit blok", "this block")}
    nl, en = names.get(kind, (kind, kind))
    return (f"{nl} '{name}'", f"{en} '{name}'") if name else (nl, en)


class _Builder:
    """Checks one loaded file against the format and builds the model."""

    def __init__(self, loaded: LoadResult):
        self.path = loaded.path
        self.text_lines = loaded.text.splitlines()
        self.problems: list[Problem] = list(loaded.problems)
        self.data: YMap = loaded.data
        self.translated: list[tuple[Any, Pos]] = []  # (raw value, position) of every player-facing text
        self.conditions: list[tuple[rules.Node, Pos, str, Any]] = []
        self.broken: set = set()  # owners whose condition did not parse
        self.never: set = set()  # owners whose condition can never hold
        self.mistyped_choices: set = set()  # scenes with an unknown key that looks like 'choices'
        self.effect_targets: list[tuple[str, str, Pos]] = []  # (meter|actor, name, position) to check
        self.stats: dict[str, int] = {}
        self.meter_pos: dict[str, Pos] = {}
        self.tip_ids: set[str] = set()

    # -- reporting ---------------------------------------------------------
    def add(self, pos: Pos, level: str, code: str, **params: Any) -> None:
        self.problems.append(Problem(self.path, pos[0], pos[1], level, code, **params))

    def err(self, pos: Pos, code: str, **params: Any) -> None:
        self.add(pos, "error", code, **params)

    # -- generic shape checking --------------------------------------------
    def check(self, value: Any, f: F, key: str, pos: Pos, where: tuple[str, str]) -> bool:
        """Report type problems of ``value`` against field ``f``; True if usable."""
        k = f.kind
        if value is None and k in ("list", "idmap"):
            return True
        if k == "some" and f.of is not None:  # one item, or a list of them
            if isinstance(value, YList):
                return all([self.check(item, f.of, key, value.where(i), where) for i, item in enumerate(value)])
            return self.check(value, f.of, key, pos, where)
        if k == "remarks" and isinstance(value, YList) and f.of is not None:
            for i, item in enumerate(value):
                one = f.of if isinstance(item, YMap) and "text" in item else F("translated")
                self.check(item, one, key, value.where(i), where)
            return True
        if k == "remarks" and isinstance(value, (str, YMap)):
            return self.check(value, F("translated"), key, pos, where)
        if k == "toward" and not _TYPE_OK[k](value):
            self.err(pos, "drift-toward")
            return False
        ok = _TYPE_OK[k](value)
        if not ok:
            expected = {"str": "text", "condition": "condition", "id": "text", "translated": "translated",
                        "int": "integer", "number": "number", "bool": "boolean", "scalar": "text",
                        "change": "change", "enum": "text", "object": "mapping", "list": "list",
                        "idmap": "mapping"}.get(k, "mapping")
            found = type_name(value)
            if k in ("remarks", "drift"):
                expected = "translated" if k == "remarks" else "mapping"
            if found == "number" and expected == "integer":
                found = "decimal"  # "must be a whole number, not a decimal number"
            self.err(pos, "wrong-type", key=key, expected=expected, found=found)
            return False
        if k == "id" and not _ID.match(value):
            self.err(pos, "bad-id", value=value)
            return False
        if k == "enum" and value not in f.enum:
            self.err(pos, "bad-value", value=value, key=key, choices=", ".join(f.enum),
                     suggestion=suggest(value, f.enum))
            return False
        if k in ("int", "number") and ((f.low is not None and value < f.low) or (f.high is not None and value > f.high)):
            self.err(pos, "out-of-range", key=key, low=_num(f.low), high=_num(f.high), value=value)
            return False
        if k == "translated":
            self.translated.append((value, pos))
            if isinstance(value, YMap):
                self.check_keys(value, {"nl": F("str", True), "en": F("str")}, _where("text"))
        elif k == "object" or (k == "drift" and isinstance(value, YMap)):
            self.check_keys(value, f.fields or {}, where)
        elif k == "list" and f.of is not None:
            for i, item in enumerate(value):
                item_where = where
                if f.of.kind == "object":  # "unknown key 'nxt' in choice 'verder'", not "in scene 'start'"
                    name = item.get("id") if isinstance(item, dict) else None
                    item_where = _where(key.rstrip("s"), name if isinstance(name, str) else str(i + 1))
                self.check(item, f.of, key, value.where(i), item_where)
        elif k == "idmap" and f.of is not None:
            for name, item in value.items():
                kpos = value.key_pos[name]
                if not isinstance(name, str) or not _ID.match(name):
                    self.err(kpos, "bad-id", value=name)
                    continue
                if f.of.kind == "object":
                    self.check(item, f.of, name, value.where(name), _where(key.rstrip("s"), name))
                else:
                    self.check(item, f.of, name, value.where(name), where)
        return True

    def check_keys(self, m: YMap, fields: dict[str, F], where: tuple[str, str]) -> None:
        suggested: set[str] = set()
        for name, value in m.items():
            if name not in fields:
                hint = suggest(name, fields)
                suggested.add(hint or "")
                self.err(m.key_pos[name], "unknown-key", key=name, where=where, suggestion=hint)
                continue
            self.check(value, fields[name], name, m.where(name), where)
        for name, f in fields.items():
            if f.required and name not in m and name not in suggested:  # 'nxt:' already says "did you mean 'next'"
                self.err(m.pos, "missing-key", key=name, where=where)

    # -- small typed getters (types were checked above) ----------------------
    @staticmethod
    def get(m: Any, key: str, kind: type | tuple[type, ...], default: Any = None) -> Any:
        if not isinstance(m, dict):
            return default
        value = m.get(key, default)
        if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
            return default
        return value if isinstance(value, kind) else default

    def text(self, m: Any, key: str) -> Text:
        value = m.get(key) if isinstance(m, dict) else None
        if isinstance(value, str):
            return Text(value.strip())
        if isinstance(value, dict) and isinstance(value.get("nl"), str):
            en = value.get("en")
            return Text(value["nl"].strip(), en.strip() if isinstance(en, str) else None)
        return EMPTY

    def texts(self, m: Any, key: str) -> tuple[Text, ...]:
        items = self.get(m, key, list, [])
        return tuple(self.text({"x": item}, "x") for item in items if isinstance(item, (str, dict)))

    # -- conditions and effects -----------------------------------------------
    def inner_pos(self, pos: Pos, column: int) -> Pos:
        """Position of a column inside a scalar that starts at ``pos``."""
        line = self.text_lines[pos[0] - 1] if 0 < pos[0] <= len(self.text_lines) else ""
        quote = 1 if line[pos[1] - 1:pos[1]] in ("'", '"') else 0
        return (pos[0], pos[1] + quote + column - 1)

    def condition(self, m: Any, owner: Any) -> Optional[Condition]:
        raw = m.get("if") if isinstance(m, dict) else None
        if raw is None:
            return None
        pos = m.where("if")
        if isinstance(raw, bool):
            raw = "true" if raw else "false"
        if not isinstance(raw, str):
            return None
        try:
            node = rules.parse_condition(raw)
        except rules.ConditionSyntaxError as e:
            self.err(self.inner_pos(pos, e.column), "bad-condition", detail=e.message)
            self.broken.add(owner)  # not "no condition": the graph checks must not guess
            return None
        self.conditions.append((node, pos, raw, owner))
        return Condition(raw, node, rules.compile_condition(node))

    def effects(self, m: Any) -> Effects:
        meters: list[tuple[str, rules.Change]] = []
        actors: list[tuple[str, str, rules.Change]] = []
        eff = self.get(m, "effects", dict, {}) or {}
        for name, raw in eff.items():
            pos = eff.where(name)
            try:
                meters.append((name, self.change(raw, pos)))
            except ValueError as e:
                self.err(pos, "bad-effect", detail=e.args[0])
            self.effect_targets.append(("meter", name, eff.key_pos.get(name, pos)))
        act = self.get(m, "actors", dict, {}) or {}
        for actor, changes in act.items():
            self.effect_targets.append(("actor", actor, act.key_pos.get(actor, act.pos)))
            if not isinstance(changes, dict):
                continue
            for attr, raw in changes.items():
                if attr not in rules.ACTOR_ATTRS:
                    continue
                try:
                    actors.append((actor, attr, self.change(raw, changes.where(attr))))
                except ValueError as e:
                    self.err(changes.where(attr), "bad-effect", detail=e.args[0])
        return Effects(tuple(meters), tuple(actors))

    def change(self, raw: Any, pos: Pos) -> rules.Change:
        """A parsed change; a scaled one's reference is checked with the other names."""
        change = rules.parse_change(raw)
        if change.op == "scale":
            self.effect_targets.append(("ref", change.ref, self.inner_pos(pos, 2)))
        return change

    def responses(self, d: YMap) -> dict[str, dict[str, tuple[Response, ...]]]:
        given = self.get(d, "responses", dict, {}) or {}
        out: dict[str, dict[str, tuple[Response, ...]]] = {}
        for motive in MOTIVES:
            row = given.get(motive) if motive in given else located(defaults.RESPONSES.get(motive, {}), d.pos)
            if not isinstance(row, dict):
                continue
            cells: dict[str, tuple[Response, ...]] = {}
            for tag, cell in row.items():
                if tag not in TAGS + (OTHER,):
                    continue
                items = list(cell) if isinstance(cell, YList) else [cell]
                entries = []
                for i, item in enumerate(items):
                    if not isinstance(item, dict):
                        continue
                    changes = []
                    for attr in rules.ACTOR_ATTRS:
                        if attr in item:
                            try:
                                changes.append(("*", attr, self.change(item[attr], item.where(attr))))
                            except ValueError as e:
                                self.err(item.where(attr), "bad-effect", detail=e.args[0])
                    entries.append(Response(Effects((), tuple(changes)), self.text(item, "text"),
                                            self.condition(item, ("response", motive, tag, i))))
                cells[tag] = tuple(entries)
            out[motive] = cells
        return out

    def tag_rules(self, d: YMap) -> dict[str, TagRule]:
        given = self.get(d, "tag_rules", dict, {}) or {}
        out: dict[str, TagRule] = {}
        for tag in TAGS:
            raw = given.get(tag) if tag in given else located(defaults.TAG_RULES.get(tag, {}), d.pos)
            if not isinstance(raw, dict):
                continue
            rule = TagRule(tag, self.effects(raw), self.text(raw, "text"), self.later(raw, ("tag", tag)))
            if rule.effects or rule.later or rule.text.nl:
                out[tag] = rule
        return out

    def tipping_points(self, d: YMap, meters: dict[str, Meter]) -> tuple[TippingPoint, ...]:
        out: list[TippingPoint] = []
        seen: dict[str, int] = {}
        for t in self.get(d, "tipping_points", list, []) or []:
            if not isinstance(t, dict) or not isinstance(t.get("id"), str) or not isinstance(t.get("meter"), str):
                continue
            tid, name = t["id"], t["meter"]
            if tid in seen:
                self.err(t.where("id"), "duplicate-id", name=tid, line=seen[tid])
            seen[tid] = t.pos[0]
            self.effect_targets.append(("meter", name, t.where("meter")))
            above, below = self.get(t, "above", int), self.get(t, "below", int)
            if (above is None) == (below is None):
                self.err(t.pos, "tipping-direction")
                continue
            up = above is not None
            threshold = above if up else below
            m = meters.get(name)
            if m is not None and not (m.min < threshold <= m.max if up else m.min <= threshold < m.max):
                self.err(t.where("above" if up else "below"), "tipping-never", meter=name, threshold=threshold,
                         way=("omhoog", "upward") if up else ("omlaag", "downward"), low=m.min, high=m.max)
            out.append(TippingPoint(tid, name, threshold, up, self.condition(t, ("tip", tid)),
                                    self.get(t, "once", bool, True), self.text(t, "title"), self.text(t, "text"),
                                    self.effects(t), self.coach(t), self.later(t, ("tip", tid)), t.pos[0]))
        return tuple(out)

    def later(self, m: Any, owner: Any) -> tuple[Later, ...]:
        raw = m.get("later") if isinstance(m, dict) else None
        items = [raw] if isinstance(raw, YMap) else list(raw) if isinstance(raw, YList) else []
        out = []
        for i, item in enumerate(items):
            if isinstance(item, dict):
                turns = self.get(item, "turns", int, 1)
                out.append(Later(max(1, turns), self.text(item, "text"), self.effects(item),
                                 self.condition(item, owner + ("later", i))))
        return tuple(out)

    def outcomes(self, c: Any, owner: Any) -> tuple[Outcome, ...]:
        items = self.get(c, "outcomes", list, []) or []
        raw = [o for o in items if isinstance(o, dict)]
        if not raw:
            return ()
        out: list[Outcome] = []
        total = 0.0
        for i, o in enumerate(raw):
            chance = self.get(o, "chance", (int, float))
            if chance is None:
                if i != len(raw) - 1:
                    self.err(o.pos, "outcome-no-chance")
                chance = max(0.0, 1.0 - total)
            chance = float(chance) if 0 <= chance <= 1 else 0.0
            total += chance
            out.append(Outcome(chance, self.text(o, "text"), self.effects(o), self.get(o, "next", str, ""),
                               self.later(o, owner + ("outcome", i))))
        if abs(total - 1.0) > 1e-6:
            self.err(c.where("outcomes"), "outcome-chances", total=_num(round(total, 4)))
        return tuple(out)

    def remarks(self, m: Any, key: str, owner: Any) -> tuple[Remark, ...]:
        raw = m.get(key) if isinstance(m, dict) else None
        items = list(raw) if isinstance(raw, YList) else [raw] if isinstance(raw, (str, YMap)) else []
        out = []
        for i, item in enumerate(items):
            if isinstance(item, YMap) and "text" in item:
                out.append(Remark(self.text(item, "text"), self.condition(item, owner + (key, i))))
            elif isinstance(item, (str, dict)):
                text = self.text({"x": item}, "x")
                if text.nl:
                    out.append(Remark(text))
        return tuple(out)

    def coach(self, m: Any) -> Optional[Coach]:
        c = self.get(m, "coach", dict)
        if not c or not isinstance(c.get("text"), (str, dict)):
            return None
        return Coach(self.text(c, "text"), self.text(c, "theory"))

    # -- the whole file -------------------------------------------------------
    def build(self) -> Optional[Scenario]:
        d = self.data
        if not isinstance(d, YMap):
            found = type_name(d)
            word = {"list": ("lijst", "a list"), "text": ("losse tekst", "a bare word"),  # "geen lijst"
                    "integer": ("getal", "a number"), "number": ("getal", "a number"),
                    "boolean": ("true/false", "true/false"), "none": ("lege waarde", "nothing")}[found]
            pos = d.pos if isinstance(d, YList) else (1, 1)
            self.err(pos, "not-a-mapping", found=word)
            return None
        self.check(d, SCENARIO, "scenario", d.pos, _where("scenario"))
        fmt = self.get(d, "format", int, FORMAT_VERSION)
        if fmt != FORMAT_VERSION:
            self.err(d.where("format"), "format-version", value=fmt, known=FORMAT_VERSION)
        languages = tuple(x for x in self.get(d, "languages", list, ["nl"]) if x in ("nl", "en")) or ("nl",)
        if "languages" in d and "nl" not in languages:
            self.err(d.where("languages"), "language-nl")

        self.start = d.get("start", next(iter(self.get(d, "scenes", dict, {}) or {"": 0})))
        meters = self.build_meters(d)
        actors = self.build_actors(d)
        raw_scenes = self.get(d, "scenes", dict, {}) or {}
        raw_endings = self.get(d, "endings", dict, {}) or {}
        if "scenes" in d and not raw_scenes:
            self.err(d.where("scenes"), "no-scenes")
        for name in raw_endings:
            if name in raw_scenes:
                self.err(raw_endings.key_pos[name], "duplicate-id", name=name, line=raw_scenes.key_pos[name][0])
        for table in (raw_scenes, raw_endings):
            for name in table:
                if name == END:
                    self.err(table.key_pos[name], "bad-id", value=name)

        scenes = {name: self.build_scene(name, raw) for name, raw in raw_scenes.items()
                  if isinstance(name, str) and isinstance(raw, dict)}
        events = self.build_events(d)
        endings = {name: self.build_ending(name, raw) for name, raw in raw_endings.items()
                   if isinstance(name, str) and isinstance(raw, dict)}
        title_image = self.get(d, "image", str)
        if title_image and self.path and not self.path.startswith("<"):
            self.check_image(d.where("image"), title_image)
        tag_rules = self.tag_rules(d)
        responses = self.responses(d)
        tipping = self.tipping_points(d, meters)
        self.tip_ids = {t.id for t in tipping}
        owner = ("scenario-text",)
        debrief, questions = self.remarks(d, "debrief", owner), self.remarks(d, "questions", owner)

        self.check_references(d, meters, actors, scenes, events, endings)
        self.check_graph(d, raw_scenes, raw_endings, meters, scenes, endings)
        if "en" in languages:
            for value, pos in self.translated:
                if isinstance(value, str) or (isinstance(value, dict) and not isinstance(value.get("en"), str)):
                    self.add(pos, "warning", "missing-translation")
        self.stats = {
            "scenes": len(scenes), "choices": sum(len(s.choices) for s in scenes.values()),
            "endings": len(endings), "events": len(events), "actors": len(actors),
            "words_nl": 0, "words_en": 0,
        }
        for value, _ in self.translated:
            nl = value if isinstance(value, str) else value.get("nl")
            en = value.get("en") if isinstance(value, dict) else None
            self.stats["words_nl"] += len(_WORD.findall(nl)) if isinstance(nl, str) else 0
            self.stats["words_en"] += len(_WORD.findall(en)) if isinstance(en, str) else 0
        if any(p.level == "error" for p in self.problems):
            return None
        archetypes = dict(DEFAULT_ARCHETYPES)
        for key, raw in (self.get(d, "archetypes", dict, {}) or {}).items():
            archetypes[key] = Archetype(key, self.text(raw, "name"), self.text(raw, "description"))
        version = d.get("version", "1")
        scenario = Scenario(
            id=d["id"], title=self.text(d, "title"), start=self.start, meters=meters, actors=actors,
            scenes=scenes, events=tuple(events), endings=endings, version=str(version),
            author=self.get(d, "author", str, ""), languages=languages, summary=self.text(d, "summary"),
            learning_goals=self.texts(d, "learning_goals"), minutes=self.get(d, "minutes", int, 20),
            archetypes=archetypes, threshold=self.get(d, "threshold", int, 50), path=self.path,
            tag_rules=tag_rules, responses=responses, tipping_points=tipping, debrief=debrief,
            questions=questions, image=self.get(d, "image", str), image_alt=self.text(d, "image_alt"),
        )
        # The start of play, by the same code the game uses: an interrupting ending
        # that already holds there would stop the game at once.
        start_state = PlayState.start(scenario)
        for e in endings.values():
            if e.interrupt and ("ending", e.id) not in self.broken and (
                    e.condition is None or e.condition.test(start_state)):
                self.err(raw_endings.key_pos[e.id], "always-true-interrupt")
        if any(p.level == "error" for p in self.problems):
            return None
        return scenario

    def build_meters(self, d: YMap) -> dict[str, Meter]:
        meters = dict(DEFAULT_METERS)
        raw = self.get(d, "meters", dict, {}) or {}
        for name, m in raw.items():
            if isinstance(m, dict) and isinstance(name, str):
                self.meter_pos[name] = m.pos
        for name, m in raw.items():
            if not isinstance(m, dict) or not isinstance(name, str):
                continue
            base = meters.get(name)
            if base is None:
                if "label" not in m:
                    self.err(m.pos, "missing-key", key="label", where=_where("meter", name))
                base = Meter(name, Text(name), 0, 100, 0)
            low = self.get(m, "min", int, base.min)
            high = self.get(m, "max", int, base.max)
            start = self.get(m, "start", int, base.start if low <= base.start <= high else low)
            if low >= high:
                self.err(m.where("min") if "min" in m else m.pos, "bad-range", meter=name, low=low, high=high)
            elif not low <= start <= high:
                self.err(m.where("start"), "out-of-range", key="start", low=low, high=high, value=start)
            label = self.text(m, "label") if "label" in m else base.label
            desc = self.text(m, "description") if "description" in m else base.description
            meters[name] = Meter(name, label, low, high, start, desc, meters[name].drift if name in meters else None)
        for name, meter in meters.items():  # drift: the scenario's own, else the default
            m = raw.get(name) if isinstance(raw.get(name), dict) else None
            if m is not None and "drift" in m:
                spec, pos = m.get("drift"), m.where("drift")
            elif name in defaults.DRIFT:
                spec, pos = located(defaults.DRIFT[name], d.pos), d.pos
            else:
                continue
            meters[name] = replace(meter, drift=self.drift(spec, pos, meter))
        return meters

    def drift(self, spec: Any, pos: Pos, meter: Meter) -> Optional[Drift]:
        if not isinstance(spec, dict):
            return None
        by = self.get(spec, "by", int, 0)
        toward = spec.get("toward")
        target: Optional[int] = None
        if toward == "start":
            target = meter.start
        elif isinstance(toward, int) and not isinstance(toward, bool):
            if not meter.min <= toward <= meter.max:
                self.err(spec.where("toward"), "drift-toward")
            target = toward
        if not by:
            return None
        return Drift(by, target, self.condition(spec, ("drift", meter.id)), self.text(spec, "text"))

    def build_actors(self, d: YMap) -> dict[str, Actor]:
        out: dict[str, Actor] = {}
        for name, a in (self.get(d, "actors", dict, {}) or {}).items():
            if isinstance(a, dict) and isinstance(name, str):
                motive = self.get(a, "motive", str, "instrumenteel")
                out[name] = Actor(name, self.text(a, "name"), self.get(a, "power", int, 50),
                                  self.get(a, "stance", int, 0), motive if motive in MOTIVES else "instrumenteel",
                                  self.text(a, "description"), self.get(a, "responds", bool, True))
        return out

    def build_scene(self, name: str, s: YMap) -> Scene:
        if "choices" not in s and any(suggest(k, ("choices",)) for k in s if isinstance(k, str)):
            self.mistyped_choices.add(name)
        choices: list[Choice] = []
        seen: dict[str, int] = {}
        raw_choices = self.get(s, "choices", list, []) or []
        for i, c in enumerate(raw_choices):
            if not isinstance(c, dict):
                continue
            cid = self.get(c, "id", str, f"c{i + 1}")
            if cid in seen:
                self.err(c.where("id"), "duplicate-id", name=cid, line=seen[cid])
            seen[cid] = c.pos[0]
            strategy = self.get(c, "strategy", str)
            agency = self.get(c, "agency", str)
            owner = ("choice", name, cid)
            choices.append(Choice(
                id=cid, scene=name, text=self.text(c, "text"), next=self.get(c, "next", str, ""),
                strategy=strategy if strategy in STRATEGIES else None,
                agency=agency if agency in AGENCIES else None,
                condition=self.condition(c, owner), effects=self.effects(c),
                coach=self.coach(c), line=c.pos[0],
                show_locked=self.text(c, "show_locked") if "show_locked" in c else None,
                later=self.later(c, owner), outcomes=self.outcomes(c, owner)))
        phase = s.get("phase", "")
        image = self.get(s, "image", str)
        if image and self.path and not self.path.startswith("<"):
            self.check_image(s.where("image"), image)
        return Scene(name, self.text(s, "text"), tuple(choices), str(phase) if phase is not None else "",
                     self.text(s, "title"), image, s.pos[0], self.text(s, "image_alt"))

    def check_image(self, where: Any, image: str) -> None:
        """A scene's image: there, a regular file, not too big (from its header), inside the folder."""
        from game.scenario.images import check_image
        from game.safeio import KIND_WORDS, inside

        folder = Path(self.path).parent
        target = folder / image
        if not inside(folder, target):
            self.add(where, "warning", "image-outside", name=image)
        found = check_image(str(target))
        if found is not None:
            code, params = found
            if code == "image-not-file":
                params["kind"] = KIND_WORDS.get(params["kind"], KIND_WORDS["special file"])
            self.add(where, "warning", code, name=image, **params)

    def build_events(self, d: YMap) -> list[Event]:
        out: list[Event] = []
        seen: dict[str, int] = {}
        for e in self.get(d, "events", list, []) or []:
            if not isinstance(e, dict) or not isinstance(e.get("id"), str):
                continue
            eid = e["id"]
            if eid in seen:
                self.err(e.where("id"), "duplicate-id", name=eid, line=seen[eid])
            seen[eid] = e.pos[0]
            chance = self.get(e, "chance", (int, float), 1.0)
            out.append(Event(eid, self.text(e, "text"), self.condition(e, ("event", eid)),
                             float(chance) if 0 <= chance <= 1 else 1.0, self.get(e, "once", bool, True),
                             self.text(e, "title"), self.effects(e), self.coach(e), e.pos[0],
                             self.later(e, ("event", eid))))
        return out

    def build_ending(self, name: str, e: YMap) -> Ending:
        expect = e.get("expect")
        expect = [expect] if isinstance(expect, str) else list(expect) if isinstance(expect, list) else []
        owner = ("ending-text", name)
        return Ending(name, self.text(e, "title"), self.text(e, "text"), self.condition(e, ("ending", name)),
                      self.get(e, "interrupt", bool, False), self.remarks(e, "debrief", owner),
                      self.remarks(e, "questions", owner), e.pos[0], self.effects(e),
                      tuple(x for x in expect if x in QUADRANTS), self.text(e, "outcome"))

    # -- references -------------------------------------------------------------
    def ranges(self, meters: dict[str, Meter], actors: dict[str, Actor]) -> dict[str, tuple[float, float]]:
        r: dict[str, tuple[float, float]] = {m.id: (m.min, m.max) for m in meters.values()}
        for a in actors:
            for attr, rng in rules.ACTOR_RANGES.items():
                r[f"{a}.{attr}"] = rng
        r["turns"] = (0, math.inf)
        for tag in TAGS:
            r[f"count({tag})"] = (0, math.inf)
            r[f"share({tag})"] = (0, 100)
            r[f"since({tag})"] = (0, rules.NEVER)
        return r

    def check_references(self, d: YMap, meters: dict[str, Meter], actors: dict[str, Actor],
                         scenes: dict[str, Scene], events: list[Event], endings: dict[str, Ending]) -> None:
        targets = set(scenes) | set(endings) | {END}
        start = self.start
        if isinstance(start, str) and scenes and start not in scenes:
            self.err(d.where("start"), "unknown-scene", name=start, suggestion=suggest(start, scenes))
        raw_scenes = self.get(d, "scenes", dict, {}) or {}
        for scene in scenes.values():
            raw_list = self.get(raw_scenes.get(scene.id), "choices", list, []) or []
            raw_by_id = {}
            for i, c in enumerate(raw_list):
                if isinstance(c, dict):
                    raw_by_id[self.get(c, "id", str, f"c{i + 1}")] = c
            for choice in scene.choices:
                raw = raw_by_id.get(choice.id)
                if choice.next and choice.next not in targets and raw is not None:
                    self.err(raw.where("next"), "unknown-scene", name=choice.next,
                             suggestion=suggest(choice.next, targets))
                raw_outcomes = [o for o in (self.get(raw, "outcomes", list, []) or []) if isinstance(o, dict)]
                for o, raw_o in zip(choice.outcomes, raw_outcomes):
                    if o.next and o.next not in targets:
                        self.err(raw_o.where("next"), "unknown-scene", name=o.next, suggestion=suggest(o.next, targets))
        for kind, name, pos in self.effect_targets:
            if kind == "meter" and name not in meters:
                self.err(pos, "unknown-meter", name=name, suggestion=suggest(name, meters))
            elif kind == "actor" and name not in actors:
                self.err(pos, "unknown-actor", name=name, suggestion=suggest(name, actors))
            elif kind == "ref":
                actor, _, attr = name.partition(".")
                if attr and actor not in actors:
                    self.err(pos, "unknown-actor", name=actor, suggestion=suggest(actor, actors))
                elif attr and attr not in rules.ACTOR_ATTRS:
                    self.err(pos, "bad-effect", detail=(f"'{name}': gebruik .power of .stance",
                                                        f"'{name}': use .power or .stance"))
                elif not attr and name not in meters:
                    self.err(pos, "unknown-meter", name=name, suggestion=suggest(name, meters))
        choice_keys = {c.key for s in scenes.values() for c in s.choices}
        event_ids = {e.id for e in events}
        ranges = self.ranges(meters, actors)
        for node, pos, raw, owner in self.conditions:
            found = rules.check_names(node, meters, actors, scenes, choice_keys, event_ids, TAGS, MOTIVES,
                                      self.tip_ids)
            for np in found:
                self.err(self.inner_pos(pos, np.column), np.code, name=np.name,
                         suggestion=suggest(np.name.split(".")[-1] if np.code == "bad-condition" else np.name,
                                            np.choices),
                         detail=(f"'{np.name}': gebruik .power of .stance", f"'{np.name}': use .power or .stance"))
            if found:
                continue
            culprits = rules.never_true(node, ranges)
            if culprits is not None:
                spans = ", ".join(f"{v} {_num(ranges[v][0])}..{_num(ranges[v][1])}" for v in sorted(culprits)
                                  if v in ranges)
                detail = ((f"de delen spreken elkaar tegen of vragen een waarde buiten het bereik ({spans})",
                           f"its parts contradict each other or ask for a value outside the range ({spans})")
                          if spans else ("de delen spreken elkaar tegen", "its parts contradict each other"))
                self.err(pos, "never-true", detail=detail)
                self.never.add(owner)

    def check_expect(self, e: Ending, pos: Pos, meters: dict[str, Meter]) -> None:
        """Warn when an ending's condition rules out every quadrant it expects
        (its own effects ignored when they only add: they are checked by ``check``)."""
        threshold = self.get(self.data, "threshold", int, 50)
        if e.effects:
            return
        ranges = self.ranges(meters, {})
        for quadrant in e.expect:
            high_t, high_e = quadrant in ("held", "beweging"), quadrant in ("gemeenschap", "beweging")
            parts = [e.condition.node]
            for name, high in (("tegenmacht", high_t), ("eigenaarschap", high_e)):
                m = meters[name]
                cut = m.min + (m.max - m.min) * threshold / 100
                parts.append(rules.Node("cmp", (">=" if high else "<", rules.Node("var", (name,)),
                                                rules.Node("num", (cut,)))))
            if rules.never_true(rules.Node("and", tuple(parts)), ranges) is None:
                return
        self.add(pos, "warning", "expect-impossible", expect=", ".join(e.expect), threshold=threshold)

    # -- the graph ---------------------------------------------------------------
    def check_graph(self, d: YMap, raw_scenes: YMap, raw_endings: YMap, meters: dict[str, Meter],
                    scenes: dict[str, Scene], endings: dict[str, Ending]) -> None:
        never = self.never
        for scene in scenes.values():
            if not scene.choices:
                if scene.id not in self.mistyped_choices:  # 'choises:' is already reported once
                    self.err(raw_scenes.key_pos[scene.id], "dead-end", name=scene.id)
            elif all(c.condition is not None for c in scene.choices):
                self.add(raw_scenes.key_pos[scene.id], "warning", "all-conditional", name=scene.id)
        start = self.start
        if not (isinstance(start, str) and start in scenes):
            return
        found = walk(scenes, start, endings, skip=lambda c: ("choice", c.scene, c.id) in never)
        for name in scenes:
            if name not in found.scenes:
                self.add(raw_scenes.key_pos[name], "warning", "unreachable-scene", name=name)
        to_end, direct = found.to_end, found.named_endings
        # Endings: the first whose condition holds wins when a choice says `next: end`.
        shadowed_from: Optional[str] = None
        fallback = False
        for e in endings.values():
            pos = raw_endings.key_pos[e.id]
            if ("ending", e.id) in self.broken:
                continue
            if e.expect and e.condition is not None and ("ending", e.id) not in never:
                self.check_expect(e, pos, meters)
            if e.interrupt:
                continue
            if ("ending", e.id) in never:
                continue
            if e.id in direct:
                continue
            if not to_end:
                self.add(pos, "warning", "unreachable-ending", name=e.id, detail="nothing-leads")
            elif shadowed_from is not None:
                self.add(pos, "warning", "unreachable-ending", name=e.id,
                         detail=(f"einde '{shadowed_from}' staat ervoor en heeft geen voorwaarde",
                                 f"ending '{shadowed_from}' comes before it and has no condition"))
            if e.condition is None and shadowed_from is None:
                shadowed_from, fallback = e.id, True
        if to_end and not any(not e.interrupt for e in endings.values()):
            self.err(d.where("endings") if "endings" in d else d.pos, "no-ending")
        elif to_end and not fallback and endings:
            self.add(d.where("endings"), "warning", "no-fallback-ending")


def _num(x: Any) -> str:
    if x is None:
        return "?"
    if isinstance(x, float) and math.isinf(x):
        return "∞"
    return str(int(x)) if float(x).is_integer() else str(x)


@no_gc
def validate_file(path: str | Path) -> Report:
    """Load and check one scenario file; never raises for a bad file."""
    return _report(load_file(path))


@no_gc
def validate_text(text: str, path: str = "<text>") -> Report:
    """Like :func:`validate_file`, for YAML text already in memory."""
    return _report(load_text(text, path))


def _report(loaded: LoadResult) -> Report:
    if loaded.data is None:
        return Report(loaded.path, loaded.problems)
    b = _Builder(loaded)
    try:
        scenario = b.build()
    except RecursionError:  # pragma: no cover - the loader caps nesting first
        b.err((1, 1), "yaml-too-deep", limit=0)
        scenario = None
    problems = sorted(b.problems, key=lambda p: (p.line, p.column))
    return Report(loaded.path, problems, scenario, b.stats)


def load_scenario(path: str | Path, lang: str = "en") -> Scenario:
    """Load a scenario or raise :class:`ScenarioError` with all its problems."""
    report = validate_file(path)
    if report.scenario is None:
        raise ScenarioError(report.problems, lang)
    return report.scenario
