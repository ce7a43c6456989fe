"""Pass 2 of the validator: values into frozen model objects (:mod:`game.scenario.model`).

Owns turning the checked data into meters (with drift), actors, scenes and choices, events,
endings, tag rules, motive responses, tipping points, debrief and questions, and in the end
the :class:`~game.scenario.model.Scenario`; the defaults (:mod:`game.scenario.defaults`) are
built the same way as an author's own. Conditions are parsed and compiled here, effects
parsed. Owns the checks that only show while a value is built: a condition that does not
parse, a bad effect, duplicate ids, a meter's range and start, a tipping point's direction
and threshold, outcome chances, a drift target, and a scene's image (only for a file on disk).

Needs from pass 1 (:mod:`game.scenario.check_shape`): values of the wrong type are reported
already; here they are read through :func:`~game.scenario.passes.get` and left out. Leaves
for the passes after it, in the :class:`~game.scenario.passes.Context`: ``start``,
``conditions``, ``effect_targets``, ``tip_ids``, ``broken`` and ``mistyped_choices``; and
the built values in a :class:`Built`.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Optional

from game.scenario import defaults
from game.scenario import rules
from game.scenario.loader import YList, YMap, located
from game.scenario.model import (AGENCIES, DEFAULT_ARCHETYPES, DEFAULT_METERS, END, EMPTY, MOTIVES, OTHER, QUADRANTS,
                                 STRATEGIES, TAGS, Actor, Archetype, Choice, Coach, Condition, Drift, Effects, Ending,
                                 Event, Later, Meter, Outcome, Remark, Response, Scenario, Scene, TagRule, Text,
                                 TippingPoint)
from game.scenario.passes import Context, Pos, get, num, place, suggest
from game.scenario.schema import english_key


@dataclass
class Built:
    """What pass 2 made, for the passes after it and for the scenario."""

    meters: dict[str, Meter]
    actors: dict[str, Actor]
    raw_scenes: YMap | dict  # the 'scenes' and 'endings' as loaded: their keys' positions
    raw_endings: YMap | dict
    scenes: dict[str, Scene]
    events: list[Event]
    endings: dict[str, Ending]
    tag_rules: dict[str, TagRule]
    responses: dict[str, dict[str, tuple[Response, ...]]]
    tipping: tuple[TippingPoint, ...]
    debrief: tuple[Remark, ...]
    questions: tuple[Remark, ...]


def build_values(ctx: Context) -> Built:
    """Every part of the scenario, in the order of the file's sections (the problems' order)."""
    d = ctx.data
    ctx.start = d.get("start", next(iter(get(d, "scenes", dict, {}) or {"": 0})))
    meters = build_meters(ctx, d)
    actors = build_actors(d)
    raw_scenes = get(d, "scenes", dict, {}) or {}
    raw_endings = get(d, "endings", dict, {}) or {}
    if "scenes" in d and not raw_scenes:
        ctx.err(d.where("scenes"), "no-scenes")
    for name in raw_endings:
        if name in raw_scenes:
            ctx.err(raw_endings.key_pos[name], "duplicate-id", name=name, line=raw_scenes.key_pos[name][0])
    for table in (raw_scenes, raw_endings):
        for name in table:
            if name == END:
                ctx.err(table.key_pos[name], "bad-id", value=name)

    scenes = {name: build_scene(ctx, name, raw) for name, raw in raw_scenes.items()
              if isinstance(name, str) and isinstance(raw, dict)}
    events = build_events(ctx, d)
    endings = {name: build_ending(ctx, name, raw) for name, raw in raw_endings.items()
               if isinstance(name, str) and isinstance(raw, dict)}
    title_image = get(d, "image", str)
    if title_image and ctx.path and not ctx.path.startswith("<"):
        check_image(ctx, d.where("image"), title_image)
    rules_by_tag = tag_rules(ctx, d)
    by_motive = responses(ctx, d)
    tipping = tipping_points(ctx, d, meters)
    ctx.tip_ids = {t.id for t in tipping}
    owner = ("scenario-text",)
    debrief, questions = remarks(ctx, d, "debrief", owner), remarks(ctx, d, "questions", owner)
    return Built(meters, actors, raw_scenes, raw_endings, scenes, events, endings, rules_by_tag, by_motive,
                 tipping, debrief, questions)


def scenario(ctx: Context, b: Built) -> Scenario:
    """The model of the whole file (call only when no error is left)."""
    d = ctx.data
    archetypes = dict(DEFAULT_ARCHETYPES)
    for key, raw in (get(d, "archetypes", dict, {}) or {}).items():
        archetypes[key] = Archetype(key, text(raw, "name"), text(raw, "description"))
    version = d.get("version", "1")
    return Scenario(
        id=d["id"], title=text(d, "title"), start=ctx.start, meters=b.meters, actors=b.actors,
        scenes=b.scenes, events=tuple(b.events), endings=b.endings, version=str(version),
        author=get(d, "author", str, ""), languages=ctx.languages, summary=text(d, "summary"),
        learning_goals=texts(d, "learning_goals"), minutes=get(d, "minutes", int, 20),
        archetypes=archetypes, threshold=get(d, "threshold", int, 50), path=ctx.path,
        tag_rules=b.tag_rules, responses=b.responses, tipping_points=b.tipping, debrief=b.debrief,
        questions=b.questions, image=get(d, "image", str), image_alt=text(d, "image_alt"),
    )


# -- texts ---------------------------------------------------------------------
def text(m: Any, key: str) -> Text:
    """``m[key]`` as a :class:`Text` (a plain string is Dutch only); EMPTY when absent."""
    value = m.get(key) if isinstance(m, dict) else None
    if isinstance(value, str):
        return Text(value.strip())
    if isinstance(value, dict) and isinstance(value.get("nl"), str):
        en = value.get("en")
        return Text(value["nl"].strip(), en.strip() if isinstance(en, str) else None)
    return EMPTY


def texts(m: Any, key: str) -> tuple[Text, ...]:
    items = get(m, key, list, [])
    return tuple(text({"x": item}, "x") for item in items if isinstance(item, (str, dict)))


# -- conditions and effects ----------------------------------------------------
def condition(ctx: Context, m: Any, owner: Any) -> Optional[Condition]:
    """``m``'s 'if', parsed and compiled; one that does not parse puts ``owner`` in ``ctx.broken``."""
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
        ctx.err(ctx.inner_pos(pos, e.column), "bad-condition", detail=e.message)
        ctx.broken.add(owner)  # not "no condition": the graph checks must not guess
        return None
    ctx.conditions.append((node, pos, raw, owner))
    return Condition(raw, node, rules.compile_condition(node))


