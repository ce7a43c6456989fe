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
    """What :func:`take` did: the outcome drawn, the events fired, the notes of
    every rule (when ``notes`` is a list), the events whose condition held on
    arrival and the chance draws as ``(what, chances, picked)``."""

    __slots__ = ("outcome", "events", "notes", "held", "draws")

    def __init__(self, notes: bool = True):
        self.outcome: Optional[int] = None
        self.events: list[str] = []
        self.notes: Optional[list[Note]] = [] if notes else None
        self.held: list[str] = []
        self.draws: list[tuple[str, tuple[float, ...], int]] = []


# ---------------------------------------------------------------------------
# The scenario's rules, compiled once per scenario for speed
# ---------------------------------------------------------------------------

class Plan:
    """What one choice does every time it is taken (its tags' rules and the
    actors' responses looked up once)."""

    __slots__ = ("choice", "key", "tags", "tag_rules", "responses", "chances", "laters", "rest", "parts")

    def __init__(self, choice: Choice, sc: Scenario):
        self.choice = choice
        self.key = choice.key
        self.tags = choice.tags
        self.tag_rules = [sc.tag_rules[t] for t in self.tags if t in sc.tag_rules]
        self.responses = []  # (actor id, the entries of a matching cell that has a condition)
        # what every take of this choice applies after its own (and its outcome's) effects, in order:
        # (kind, source, text, effects, actor) — the tag rules, then the unconditional responses
        self.rest = [("tag", r.tag, r.text, r.effects, "") for r in self.tag_rules]
        for actor in sc.actors.values():
            row = sc.responses.get(actor.motive)
            if not actor.responds or not row:
                continue
            cells = [row[t] for t in self.tags if t in row] or ([row[OTHER]] if OTHER in row else [])
            for cell in cells:
                if len(cell) == 1 and cell[0].condition is None:
                    self.rest.append(("response", actor.id, cell[0].text, cell[0].effects, actor.id))
                elif cell:
                    self.responses.append((actor.id, cell))
        own = [("choice", self.key, choice.text, choice.effects, "")]
        self.parts = own + self.rest  # without an outcome: the whole list, built once
        self.chances = tuple(o.chance for o in choice.outcomes)
        self.laters = _numbered(f"choice:{choice.key}", choice.later)
        for t in self.tags:
            rule = sc.tag_rules.get(t)
            if rule is not None:
                self.laters += _numbered(f"tag:{t}", rule.later)


class Rules:
    """A scenario's rules, looked up once: one :class:`Plan` per choice, the
    drifting meters, tipping points, endings and every late consequence by
    its source name (how a save refers to a pending one)."""

    def __init__(self, sc: Scenario):
        self.scenario = sc
        self.plans = {c.key: Plan(c, sc) for c in sc.all_choices()}
        self.by_id = {id(p.choice): p for p in self.plans.values()}  # the hot path: no key string built
        self.ranges = {m.id: (m.min, m.max) for m in sc.meters.values()}
        self.drifts = [(m.id, m.drift, m.min, m.max) for m in sc.meters.values() if m.drift is not None]
        self.tips = sc.tipping_points
        self.events = [(e, e.once, e.condition.test if e.condition is not None else None) for e in sc.events]
        self.tip_meters = tuple(dict.fromkeys(t.meter for t in sc.tipping_points))
        self.interrupts = [e for e in sc.endings.values() if e.interrupt]
        self.finals = [e for e in sc.endings.values() if not e.interrupt]
        self.guarded = {s.id for s in sc.scenes.values()
                        if s.choices and all(c.condition is not None for c in s.choices)}
        self.laters = later_sources(sc)

    def plan(self, choice: Choice) -> Plan:
        return self.plans[choice.key]


# ---------------------------------------------------------------------------
# The turn
# ---------------------------------------------------------------------------

def apply(s: PlayState, effects: Effects, ranges: dict[str, tuple[int, int]],
          meters_out: Optional[dict[str, int]] = None, actors_out: Optional[dict] = None, actor: str = "") -> None:
    """Apply ``effects`` to ``s`` (clamped to the ranges). With ``meters_out``/``actors_out``
    the changes are added up there. ``actor`` stands in for ``*`` (the responses)."""
    meters = s.meters
    for name, change in effects.meters:
        old = meters[name]
        low, high = ranges[name]
        if change.op == "add":  # the common case, inline
            new = old + change.amount
            new = low if new < low else high if new > high else new
        else:
            new = change.apply(old, low, high, s)
        meters[name] = new
        if meters_out is not None and new != old:
            meters_out[name] = meters_out.get(name, 0) + new - old
    for who, attr, change in effects.actors:
        if who == "*":
            who = actor
        values = s.actors[who]
        old = values[attr]
        new = values[attr] = change.apply(old, 0, 100, s) if attr == "power" else change.apply(old, -100, 100, s)
        if actors_out is not None and new != old:
            d = actors_out.setdefault(who, {})
            d[attr] = d.get(attr, 0) + new - old


