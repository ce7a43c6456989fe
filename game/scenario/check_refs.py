"""Pass 3 of the validator: every name that must exist, and conditions that can never hold.

Owns the cross-reference checks: the start scene, each choice's and outcome's ``next``, the
meters and actors effects, tipping points and scaled changes name (with did-you-mean), the
names a condition uses (:func:`game.scenario.rules.check_names`), and, for a condition whose
names are all known, whether it can ever be true within the ranges of what it reads
(:func:`ranges`, :func:`game.scenario.rules.never_true`).

Needs from pass 2 (:mod:`game.scenario.build`): the built values (:class:`~game.scenario.build.Built`)
and, in the :class:`~game.scenario.passes.Context`, ``start``, ``conditions``, ``effect_targets``
and ``tip_ids``. Leaves ``never`` (the owners of conditions that can never hold) for pass 4.
"""
from __future__ import annotations

import math

from game.scenario import rules
from game.scenario.build import Built
from game.scenario.model import END, MOTIVES, TAGS, Actor, Meter
from game.scenario.passes import Context, get, num, suggest


def ranges(meters: dict[str, Meter], actors: dict[str, Actor]) -> dict[str, tuple[float, float]]:
    """The range of every number a condition can read."""
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


def check_references(ctx: Context, b: Built) -> None:
    """Report every unknown name (in the order: start, next, effects, conditions) and every
    condition that can never hold (its owner goes into ``ctx.never``)."""
    d, meters, actors, scenes, events, endings = ctx.data, b.meters, b.actors, b.scenes, b.events, b.endings
    targets = set(scenes) | set(endings) | {END}
    start = ctx.start
    if isinstance(start, str) and scenes and start not in scenes:
        ctx.err(d.where("start"), "unknown-scene", name=start, suggestion=suggest(start, scenes))
    for scene in scenes.values():
        raw_list = get(b.raw_scenes.get(scene.id), "choices", list, []) or []
        raw_by_id = {}
        for i, c in enumerate(raw_list):
            if isinstance(c, dict):
                raw_by_id[get(c, "id", str, f"c{i + 1}")] = c
        for choice in scene.choices:
            raw = raw_by_id.get(choice.id)
            if choice.next and choice.next not in targets and raw is not None:
                ctx.err(raw.where("next"), "unknown-scene", name=choice.next,
                        suggestion=suggest(choice.next, targets))
            raw_outcomes = [o for o in (get(raw, "outcomes", list, []) or []) if isinstance(o, dict)]
            for o, raw_o in zip(choice.outcomes, raw_outcomes):
                if o.next and o.next not in targets:
                    ctx.err(raw_o.where("next"), "unknown-scene", name=o.next, suggestion=suggest(o.next, targets))
    for kind, name, pos in ctx.effect_targets:
        if kind == "meter" and name not in meters:
            ctx.err(pos, "unknown-meter", name=name, suggestion=suggest(name, meters))
        elif kind == "actor" and name not in actors:
            ctx.err(pos, "unknown-actor", name=name, suggestion=suggest(name, actors))
        elif kind == "ref":
            actor, _, attr = name.partition(".")
            if attr and actor not in actors:
                ctx.err(pos, "unknown-actor", name=actor, suggestion=suggest(actor, actors))
            elif attr and attr not in rules.ACTOR_ATTRS:
                ctx.err(pos, "bad-effect", detail=(f"'{name}': gebruik .power of .stance",
                                                   f"'{name}': use .power or .stance"))
            elif not attr and name not in meters:
                ctx.err(pos, "unknown-meter", name=name, suggestion=suggest(name, meters))
    choice_keys = {c.key for s in scenes.values() for c in s.choices}
    event_ids = {e.id for e in events}
    spans_of = ranges(meters, actors)
    for node, pos, raw, owner in ctx.conditions:
        found = rules.check_names(node, meters, actors, scenes, choice_keys, event_ids, TAGS, MOTIVES,
                                  ctx.tip_ids)
        for np in found:
            ctx.err(ctx.inner_pos(pos, np.column), np.code, name=np.name,
                    suggestion=suggest(np.name.split(".")[-1] if np.code == "bad-condition" else np.name,
                                       np.choices),
                    detail=(f"'{np.name}': gebruik .power of .stance", f"'{np.name}': use .power or .stance"))
        if found:
            continue
        culprits = rules.never_true(node, spans_of)
        if culprits is not None:
            spans = ", ".join(f"{v} {num(spans_of[v][0])}..{num(spans_of[v][1])}" for v in sorted(culprits)
                              if v in spans_of)
            detail = ((f"de delen spreken elkaar tegen of vragen een waarde buiten het bereik ({spans})",
                       f"its parts contradict each other or ask for a value outside the range ({spans})")
                      if spans else ("de delen spreken elkaar tegen", "its parts contradict each other"))
            ctx.err(pos, "never-true", detail=detail)
            ctx.never.add(owner)