def effects(ctx: Context, m: Any) -> Effects:
    """``m``'s 'effects' and 'actors' changes; the names they use go to ``ctx.effect_targets``."""
    meters: list[tuple[str, rules.Change]] = []
    actors: list[tuple[str, str, rules.Change]] = []
    eff = get(m, "effects", dict, {}) or {}
    for name, raw in eff.items():
        pos = eff.where(name)
        try:
            meters.append((name, change(ctx, raw, pos)))
        except ValueError as e:
            ctx.err(pos, "bad-effect", detail=e.args[0])
        ctx.effect_targets.append(("meter", name, eff.key_pos.get(name, pos)))
    act = get(m, "actors", dict, {}) or {}
    for actor, changes in act.items():
        ctx.effect_targets.append(("actor", actor, act.key_pos.get(actor, act.pos)))
        if not isinstance(changes, dict):
            continue
        for attr, raw in changes.items():
            if attr not in rules.ACTOR_ATTRS:
                continue
            try:
                actors.append((actor, attr, change(ctx, raw, changes.where(attr))))
            except ValueError as e:
                ctx.err(changes.where(attr), "bad-effect", detail=e.args[0])
    return Effects(tuple(meters), tuple(actors))


def change(ctx: Context, raw: Any, pos: Pos) -> rules.Change:
    """A parsed change; a scaled one's reference is checked with the other names."""
    parsed = rules.parse_change(raw)
    if parsed.op == "scale":
        ctx.effect_targets.append(("ref", parsed.ref, ctx.inner_pos(pos, 2)))
    return parsed