def _part(log: Optional[TurnLog], s: PlayState, kind: str, source: str, text: Text, effects: Effects,
          ranges: dict[str, tuple[int, int]], actor: str = "", cause: str = "", turn: int = 0,
          keep_empty: bool = True) -> None:
    """Apply one rule's effects, and note it when the turn is being logged (a part that changed
    nothing is noted only with ``keep_empty``)."""
    notes = log.notes if log is not None else None
    if notes is None:
        apply(s, effects, ranges, None, None, actor)
        return
    note = Note(kind, source, text, {}, {}, cause, turn)
    apply(s, effects, ranges, note.meters, note.actors, actor)
    if keep_empty or note.meters or note.actors:
        notes.append(note)


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
    ranges = rules.ranges
    plan = rules.by_id.get(id(choice)) or rules.plans[choice.key]
    key = plan.key
    s.turns += 1
    turn = s.turns
    s.chosen.add(key)
    counts, last = s.counts, s.last
    for tag in plan.tags:
        counts[tag] += 1
        last[tag] = turn
    before = [s.meters[m] for m in rules.tip_meters] if rules.tip_meters else ()

    outcome = None
    parts = plan.parts
    if plan.chances:
        index = draw(plan.chances)
        outcome = choice.outcomes[index]
        parts = parts[:1] + [("outcome", f"{key}#{index}", outcome.text, outcome.effects, "")] + plan.rest
        if log is not None:
            log.outcome = index
            log.draws.append((f"outcome:{key}", plan.chances, index))
    # the choice's own effects, its outcome's, the tag rules and the unconditional responses
    for kind, source, text, effects, actor in parts:
        _part(log, s, kind, source, text, effects, ranges, actor=actor, keep_empty=kind != "choice")
    for actor, entries in plan.responses:
        for entry in entries:
            if entry.condition is None or entry.condition.test(s):
                _part(log, s, "response", actor, entry.text, entry.effects, ranges, actor=actor)
                break

    if plan.laters:
        _schedule(s, plan.laters)
    if outcome is not None and outcome.later:
        _schedule(s, _numbered(f"outcome:{key}#{index}", outcome.later))
    if s.pending and s.pending[0][0] <= turn:
        _land(rules, s, log)

    for name, drift, low, high in rules.drifts:
        if drift.condition is not None and not drift.condition.test(s):
            continue
        old = s.meters[name]
        new = old + drift.by
        target = drift.toward
        if target is not None:
            if (drift.by < 0 and old <= target) or (drift.by > 0 and old >= target):
                continue
            new = max(new, target) if drift.by < 0 else min(new, target)
        new = low if new < low else high if new > high else new
        if new != old:
            s.meters[name] = new
            if log is not None and log.notes is not None:
                log.notes.append(Note("drift", name, drift.text, {name: new - old}))

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
            _part(log, s, "later", f"{source}/{i}", later.text, later.effects, rules.ranges,
                  cause=source, turn=due - later.turns)


def _events(rules: Rules, s: PlayState, draw: Draw, log: Optional[TurnLog]) -> None:
    fired = s.fired
    for event, once, test in rules.events:
        if once and event.id in fired:
            continue
        if test is not None and not test(s):
            continue
        if log is not None:
            log.held.append(event.id)
        if event.chance <= 0:
            continue
        if event.chance < 1:
            chances = (event.chance, 1.0 - event.chance)
            picked = draw(chances)
            if log is not None:
                log.draws.append((f"event:{event.id}", chances, picked))
            if picked != 0:
                continue
        s.fired.add(event.id)
        _part(log, s, "event", event.id, event.title or event.text, event.effects, rules.ranges)
        if event.later:
            _schedule(s, _numbered(f"event:{event.id}", event.later))
        if log is not None:
            log.events.append(event.id)


def _tips(rules: Rules, s: PlayState, before: Sequence[int], log: Optional[TurnLog]) -> None:
    start = dict(zip(rules.tip_meters, before))
    for tip in rules.tips:
        if tip.once and tip.id in s.tipped:
            continue
        was, now = start[tip.meter], s.meters[tip.meter]
        crossed = was < tip.threshold <= now if tip.up else was > tip.threshold >= now
        if not crossed or (tip.condition is not None and not tip.condition.test(s)):
            continue
        s.tipped.add(tip.id)
        _part(log, s, "tip", tip.id, tip.title or tip.text, tip.effects, rules.ranges)
        if tip.later:
            _schedule(s, _numbered(f"tip:{tip.id}", tip.later))


def _endings(rules: Rules, s: PlayState, log: Optional[TurnLog]) -> None:
    sc = rules.scenario
    if s.scene not in sc.endings:
        for e in rules.interrupts:
            if e.condition is None or e.condition.test(s):
                s.scene = e.id
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
    ending = sc.endings.get(s.scene)
    if ending is not None and ending.effects:
        _part(log, s, "ending", ending.id, ending.title, ending.effects, rules.ranges)


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
