"""Pass 4 of the validator: the story as a whole.

Owns the checks on the scenes and endings as a graph (walked by :func:`game.scenario.paths.walk`,
the same walk the map and the tools use): a scene without choices (a dead end), a scene whose
every choice is conditional, scenes and endings nothing leads to, endings shadowed by an earlier
one without a condition, no ending or no fallback ending, an ending whose condition rules out
every quadrant it expects; and, on the built scenario, an interrupting ending that already
holds at the start of play (tested on :meth:`game.scenario.state.PlayState.start`, the same
object the game starts from).

Needs from pass 2 (:mod:`game.scenario.build`): the built values
(:class:`~game.scenario.build.Built`), ``start``, ``broken`` and ``mistyped_choices``; from
pass 3 (:mod:`game.scenario.check_refs`): ``never`` (a choice or ending whose condition can
never hold is skipped, not guessed about) and :func:`~game.scenario.check_refs.ranges`.
"""
from __future__ import annotations

from typing import Optional

from game.scenario import rules
from game.scenario.build import Built
from game.scenario.check_refs import ranges
from game.scenario.model import Ending, Meter, Scenario
from game.scenario.passes import Context, Pos, get
from game.scenario.paths import walk
from game.scenario.state import PlayState


def check_graph(ctx: Context, b: Built) -> None:
    """Dead ends, unreachable scenes and endings, missing endings, expectations."""
    d, raw_scenes, raw_endings, meters, scenes, endings = (ctx.data, b.raw_scenes, b.raw_endings, b.meters,
                                                           b.scenes, b.endings)
    never = ctx.never
    for scene in scenes.values():
        if not scene.choices:
            if scene.id not in ctx.mistyped_choices:  # 'choises:' is already reported once
                ctx.err(raw_scenes.key_pos[scene.id], "dead-end", name=scene.id)
        elif all(c.condition is not None for c in scene.choices):
            ctx.add(raw_scenes.key_pos[scene.id], "warning", "all-conditional", name=scene.id)
    start = ctx.start
    if not (isinstance(start, str) and start in scenes):
        return
    found = walk(scenes, start, endings, skip=lambda c: ("choice", c.scene, c.id) in never)
    for name in scenes:
        if name not in found.scenes:
            ctx.add(raw_scenes.key_pos[name], "warning", "unreachable-scene", name=name)
    to_end, direct = found.to_end, found.named_endings
    # Endings: the first whose condition holds wins when a choice says `next: end`.
    shadowed_from: Optional[str] = None
    fallback = False
    for e in endings.values():
        pos = raw_endings.key_pos[e.id]
        if ("ending", e.id) in ctx.broken:
            continue
        if e.expect and e.condition is not None and ("ending", e.id) not in never:
            check_expect(ctx, e, pos, meters)
        if e.interrupt:
            continue
        if ("ending", e.id) in never:
            continue
        if e.id in direct:
            continue
        if not to_end:
            ctx.add(pos, "warning", "unreachable-ending", name=e.id, detail="nothing-leads")
        elif shadowed_from is not None:
            ctx.add(pos, "warning", "unreachable-ending", name=e.id,
                    detail=(f"einde '{shadowed_from}' staat ervoor en heeft geen voorwaarde",
                            f"ending '{shadowed_from}' comes before it and has no condition"))
        if e.condition is None and shadowed_from is None:
            shadowed_from, fallback = e.id, True
    if to_end and not any(not e.interrupt for e in endings.values()):
        ctx.err(d.where("endings") if "endings" in d else d.pos, "no-ending")
    elif to_end and not fallback and endings:
        ctx.add(d.where("endings"), "warning", "no-fallback-ending")


def check_expect(ctx: Context, e: Ending, pos: Pos, meters: dict[str, Meter]) -> None:
    """Warn when an ending's condition rules out every quadrant it expects
    (its own effects ignored when they only add: they are checked by ``check``)."""
    threshold = get(ctx.data, "threshold", int, 50)
    if e.effects:
        return
    spans_of = ranges(meters, {})
    for quadrant in e.expect:
        high_t, high_e = quadrant in ("held", "beweging"), quadrant in ("gemeenschap", "beweging")
        parts = [e.condition.node]
        for name, high in (("tegenmacht", high_t), ("eigenaarschap", high_e)):
            m = meters[name]
            cut = m.min + (m.max - m.min) * threshold / 100
            parts.append(rules.Node("cmp", (">=" if high else "<", rules.Node("var", (name,)),
                                            rules.Node("num", (cut,)))))
        if rules.never_true(rules.Node("and", tuple(parts)), spans_of) is None:
            return
    ctx.add(pos, "warning", "expect-impossible", expect=", ".join(e.expect), threshold=threshold)


def interrupts_at_start(ctx: Context, scenario: Scenario, b: Built) -> None:
    """The start of play, by the same code the game uses: an interrupting ending
    that already holds there would stop the game at once."""
    start_state = PlayState.start(scenario)
    for e in b.endings.values():
        if e.interrupt and ("ending", e.id) not in ctx.broken and (
                e.condition is None or e.condition.test(start_state)):
            ctx.err(b.raw_endings.key_pos[e.id], "always-true-interrupt")