# -- the parts of a scenario ---------------------------------------------------
def responses(ctx: Context, d: YMap) -> dict[str, dict[str, tuple[Response, ...]]]:
    given = get(d, "responses", dict, {}) or {}
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
                            changes.append(("*", attr, change(ctx, item[attr], item.where(attr))))
                        except ValueError as e:
                            ctx.err(item.where(attr), "bad-effect", detail=e.args[0])
                entries.append(Response(Effects((), tuple(changes)), text(item, "text"),
                                        condition(ctx, item, ("response", motive, tag, i))))
            cells[tag] = tuple(entries)
        out[motive] = cells
    return out


def tag_rules(ctx: Context, d: YMap) -> dict[str, TagRule]:
    given = get(d, "tag_rules", dict, {}) or {}
    out: dict[str, TagRule] = {}
    for tag in TAGS:
        raw = given.get(tag) if tag in given else located(defaults.TAG_RULES.get(tag, {}), d.pos)
        if not isinstance(raw, dict):
            continue
        rule = TagRule(tag, effects(ctx, raw), text(raw, "text"), later(ctx, raw, ("tag", tag)))
        if rule.effects or rule.later or rule.text.nl:
            out[tag] = rule
    return out


def tipping_points(ctx: Context, d: YMap, meters: dict[str, Meter]) -> tuple[TippingPoint, ...]:
    out: list[TippingPoint] = []
    seen: dict[str, int] = {}
    for t in get(d, "tipping_points", list, []) or []:
        if not isinstance(t, dict) or not isinstance(t.get("id"), str) or not isinstance(t.get("meter"), str):
            continue
        tid, name = t["id"], t["meter"]
        if tid in seen:
            ctx.err(t.where("id"), "duplicate-id", name=tid, line=seen[tid])
        seen[tid] = t.pos[0]
        ctx.effect_targets.append(("meter", name, t.where("meter")))
        above, below = get(t, "above", int), get(t, "below", int)
        if (above is None) == (below is None):
            ctx.err(t.pos, "tipping-direction")
            continue
        up = above is not None
        threshold = above if up else below
        m = meters.get(name)
        if m is not None and not (m.min < threshold <= m.max if up else m.min <= threshold < m.max):
            ctx.err(t.where("above" if up else "below"), "tipping-never", meter=name, threshold=threshold,
                     way=("omhoog", "upward") if up else ("omlaag", "downward"), low=m.min, high=m.max)
        out.append(TippingPoint(tid, name, threshold, up, condition(ctx, t, ("tip", tid)),
                                get(t, "once", bool, True), text(t, "title"), text(t, "text"),
                                effects(ctx, t), coach(t), later(ctx, t, ("tip", tid)), t.pos[0]))
    return tuple(out)


def later(ctx: Context, m: Any, owner: Any) -> tuple[Later, ...]:
    raw = m.get("later") if isinstance(m, dict) else None
    items = [raw] if isinstance(raw, YMap) else list(raw) if isinstance(raw, YList) else []
    out = []
    for i, item in enumerate(items):
        if isinstance(item, dict):
            turns = get(item, "turns", int, 1)
            out.append(Later(max(1, turns), text(item, "text"), effects(ctx, item),
                             condition(ctx, item, owner + ("later", i))))
    return tuple(out)


