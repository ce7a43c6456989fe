"""The rules of a turn, written once: one function for a turn on a copyable play state.

Everything that changes during play lives in a :class:`~game.scenario.state.PlayState`
(like ink's ``StoryState``): the scene, meters, actors, what was visited, chosen and
fired, the number of turns, how often each tag was played and when last, the
late consequences still to land and the tipping points that fired. It copies
cheaply and saves to JSON.

:func:`take` plays one choice on a state, in this order (``docs/engine.md``):

1. ``turns`` goes up by one (so ``turns`` in event and ending conditions
   counts the choice just made); the choice's tags are counted.
2. An uncertain choice draws its outcome.
3. Effects: the choice's own, the outcome's, the **tag rules** of its
   strategy and agency tags, then the **motive responses** of every actor.
4. Late consequences of the choice, outcome and tag rules are scheduled.
5. Late consequences that are due land (if their condition holds).
6. **Drift**: meters that move by themselves do.
7. The state moves to the next scene; there the **events** roll in order.
8. **Tipping points** whose meter crossed its threshold this turn fire.
9. Interrupting endings (e.g. ``energie <= 0``); a scene whose every choice is
   hidden goes to the endings; ``next: end`` takes the first final ending that
   holds (the last as fallback); the ending's own effects apply.

Every random draw comes from the ``draw`` function passed in: the engine's
session draws from its seeded generator, ``check`` follows a plan of
outcomes, the simulator's look-ahead takes the most likely. The engine
(:class:`game.play.engine.Session`), ``check``, ``simulate`` and the validator's
start state all run this code; there is no second copy of a rule.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable, Optional, Sequence

from game.scenario.model import END, OTHER, Choice, Effects, Later, Scenario, Text
from game.scenario.problems import EngineError
from game.scenario.state import PlayState, later_sources

END_STATE = "__end__"  # a choice with ``next: end``: the endings decide

Draw = Callable[[Sequence[float]], int]
"""Given the chances of the options (adding up to 1), the index of the one that happens."""


# ---------------------------------------------------------------------------
# What a turn did (only recorded when asked: the engine asks, the search does not)
# ---------------------------------------------------------------------------

class Note:
    """One rule that fired in a turn, with what it changed: shown in the coach
    card, kept in the history, read by the debrief.

    ``kind``: choice, outcome, tag, response, later, drift, event, tip, ending.
    ``source``: what it belongs to (a choice key, tag, actor id, event id, …);
    ``cause``: for a late consequence, what scheduled it (``choice:scene.id``,
    ``tag:overnemen``, ``event:id``, …) and ``turn`` the turn it was scheduled in."""

    __slots__ = ("kind", "source", "text", "meters", "actors", "cause", "turn")

    def __init__(self, kind: str, source: str, text: Optional[Text] = None, meters: Optional[dict[str, int]] = None,
                 actors: Optional[dict[str, dict[str, int]]] = None, cause: str = "", turn: int = 0):
        self.kind, self.source, self.text = kind, source, text if text is not None else Text("")
        self.meters = meters if meters is not None else {}
        self.actors = actors if actors is not None else {}
        self.cause, self.turn = cause, turn

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Note) and self.to_json() == other.to_json()

    def __repr__(self) -> str:
        return f"Note({self.kind!r}, {self.source!r}, meters={self.meters!r}, actors={self.actors!r})"

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {"kind": self.kind, "source": self.source}
        if self.meters:
            d["meters"] = dict(self.meters)
        if self.actors:
            d["actors"] = {k: dict(v) for k, v in self.actors.items()}
        if self.cause:
            d["cause"], d["turn"] = self.cause, self.turn
        return d


class TurnLog:
    """What :func:`take` did: the outcome drawn and the events fired; with ``draws``
    (the search of ``check``) also the events whose condition held on arrival
    (``held``) and the chance draws as ``(what, chances, picked)``; with ``notes``
    every rule that fired and the changes it made, put into :class:`Note` objects
    only when someone reads :attr:`notes` (the coach card, a save): the hot path
    only adds to two flat lists."""

    __slots__ = ("outcome", "events", "parts", "trace", "held", "draws", "_notes")

    def __init__(self, notes: bool = True, draws: bool = False):
        self.outcome: Optional[int] = None
        self.events: list[str] = []
        #: the rules that fired, in order (see :func:`rule_part`)
        self.parts: Optional[list[tuple]] = [] if notes else None
        #: every change a part made, four items each: index in parts, actor id ("" for a meter), key, delta
        self.trace: Optional[list] = [] if notes else None
        self.held: Optional[list[str]] = [] if draws else None
        self.draws: Optional[list[tuple[str, tuple[float, ...], int]]] = [] if draws else None
        self._notes: Optional[list[Note]] = None

    @property
    def notes(self) -> Optional[list[Note]]:
        """The notes of the turn (None when the turn was not logged for notes), made once."""
        if self._notes is None and self.parts is not None:
            self._notes = _notes(self.parts, self.trace or ())
        return self._notes


def rule_part(kind: str, source: str, text: Text, cause: str = "", turn: int = 0, keep: bool = True) -> tuple:
    """What a log keeps of a rule that fired, made into a :class:`Note` when read. ``keep``: noted even
    when it changed nothing (every rule but a choice's own effects: a rule that fired is part of the story)."""
    return (kind, source, text, cause, turn, keep)


def _notes(parts: Sequence[tuple], trace: Sequence) -> list[Note]:
    notes = [Note(kind, source, text, {}, {}, cause, turn) for kind, source, text, cause, turn, _ in parts]
    for j in range(0, len(trace), 4):
        i, who, key, delta = trace[j:j + 4]
        note = notes[i]
        values = note.actors.setdefault(who, {}) if who else note.meters
        values[key] = values.get(key, 0) + delta
    return [n for n, part in zip(notes, parts) if part[5] or n.meters or n.actors]


# ---------------------------------------------------------------------------
# The scenario's rules, compiled once per scenario for speed
# ---------------------------------------------------------------------------

Op = tuple  # (part, actor or "", meter or attribute, amount, Change or None, low, high)
"""One change to one number, compiled: ``part`` is the index of the rule it belongs to
within its list, ``amount`` is used when ``Change`` is None (a plain add)."""

_ACTOR_RANGE = {"power": (0, 100), "stance": (-100, 100)}


def compile_effects(effects: Effects, ranges: dict[str, tuple[int, int]], actor: str = "", part: int = 0) -> tuple:
    """The :data:`Op` list of ``effects`` (``actor`` stands in for ``*``, the responses)."""
    ops: list[Op] = []
    for name, change in effects.meters:
        low, high = ranges[name]
        ops.append((part, "", name, change.amount, None if change.op == "add" else change, low, high))
    for who, attr, change in effects.actors:
        low, high = _ACTOR_RANGE[attr]
        ops.append((part, actor if who == "*" else who, attr, change.amount, None if change.op == "add" else change,
                    low, high))
    return tuple(ops)


def apply_ops(s: PlayState, ops: Iterable[Op], trace: Optional[list] = None, base: int = 0) -> None:
    """Apply compiled effects to ``s``, each clamped to its range in order. With ``trace``
    every change is added there as four items: ``base`` + part, actor or "", key, delta.
    The one place where an effect changes a number."""
    meters, actors = s.meters, s.actors
    for part, who, key, amount, change, low, high in ops:
        values = actors[who] if who else meters
        old = values[key]
        if change is None:  # the common case, inline
            new = old + amount
            new = low if new < low else high if new > high else new
        else:
            new = change.apply(old, low, high, s)
        values[key] = new
        if trace is not None and new != old:
            trace += (base + part, who, key, new - old)


class Plan:
    """What one choice does every time it is taken: its own effects, the rules of its tags and
    the actors' unconditional responses as one flat list of ops (with and without each outcome)."""

    __slots__ = ("choice", "key", "tags", "tag_rules", "responses", "chances", "laters", "parts", "ops", "outcomes")

    def __init__(self, choice: Choice, sc: Scenario, ranges: dict[str, tuple[int, int]]):
        self.choice = choice
        self.key = choice.key
        self.tags = choice.tags
        self.tag_rules = [sc.tag_rules[t] for t in self.tags if t in sc.tag_rules]
        # the parts every take applies after its own (and its outcome's) effects, in order:
        # (rule part, effects, actor) — the tag rules, then the unconditional responses
        rest = [(rule_part("tag", r.tag, r.text), r.effects, "") for r in self.tag_rules]
        self.responses = []  # (actor id, ((entry, part, ops), …)) for a matching cell with a condition
        for actor in sc.actors.values():
            row = sc.responses.get(actor.motive)
            if not actor.responds or not row:
                continue
            cells = [row[t] for t in self.tags if t in row] or ([row[OTHER]] if OTHER in row else [])
            for cell in cells:
                if len(cell) == 1 and cell[0].condition is None:
                    rest.append((rule_part("response", actor.id, cell[0].text), cell[0].effects, actor.id))
                elif cell:
                    self.responses.append((actor.id, tuple(
                        (e, rule_part("response", actor.id, e.text), compile_effects(e.effects, ranges, actor.id))
                        for e in cell)))
        own = (rule_part("choice", self.key, choice.text, keep=False), choice.effects, "")
        self.parts, self.ops = _flat([own] + rest, ranges)
        self.outcomes = [_flat([own, (rule_part("outcome", f"{self.key}#{i}", o.text), o.effects, "")] + rest, ranges)
                         for i, o in enumerate(choice.outcomes)]
        self.chances = tuple(o.chance for o in choice.outcomes)
        self.laters = _numbered(f"choice:{choice.key}", choice.later)
        for t in self.tags:
            rule = sc.tag_rules.get(t)
            if rule is not None:
                self.laters += _numbered(f"tag:{t}", rule.later)


def _flat(parts: Sequence[tuple], ranges: dict[str, tuple[int, int]]) -> tuple[tuple, tuple]:
    """The descriptions of ``parts`` and all their ops in one list (each op knows its part)."""
    ops: list[Op] = []
    for i, (_, effects, actor) in enumerate(parts):
        ops += compile_effects(effects, ranges, actor, i)
    return tuple(p[0] for p in parts), tuple(ops)


class Rules:
    """A scenario's rules, compiled once: one :class:`Plan` per choice, the drifting
    meters, the events, tipping points and endings with their ops, and every late
    consequence by its source name (how a save refers to a pending one)."""

    def __init__(self, sc: Scenario):
        self.scenario = sc
        self.ranges = {m.id: (m.min, m.max) for m in sc.meters.values()}
        ranges = self.ranges
        self.plans = {c.key: Plan(c, sc, ranges) for c in sc.all_choices()}
        self.by_id = {id(p.choice): p for p in self.plans.values()}  # the hot path: no key string built
        # (meter, by, toward or None, condition test or None, low, high, its part)
        self.drifts = [(m.id, m.drift.by, m.drift.toward, m.drift.condition.test if m.drift.condition else None,
                        m.min, m.max, rule_part("drift", m.id, m.drift.text))
                       for m in sc.meters.values() if m.drift is not None]
        self.tips = [(t, rule_part("tip", t.id, t.title or t.text), compile_effects(t.effects, ranges))
                     for t in sc.tipping_points]
        # (event, id, once, condition test or None, chance, its part, its ops)
        self.events = [(e, e.id, e.once, e.condition.test if e.condition is not None else None, e.chance,
                        rule_part("event", e.id, e.title or e.text), compile_effects(e.effects, ranges))
                       for e in sc.events]
        self.tip_meters = tuple(dict.fromkeys(t.meter for t in sc.tipping_points))
        self.interrupts = [e for e in sc.endings.values() if e.interrupt]
        self.interrupt_tests = [(e.id, e.condition.test if e.condition is not None else None) for e in self.interrupts]
        self.finals = [e for e in sc.endings.values() if not e.interrupt]
        self.ending_ops = {e.id: (rule_part("ending", e.id, e.title), compile_effects(e.effects, ranges))
                           for e in sc.endings.values() if e.effects}
        self.guarded = {s.id for s in sc.scenes.values()
                        if s.choices and all(c.condition is not None for c in s.choices)}
        self.laters = later_sources(sc)
        self.later_ops = {k: tuple(compile_effects(x.effects, ranges) for x in v) for k, v in self.laters.items()}


# ---------------------------------------------------------------------------
# The turn
# ---------------------------------------------------------------------------

def _part(log: Optional[TurnLog], s: PlayState, parts: tuple, ops: tuple) -> None:
    """Apply one or more rules' compiled ops, and record the rules when the turn is logged for notes."""
    if log is None or log.parts is None:
        apply_ops(s, ops)
        return
    base = len(log.parts)
    log.parts += parts
    apply_ops(s, ops, log.trace, base)


def _schedule(s: PlayState, entries: Iterable[tuple[str, int, Later]]) -> None:
    """Queue late consequences, each as (source, its index there, the consequence)."""
    for source, i, later in entries:
        s.pending.append((s.turns + later.turns, len(s.pending) + s.turns * 1000, source, i))
    s.pending.sort()


def _numbered(source: str, laters: Sequence[Later]) -> list[tuple[str, int, Later]]:
    return [(source, i, later) for i, later in enumerate(laters)]


def take(rules: Rules, s: PlayState, choice: Choice, draw: Draw, log: Optional[TurnLog] = None) -> None:
    """Play ``choice`` (it must be on offer in ``s``) on ``s``: the whole turn, in
    the order of the module docstring. ``log`` (optional) records what happened."""
    sc = rules.scenario
    plan = rules.by_id.get(id(choice)) or rules.plans[choice.key]
    s.turns += 1
    turn = s.turns
    s.chosen.add(plan.key)
    counts, last = s.counts, s.last
    for tag in plan.tags:
        counts[tag] += 1
        last[tag] = turn
    before = [s.meters[m] for m in rules.tip_meters] if rules.tip_meters else ()

    # the choice's own effects, its outcome's, the tag rules and the unconditional responses
    outcome = None
    if plan.chances:
        index = draw(plan.chances)
        outcome = choice.outcomes[index]
        _part(log, s, *plan.outcomes[index])
        if log is not None:
            log.outcome = index
            if log.draws is not None:
                log.draws.append((f"outcome:{plan.key}", plan.chances, index))
    else:
        _part(log, s, plan.parts, plan.ops)
    for _, entries in plan.responses:
        for entry, part, ops in entries:
            if entry.condition is None or entry.condition.test(s):
                _part(log, s, (part,), ops)
                break

    if plan.laters:
        _schedule(s, plan.laters)
    if outcome is not None and outcome.later:
        _schedule(s, _numbered(f"outcome:{plan.key}#{index}", outcome.later))
    if s.pending and s.pending[0][0] <= turn:
        _land(rules, s, log)

    meters = s.meters
    for name, by, toward, test, low, high, part in rules.drifts:
        if test is not None and not test(s):
            continue
        old = meters[name]
        new = old + by
        if toward is not None:
            if (by < 0 and old <= toward) or (by > 0 and old >= toward):
                continue
            new = max(new, toward) if by < 0 else min(new, toward)
        new = low if new < low else high if new > high else new
        if new != old:
            meters[name] = new
            if log is not None and log.parts is not None:
                log.trace += (len(log.parts), "", name, new - old)  # type: ignore[operator]
                log.parts.append(part)

    dest = outcome.next if outcome is not None and outcome.next else choice.next
    s.scene = END_STATE if dest == END else dest
    if s.scene in sc.scenes:
        s.visited.add(s.scene)
        _events(rules, s, draw, log)
    if rules.tips:
        _tips(rules, s, before, log)
    _endings(rules, s, log)


def _land(rules: Rules, s: PlayState, log: Optional[TurnLog]) -> None:
    """Late consequences that are due now."""
    turn = s.turns
    while s.pending and s.pending[0][0] <= turn:
        due, _, source, i = s.pending.pop(0)
        later = rules.laters[source][i]
        if later.condition is None or later.condition.test(s):
            _part(log, s, (rule_part("later", f"{source}/{i}", later.text, source, due - later.turns),),
                  rules.later_ops[source][i])


def _events(rules: Rules, s: PlayState, draw: Draw, log: Optional[TurnLog]) -> None:
    fired = s.fired
    for event, id_, once, test, chance, part, ops in rules.events:
        if once and id_ in fired:
            continue
        if test is not None and not test(s):
            continue
        if log is not None and log.held is not None:
            log.held.append(id_)
        if chance <= 0:
            continue
        if chance < 1:
            chances = (chance, 1.0 - chance)
            picked = draw(chances)
            if log is not None and log.draws is not None:
                log.draws.append((f"event:{id_}", chances, picked))
            if picked != 0:
                continue
        fired.add(id_)
        _part(log, s, (part,), ops)
        if event.later:
            _schedule(s, _numbered(f"event:{id_}", event.later))
        if log is not None:
            log.events.append(id_)


def _tips(rules: Rules, s: PlayState, before: Sequence[int], log: Optional[TurnLog]) -> None:
    start = dict(zip(rules.tip_meters, before))
    for tip, part, ops in rules.tips:
        if tip.once and tip.id in s.tipped:
            continue
        was, now = start[tip.meter], s.meters[tip.meter]
        crossed = was < tip.threshold <= now if tip.up else was > tip.threshold >= now
        if not crossed or (tip.condition is not None and not tip.condition.test(s)):
            continue
        s.tipped.add(tip.id)
        _part(log, s, (part,), ops)
        if tip.later:
            _schedule(s, _numbered(f"tip:{tip.id}", tip.later))


def _endings(rules: Rules, s: PlayState, log: Optional[TurnLog]) -> None:
    sc = rules.scenario
    if s.scene not in sc.endings:
        for id_, test in rules.interrupt_tests:
            if test is None or test(s):
                s.scene = id_
                break
    if s.scene in rules.guarded and rules.finals and not s.available():
        s.scene = END_STATE  # every choice hidden: the endings decide
    if s.scene == END_STATE:
        if not rules.finals:
            raise EngineError(key="engine.no-ending")
        for e in rules.finals:
            if e.condition is None or e.condition.test(s):
                s.scene = e.id
                break
        else:
            s.scene = rules.finals[-1].id
    ending = rules.ending_ops.get(s.scene)
    if ending is not None:
        _part(log, s, (ending[0],), ending[1])


# ---------------------------------------------------------------------------
# Draws
# ---------------------------------------------------------------------------

def pick(u: float, chances: Sequence[float]) -> int:
    """The option a uniform number ``u`` in [0, 1) picks: the first whose
    cumulative chance exceeds it (an event with chance p fires when u < p)."""
    total = 0.0
    for i, p in enumerate(chances):
        total += p
        if u < total:
            return i
    return len(chances) - 1


def likeliest(chances: Sequence[float]) -> int:
    """The most likely option (the first on a tie, so a 50 % event fires)."""
    best = 0
    for i, p in enumerate(chances):
        if p > chances[best]:
            best = i
    return best