def outcomes(ctx: Context, c: Any, owner: Any) -> tuple[Outcome, ...]:
    items = get(c, "outcomes", list, []) or []
    raw = [o for o in items if isinstance(o, dict)]
    if not raw:
        return ()
    out: list[Outcome] = []
    total = 0.0
    for i, o in enumerate(raw):
        chance = get(o, "chance", (int, float))
        if chance is None:
            if i != len(raw) - 1:
                ctx.err(o.pos, "outcome-no-chance")
            chance = max(0.0, 1.0 - total)
        chance = float(chance) if 0 <= chance <= 1 else 0.0
        total += chance
        out.append(Outcome(chance, text(o, "text"), effects(ctx, o), get(o, "next", str, ""),
                           later(ctx, o, owner + ("outcome", i))))
    if abs(total - 1.0) > 1e-6:
        ctx.err(c.where("outcomes"), "outcome-chances", total=num(round(total, 4)))
    return tuple(out)


def remarks(ctx: Context, m: Any, key: str, owner: Any) -> tuple[Remark, ...]:
    raw = m.get(key) if isinstance(m, dict) else None
    items = list(raw) if isinstance(raw, YList) else [raw] if isinstance(raw, (str, YMap)) else []
    out = []
    for i, item in enumerate(items):
        if isinstance(item, YMap) and "text" in item:
            out.append(Remark(text(item, "text"), condition(ctx, item, owner + (key, i))))
        elif isinstance(item, (str, dict)):
            one = text({"x": item}, "x")
            if one.nl:
                out.append(Remark(one))
    return tuple(out)


def coach(m: Any) -> Optional[Coach]:
    c = get(m, "coach", dict)
    if not c or not isinstance(c.get("text"), (str, dict)):
        return None
    return Coach(text(c, "text"), text(c, "theory"))


def build_meters(ctx: Context, d: YMap) -> dict[str, Meter]:
    meters = dict(DEFAULT_METERS)
    raw = get(d, "meters", dict, {}) or {}
    for name, m in raw.items():
        if not isinstance(m, dict) or not isinstance(name, str):
            continue
        base = meters.get(name)
        if base is None:
            if "label" not in m:
                ctx.err(m.pos, "missing-key", key="label", where=place("meter", name))
            base = Meter(name, Text(name), 0, 100, 0)
        low = get(m, "min", int, base.min)
        high = get(m, "max", int, base.max)
        start = get(m, "start", int, base.start if low <= base.start <= high else low)
        if low >= high:
            ctx.err(m.where("min") if "min" in m else m.pos, "bad-range", meter=name, low=low, high=high)
        elif not low <= start <= high:
            ctx.err(m.where("start"), "out-of-range", key="start", low=low, high=high, value=start)
        label = text(m, "label") if "label" in m else base.label
        desc = text(m, "description") if "description" in m else base.description
        meters[name] = Meter(name, label, low, high, start, desc, meters[name].drift if name in meters else None)
    for name, meter in meters.items():  # drift: the scenario's own, else the default
        m = raw.get(name) if isinstance(raw.get(name), dict) else None
        if m is not None and "drift" in m:
            spec, pos = m.get("drift"), m.where("drift")
        elif name in defaults.DRIFT:
            spec, pos = located(defaults.DRIFT[name], d.pos), d.pos
        else:
            continue
        meters[name] = replace(meter, drift=drift(ctx, spec, pos, meter))
    return meters


def drift(ctx: Context, spec: Any, pos: Pos, meter: Meter) -> Optional[Drift]:
    if not isinstance(spec, dict):
        return None
    by = get(spec, "by", int, 0)
    toward = spec.get("toward")
    target: Optional[int] = None
    if toward == "start":
        target = meter.start
    elif isinstance(toward, int) and not isinstance(toward, bool):
        if not meter.min <= toward <= meter.max:
            ctx.err(spec.where("toward"), "drift-toward")
        target = toward
    if not by:
        return None
    return Drift(by, target, condition(ctx, spec, ("drift", meter.id)), text(spec, "text"))


def build_actors(d: YMap) -> dict[str, Actor]:
    out: dict[str, Actor] = {}
    for name, a in (get(d, "actors", dict, {}) or {}).items():
        if isinstance(a, dict) and isinstance(name, str):
            motive = get(a, "motive", str, "instrumenteel")
            out[name] = Actor(name, text(a, "name"), get(a, "power", int, 50),
                              get(a, "stance", int, 0), motive if motive in MOTIVES else "instrumenteel",
                              text(a, "description"), get(a, "responds", bool, True))
    return out


def build_scene(ctx: Context, name: str, s: YMap) -> Scene:
    if isinstance(s.get("choices"), dict) or "choices" not in s and any(
            english_key(k, ("choices",)) or suggest(k, ("choices",)) for k in s if isinstance(k, str)):
        ctx.mistyped_choices.add(name)
    choices: list[Choice] = []
    seen: dict[str, int] = {}
    raw_choices = get(s, "choices", list, []) or []
    for i, c in enumerate(raw_choices):
        if not isinstance(c, dict):
            continue
        cid = get(c, "id", str, f"c{i + 1}")
        if cid in seen:
            ctx.err(c.where("id"), "duplicate-id", name=cid, line=seen[cid])
        seen[cid] = c.pos[0]
        strategy = get(c, "strategy", str)
        agency = get(c, "agency", str)
        owner = ("choice", name, cid)
        choices.append(Choice(
            id=cid, scene=name, text=text(c, "text"), next=get(c, "next", str, ""),
            strategy=strategy if strategy in STRATEGIES else None,
            agency=agency if agency in AGENCIES else None,
            condition=condition(ctx, c, owner), effects=effects(ctx, c),
            coach=coach(c), line=c.pos[0],
            show_locked=text(c, "show_locked") if "show_locked" in c else None,
            later=later(ctx, c, owner), outcomes=outcomes(ctx, c, owner)))
    phase = s.get("phase", "")
    image = get(s, "image", str)
    if image and ctx.path and not ctx.path.startswith("<"):
        check_image(ctx, s.where("image"), image)
    return Scene(name, text(s, "text"), tuple(choices), str(phase) if phase is not None else "",
                 text(s, "title"), image, s.pos[0], text(s, "image_alt"))


def check_image(ctx: Context, where: Any, image: str) -> None:
    """A scene's image: there, a regular file, not too big (from its header), inside the folder."""
    from game.scenario.images import check_image
    from game.safeio import inside, kind_words

    folder = Path(ctx.path).parent
    target = folder / image
    if not inside(folder, target):
        ctx.add(where, "warning", "image-outside", name=image)
    found = check_image(str(target))
    if found is not None:
        code, params = found
        if code == "image-not-file":
            params["kind"] = kind_words(params["kind"])
        ctx.add(where, "warning", code, name=image, **params)


def build_events(ctx: Context, d: YMap) -> list[Event]:
    out: list[Event] = []
    seen: dict[str, int] = {}
    for e in get(d, "events", list, []) or []:
        if not isinstance(e, dict) or not isinstance(e.get("id"), str):
            continue
        eid = e["id"]
        if eid in seen:
            ctx.err(e.where("id"), "duplicate-id", name=eid, line=seen[eid])
        seen[eid] = e.pos[0]
        chance = get(e, "chance", (int, float), 1.0)
        out.append(Event(eid, text(e, "text"), condition(ctx, e, ("event", eid)),
                         float(chance) if 0 <= chance <= 1 else 1.0, get(e, "once", bool, True),
                         text(e, "title"), effects(ctx, e), coach(e), e.pos[0],
                         later(ctx, e, ("event", eid))))
    return out


def build_ending(ctx: Context, name: str, e: YMap) -> Ending:
    expect = e.get("expect")
    expect = [expect] if isinstance(expect, str) else list(expect) if isinstance(expect, list) else []
    owner = ("ending-text", name)
    return Ending(name, text(e, "title"), text(e, "text"), condition(ctx, e, ("ending", name)),
                  get(e, "interrupt", bool, False), remarks(ctx, e, "debrief", owner),
                  remarks(ctx, e, "questions", owner), e.pos[0], effects(ctx, e),
                  tuple(x for x in expect if x in QUADRANTS), text(e, "outcome"))

