"""``tegenmacht check``: an exhaustive test of a scenario, like ChoiceScript's quicktest.

The checker explores the scenario's state space: from the start it takes every
offered choice, and where an event has a chance below 1 it follows both
outcomes (fires / does not fire). Two states that will behave the same from
now on are explored once: the key of a state is the scene plus everything a
condition can read — the meters and actor values that some condition
mentions, the scenes/choices/events that some ``visited``/``chose``/``fired``
mentions, which ``once`` events have fired, and ``turns`` if a condition reads
it. (Each meter changes independently of the others, so leaving out a meter no
condition reads never merges two states with different futures.)

The search stops when everything is covered, when the state space is
exhausted, or at ``max_states`` (then it says so). States are taken scene-fair
(the k-th state found in a scene before the (k+1)-th of any scene), so deep
scenes are reached early even in big scenarios; the search is still
exhaustive when it is not cut off.

For every ending it gives a **witness path**: the choice keys in order and,
when chance events are on the path, a seed that reproduces it with
:meth:`game.play.engine.Session.replay` (found by trying seeds, bounded). What
cannot be reached is reported with a reason.

Every step is played by :func:`game.play.turn.take`, the same code the game runs,
on a copied :class:`~game.scenario.state.PlayState`; random draws follow a plan of
outcomes instead of a generator. Where a step has chance draws, at most
``max_combinations`` outcome combinations are followed, and the whole search
stops after ``time_limit`` seconds: either way the result says it was cut off.
A search that was not cut off is complete, and what it did not reach is
*proven* unreachable.
"""
from __future__ import annotations

import argparse
import heapq
import json
import random
import sys
import time
from dataclasses import dataclass, field
from typing import Any, Optional

from game.i18n import gettext
from game.scenario import rules
from game.play.engine import Session, Story
from game.scenario.model import END, Effects, Scenario
from game.play.scoring import outcome_of, quadrant
from game.play.turn import Rules, TurnLog, pick, take
from game.scenario.state import PlayState, later_sources

DEFAULT_MAX_STATES = 10_000
DEFAULT_SEED_TRIES = 50_000
DEFAULT_MAX_COMBINATIONS = 256  # chance outcomes followed per choice per state
DEFAULT_TIME_LIMIT = 120.0  # seconds


def final_exists(sc: Scenario) -> bool:
    return any(not e.interrupt for e in sc.endings.values())


def _conditions(sc: Scenario) -> list:
    """Every condition the rules of play read (not the debrief's)."""
    conds = [c.condition for c in sc.all_choices()] + [e.condition for e in sc.events]
    conds += [e.condition for e in sc.endings.values()]
    conds += [x.condition for group in later_sources(sc).values() for x in group]
    conds += [m.drift.condition for m in sc.meters.values() if m.drift is not None]
    conds += [t.condition for t in sc.tipping_points]
    conds += [r.condition for row in sc.responses.values() for cell in row.values() for r in cell]
    return conds


def _all_effects(sc: Scenario) -> list[Effects]:
    effs = [c.effects for c in sc.all_choices()] + [o.effects for c in sc.all_choices() for o in c.outcomes]
    effs += [e.effects for e in sc.events] + [e.effects for e in sc.endings.values()]
    effs += [r.effects for r in sc.tag_rules.values()] + [t.effects for t in sc.tipping_points]
    effs += [r.effects for row in sc.responses.values() for cell in row.values() for r in cell]
    return effs + [x.effects for group in later_sources(sc).values() for x in group]


# ---------------------------------------------------------------------------
# What conditions read: the parts of a state that matter for its future
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Relevance:
    meters: tuple[str, ...]
    actors: tuple[tuple[str, str], ...]
    scenes: frozenset[str]
    choices: frozenset[str]
    events: frozenset[str]
    turns: bool
    counts: tuple[str, ...] = ()  # tags whose count a condition reads
    since: tuple[str, ...] = ()  # tags whose since() a condition reads

    @classmethod
    def of(cls, sc: Scenario) -> "Relevance":
        meters: set[str] = set(t.meter for t in sc.tipping_points)
        actors: set[tuple[str, str]] = set()
        fns: dict[str, set[str]] = {"visited": set(), "chose": set(), "fired": set(), "tipped": set()}
        counts: set[str] = set()
        since: set[str] = set()
        turns = False
        for cond in _conditions(sc):
            if cond is None:
                continue
            for n in rules.walk(cond.node):
                if n.kind == "var":
                    name = n.args[0]
                    if name == "turns":
                        turns = True
                    elif "." in name:
                        actor, attr = name.split(".", 1)
                        actors.add((actor, attr))
                    else:
                        meters.add(name)
                elif n.kind == "fn":
                    fns[n.args[0]].add(n.args[1])
                elif n.kind == "tag":
                    fn, tag = n.args
                    if fn == "since":
                        since.add(tag)
                    else:
                        counts.add(tag)
                        turns = turns or fn == "share"
        # A scaled effect ("+achterban/10") makes its source matter wherever its target does.
        scaled = []
        for eff in _all_effects(sc):
            for name, change in eff.meters:
                if change.op == "scale":
                    scaled.append((name, change.ref))
            for actor, attr, change in eff.actors:
                if change.op == "scale":
                    scaled.append(("*" if actor == "*" else f"{actor}.{attr}", change.ref))
        grown = True
        while grown:
            grown = False
            for target, ref in scaled:
                matters = target == "*" or target in meters or tuple(target.split(".", 1)) in actors
                if not matters:
                    continue
                if "." in ref:
                    key = tuple(ref.split(".", 1))
                    if key not in actors:
                        actors.add(key)  # type: ignore[arg-type]
                        grown = True
                elif ref not in meters:
                    meters.add(ref)
                    grown = True
        once = {e.id for e in sc.events if e.once}
        return cls(tuple(sorted(meters)), tuple(sorted(actors)), frozenset(fns["visited"]),
                   frozenset(fns["chose"]), frozenset(fns["fired"] | once), turns,
                   tuple(sorted(counts)), tuple(sorted(since)))

    def key(self, s: PlayState) -> tuple:
        m, a = s.meters, s.actors
        base = (s.scene, tuple([m[x] for x in self.meters]), tuple([a[x][y] for x, y in self.actors]),
                frozenset(s.visited & self.scenes), frozenset(s.chosen & self.choices),
                frozenset(s.fired & self.events), s.turns if self.turns else 0)
        extra = ()
        if self.counts:
            extra += (tuple([s.counts[t] for t in self.counts]),)
        if self.since:
            extra += (tuple([s.since(t) for t in self.since]),)
        if s.pending:
            extra += (tuple([(due - s.turns, source, i) for due, _, source, i in s.pending]),)
        if s.tipped:
            extra += (frozenset(s.tipped),)
        return base + extra if not extra else base + (extra,)


# ---------------------------------------------------------------------------
# The result
# ---------------------------------------------------------------------------

@dataclass
class Witness:
    """A path that reaches an ending: choice keys, and a seed when chance is involved."""

    ending: str
    choices: list[str]
    draws: list[list[tuple[str, tuple[float, ...], int]]]  # per step: (what, chances, picked) of each draw
    events: list[list[str]]  # per step: the events that fired
    seed: Optional[int] = None  # a seed that reproduces the path (None: none found within the bound)
    verified: bool = False  # Session.replay(story, seed, choices) ends in `ending`

    @property
    def chance(self) -> bool:
        return any(self.draws)

    def to_json(self) -> dict[str, Any]:
        return {"ending": self.ending, "choices": list(self.choices), "seed": self.seed,
                "events": [list(e) for e in self.events], "chance": self.chance, "verified": self.verified}


@dataclass
class Missing:
    """Something the search never reached, and why: a reason code and its details, put into words
    late (``check.why-<code>`` and ``check.more-<how>`` in the catalogues), in either language."""

    kind: str  # scene | choice | event | ending
    id: str
    why: str  # the reason's code
    params: dict[str, Any] = field(default_factory=dict)
    line: int = 0
    how: str = ""  # how complete the search was: "" | cut | unfinished | proven
    how_params: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str) -> str:
        more = ""
        if self.how == "cut":
            more = gettext("check.more-cut", lang, n=self.how_params["n"],
                           by=gettext(f"check.by-{self.how_params['by']}", lang))
        elif self.how:
            more = gettext(f"check.more-{self.how}", lang)
        return gettext(f"check.why-{self.why}", lang, **self.params) + more

    @property
    def reason(self) -> tuple[str, str]:
        """(Dutch, English): the reason in both languages."""
        return self.text("nl"), self.text("en")

    def to_json(self, lang: str) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "line": self.line, "why": self.why, "reason": self.text(lang)}


@dataclass
class CheckResult:
    scenario: Scenario
    states: int = 0  # distinct states found
    expanded: int = 0  # states whose choices were all taken (at most max_states)
    steps: int = 0  # choices played (with every event outcome)
    truncated: bool = False
    exhausted: bool = False  # every state reachable was explored
    seconds: float = 0.0
    scenes: dict[str, int] = field(default_factory=dict)  # id -> states explored there
    choices: dict[str, int] = field(default_factory=dict)  # key -> times taken
    events: dict[str, int] = field(default_factory=dict)  # id -> times fired
    endings: dict[str, int] = field(default_factory=dict)  # id -> times reached
    witnesses: dict[str, Witness] = field(default_factory=dict)
    missing: list[Missing] = field(default_factory=list)
    stuck: int = 0  # states with no choice offered (cannot happen in a valid scenario without bugs)
    cut: str = ""  # why the search was cut off: "states", "combinations", "time" ("" if not)
    mismatch_cut: bool = False  # everything was reached, but the hunt for score/ending mismatches hit a limit
    mismatches: dict[str, Witness] = field(default_factory=dict)  # ending -> a path whose score contradicts it
    mismatch_quadrant: dict[str, str] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        """The search explored every reachable state: what it missed is proven unreachable."""
        return self.exhausted and not self.truncated

    @property
    def ok(self) -> bool:
        return not self.missing

    def to_json(self, lang: str = "nl") -> dict[str, Any]:
        sc = self.scenario
        return {
            "scenario": sc.id, "path": sc.path, "ok": self.ok,
            "search": {"states": self.states, "expanded": self.expanded, "steps": self.steps,
                       "truncated": self.truncated, "exhausted": self.exhausted, "stuck": self.stuck,
                       "complete": self.complete, "cut_off": self.cut or None,
                       "mismatch_search_cut": self.mismatch_cut},
            "covered": {
                "scenes": {"reached": sum(1 for v in self.scenes.values() if v), "total": len(sc.scenes)},
                "choices": {"reached": sum(1 for v in self.choices.values() if v), "total": len(self.choices)},
                "events": {"reached": sum(1 for v in self.events.values() if v), "total": len(self.events)},
                "endings": {"reached": sum(1 for v in self.endings.values() if v), "total": len(self.endings)},
            },
            "witnesses": {k: self.witnesses[k].to_json() for k in sc.endings if k in self.witnesses},
            "unreachable": [m.to_json(lang) for m in self.missing],
            "mismatches": {k: {"quadrant": self.mismatch_quadrant[k], **w.to_json()}
                           for k, w in self.mismatches.items()},
        }


# ---------------------------------------------------------------------------
# The search
# ---------------------------------------------------------------------------

def find_seed(draws: list[list[tuple[str, tuple[float, ...], int]]], tries: int = DEFAULT_SEED_TRIES
              ) -> Optional[int]:
    """The smallest seed below ``tries`` whose random draws give exactly these
    outcomes (the engine picks with :func:`game.play.turn.pick` on ``random()``)."""
    flat = [(chances, picked) for step in draws for _, chances, picked in step]
    if not flat:
        return 0
    for seed in range(tries):
        r = random.Random(seed).random
        for chances, picked in flat:
            if pick(r(), chances) != picked:
                break
        else:
            return seed
    return None


def _outcome_chance(draws: Any) -> float:
    p = 1.0
    for _, chances, picked in draws:
        p *= chances[picked]
    return p


class _PlanDraw:
    """Draws that follow a plan (indices); past the plan, the last option
    (an event does not fire; an uncertain choice takes its last outcome)."""

    __slots__ = ("plan", "drawn")

    def __init__(self, plan: tuple[int, ...]):
        self.plan = plan
        self.drawn: list[tuple[float, ...]] = []

    def __call__(self, chances: Any) -> int:
        i = len(self.drawn)
        self.drawn.append(tuple(chances))
        return self.plan[i] if i < len(self.plan) else len(chances) - 1


def check(scenario: Scenario, max_states: int = DEFAULT_MAX_STATES,
          seed_tries: int = DEFAULT_SEED_TRIES, story: Optional[Story] = None,
          max_combinations: int = DEFAULT_MAX_COMBINATIONS, time_limit: float = DEFAULT_TIME_LIMIT) -> CheckResult:
    """Explore ``scenario`` (see the module docstring) and return what was covered."""
    t0 = time.perf_counter()
    sc = scenario
    story = story or Story(sc)
    game_rules: Rules = story.rules
    rel = Relevance.of(sc)
    res = CheckResult(sc)
    res.scenes = {k: 0 for k in sc.scenes}
    res.choices = {c.key: 0 for c in sc.all_choices()}
    res.events = {e.id: 0 for e in sc.events}
    res.endings = {k: 0 for k in sc.endings}
    held_events: set[str] = set()
    held_choices: set[str] = set()
    held_at_end: set[str] = set()  # final endings whose condition held when a path reached `next: end`
    held_interrupt: set[str] = set()
    reached_end = False
    interrupts = [e for e in sc.endings.values() if e.interrupt]
    finals = [e for e in sc.endings.values() if not e.interrupt]
    # nodes[i] = (parent node, choice key, draws of that step, events of that step, chance of the path)
    nodes: list[tuple[int, str, tuple, tuple, float]] = [(-1, "", (), (), 1.0)]
    best_chance: dict[str, float] = {}
    root = PlayState.start(sc)
    seen = {rel.key(root)}
    # Rarest first, then scene-fair. A state's features are, per scene, each
    # flag it has set, each relevant meter's band of 10 (actors: 20) and how
    # many flags it has; its rarity is how often its rarest feature was seen
    # before. Rare states go first; then the k-th state of a scene before the
    # (k+1)-th of any scene.
    features_seen: dict[tuple, int] = {}
    per_scene: dict[str, int] = {}
    heap: list[tuple[int, int, int, int, PlayState]] = [(0, 0, 0, 0, root)]
    uncovered = len(res.scenes) + len(res.choices) + len(res.events) + len(res.endings)

    def cover(table: dict[str, int], key: str) -> None:
        nonlocal uncovered
        if table[key] == 0:
            uncovered -= 1
        table[key] += 1

    def path_of(node: int) -> list[tuple[str, tuple, tuple]]:
        out = []
        while node > 0:
            parent, key, draws, events, _ = nodes[node]
            out.append((key, draws, events))
            node = parent
        return out[::-1]

    # Once everything is reached the search goes on while endings expect a quadrant: a path whose score
    # contradicts its ending may still be ahead. Hitting a limit then cuts only that hunt.
    hunt = any(e.expect for e in sc.endings.values())
    while heap and (uncovered > 0 or hunt):
        if res.expanded >= max_states or time.perf_counter() - t0 > time_limit:
            if uncovered == 0:
                res.mismatch_cut = True
            else:
                res.truncated, res.cut = True, "states" if res.expanded >= max_states else "time"
            break
        _, _, depth, node, s = heapq.heappop(heap)
        res.expanded += 1
        cover(res.scenes, s.scene)
        offered = s.available()
        if not offered:
            res.stuck += 1
            continue
        path_chance = nodes[node][4]
        for c in offered:
            held_choices.add(c.key)
            plans: list[tuple[int, ...]] = [()]
            followed = 0
            while plans:
                if followed >= max_combinations:
                    if uncovered == 0:
                        res.mismatch_cut = True
                    else:
                        res.truncated, res.cut = True, res.cut or "combinations"
                    break
                followed += 1
                plan = plans.pop()
                child = s.copy()
                draw = _PlanDraw(plan)
                log = TurnLog(notes=False, draws=True)
                take(game_rules, child, c, draw, log)
                held_events.update(log.held)
                drawn = log.draws
                res.steps += 1
                for j in range(len(plan), len(drawn)):
                    defaults = tuple(len(ch) - 1 for _, ch, _ in drawn[len(plan):j])
                    for alt in range(len(drawn[j][1]) - 1):
                        plans.append(plan + defaults + (alt,))
                events = log.events
                cover(res.choices, c.key)
                for ev in events:
                    cover(res.events, ev)
                if c.next not in sc.endings:  # interrupts are checked unless the choice ends the game
                    for e in interrupts:
                        if e.condition is None or e.condition.test(child):
                            held_interrupt.add(e.id)
                chance = path_chance * _outcome_chance(drawn)
                if child.finished:
                    ending = child.scene
                    if c.next == END:
                        if not sc.endings[ending].interrupt:
                            reached_end = True
                        for e in finals:
                            if e.condition is None or e.condition.test(child):
                                held_at_end.add(e.id)
                    steps = None
                    if chance > best_chance.get(ending, -1.0):
                        best_chance[ending] = chance
                        steps = path_of(node) + [(c.key, tuple(drawn), tuple(events))]
                        res.witnesses[ending] = Witness(ending, [k for k, _, _ in steps],
                                                        [list(d) for _, d, _ in steps],
                                                        [list(ev) for _, _, ev in steps])
                    end = sc.endings[ending]
                    if end.expect and ending not in res.mismatches:
                        q = quadrant(sc, child.meters)
                        if q not in end.expect:
                            steps = steps or path_of(node) + [(c.key, tuple(drawn), tuple(events))]
                            res.mismatches[ending] = Witness(ending, [k for k, _, _ in steps],
                                                             [list(d) for _, d, _ in steps],
                                                             [list(ev) for _, _, ev in steps])
                            res.mismatch_quadrant[ending] = q
                    cover(res.endings, ending)
                    continue
                if child.scene not in sc.scenes:
                    res.stuck += 1
                    continue
                key = rel.key(child)
                if key in seen:
                    continue
                if len(heap) >= 4 * max_states:  # keep memory bounded
                    if uncovered == 0:
                        res.mismatch_cut = True
                    else:
                        res.truncated, res.cut = True, res.cut or "states"
                    continue
                seen.add(key)
                nodes.append((node, c.key, tuple(drawn), tuple(events), chance))
                st = child.scene
                feats = [(st, i, v // 10) for i, v in enumerate(key[1])]
                feats += [(st, -1 - i, v // 20) for i, v in enumerate(key[2])]
                feats += [(st, f) for f in key[3]] + [(st, f) for f in key[4]] + [(st, f) for f in key[5]]
                feats.append((st, len(key[3]) + len(key[4]) + len(key[5])))
                rarity = min(features_seen.get(f, 0) for f in feats)
                for f in feats:
                    features_seen[f] = features_seen.get(f, 0) + 1
                n_scene = per_scene.get(st, 0)
                per_scene[st] = n_scene + 1
                heapq.heappush(heap, (rarity, n_scene, depth + 1, len(nodes) - 1, child))
    res.states = len(seen)
    res.exhausted = not heap and not res.truncated
    for w in list(res.witnesses.values()) + list(res.mismatches.values()):
        # A path whose draws together have a chance p needs about 1/p seeds: search only where one is
        # likely within the bound (a rare path keeps its choices and draws, reported without a seed).
        p = _outcome_chance([d for step in w.draws for d in step])
        w.seed = find_seed(w.draws, seed_tries) if p * seed_tries >= 3 else None
        if w.seed is None and p * 200 >= 1:
            w.seed = _replay_seed(story, w, 200)
        if w.seed is not None:
            try:
                w.verified = Session.replay(story, w.seed, w.choices).state == w.ending
            except Exception:  # noqa: BLE001 - a witness that does not replay is reported as unverified
                w.verified = False
    res.missing = _missing(sc, res, held_choices, held_events, held_at_end, held_interrupt, reached_end)
    res.seconds = time.perf_counter() - t0
    return res


def _replay_seed(story: Story, w: Witness, tries: int) -> Optional[int]:
    """A seed with which the witness's choices stay offered and reach its ending,
    even if other events fire on the way (slower than :func:`find_seed`)."""
    for seed in range(tries):
        try:
            s = Session.replay(story, seed, w.choices)
        except Exception:  # noqa: BLE001 - a choice not offered with this seed
            continue
        if s.state == w.ending:
            w.events = [list(h.events) for h in s.history]
            return seed
    return None


def _missing(sc: Scenario, res: CheckResult, held_choices: set[str], held_events: set[str],
             held_at_end: set[str], held_interrupt: set[str], reached_end: bool) -> list[Missing]:
    if res.truncated:
        how, how_params = "cut", {"n": res.expanded, "by": res.cut if res.cut in ("time", "combinations") else "states"}
    elif not res.exhausted:
        how, how_params = "unfinished", {}
    else:
        how, how_params = "proven", {}

    def why(code: str, **params: Any) -> dict[str, Any]:
        return {"why": code, "params": params, "how": how, "how_params": how_params}

    out: list[Missing] = []
    for sid, scene in sc.scenes.items():
        if not res.scenes[sid]:
            out.append(Missing("scene", sid, line=scene.line, **why("no-path")))
    for c in sc.all_choices():
        if res.choices[c.key]:
            continue
        if not res.scenes[c.scene]:
            r = why("scene-never", scene=c.scene)
        elif c.key not in held_choices and c.condition is not None:
            r = why("choice-condition", condition=c.condition.source, n=res.scenes[c.scene], scene=c.scene)
        else:
            r = why("choice-never")
        out.append(Missing("choice", c.key, line=c.line, **r))
    for e in sc.events:
        if res.events[e.id]:
            continue
        if e.chance <= 0:
            r = {"why": "chance-zero", "params": {}}
        elif e.id not in held_events:
            r = why("event-condition", condition=e.condition.source if e.condition else "")
        else:
            r = why("event-never")
        out.append(Missing("event", e.id, line=e.line, **r))
    earlier: Optional[str] = None
    for e in sc.endings.values():
        if not res.endings[e.id]:
            cond = e.condition.source if e.condition else ""
            if e.interrupt:
                r = why("interrupt-first") if e.id in held_interrupt else why("interrupt-condition", condition=cond)
            elif not reached_end and not any(c.next == e.id for c in sc.all_choices()):
                r = why("nothing-leads")
            elif e.id in held_at_end:
                r = why("earlier-ending", ending=earlier)
            else:
                r = why("ending-condition", condition=cond)
            out.append(Missing("ending", e.id, line=e.line, **r))
        if not e.interrupt and earlier is None:
            earlier = e.id
    return out


# ---------------------------------------------------------------------------
# Report and command
# ---------------------------------------------------------------------------

def format_result(res: CheckResult, lang: str = "nl") -> str:
    def t(key: str, **kw: Any) -> str:
        return gettext(f"check.{key}", lang, **kw)

    sc = res.scenario
    d = res.to_json(lang)
    lines = [t("title", title=sc.title.get(lang), path=sc.path or sc.id)]
    search = d["search"]
    if res.truncated:
        flag = {"time": "--time-limit", "combinations": "--max-combinations"}.get(res.cut, "--max-states")
        how = t("cut", n=res.expanded, flag=flag)
    elif res.exhausted:
        how = t("complete")
    else:
        how = t("stopped")
    lines.append(t("explored", states=search["states"], steps=search["steps"], seconds=f"{res.seconds:.2f}", how=how))
    cov = d["covered"]
    lines.append(t("reached") + ", ".join(f"{t('kinds-' + k)} {cov[k]['reached']}/{cov[k]['total']}"
                                          for k in ("scenes", "choices", "events", "endings")))
    lines.append("")
    lines.append(t("witnesses"))
    for eid in sc.endings:
        w = res.witnesses.get(eid)
        if w is None:
            continue
        if not w.chance:
            seed = t("any-seed")
        elif w.seed is None:
            seed = t("no-seed")
        else:
            seed = f"seed {w.seed}"
        lines.append(f"  {eid} ({seed}):")
        for key, events in zip(w.choices, w.events):
            extra = f"   [{', '.join(events)}]" if events else ""
            lines.append(f"      {key}{extra}")
    if res.missing:
        lines.append("")
        lines.append(t("not-reachable"))
        for m in res.missing:
            where = f"{sc.path}:{m.line}: " if sc.path and m.line else ""
            lines.append(f"  {where}{t('kind-' + m.kind)} '{m.id}': {m.text(lang)}")
        lines.append("")
        n = len(res.missing)
        lines.append(t("missing-one") if n == 1 else t("missing-many", n=n))
    else:
        lines.append("")
        lines.append(t("all-reachable"))
    if res.mismatches:
        lines.append("")
        lines.append(t("mismatch"))
        for eid, w in res.mismatches.items():
            e = sc.endings[eid]
            where = f"{sc.path}:{e.line}: " if sc.path and e.line else ""
            name = sc.archetypes[res.mismatch_quadrant[eid]].name.get(lang)
            lines.append(t("mismatch-ending", where=where, ending=eid, expect=", ".join(e.expect),
                           quadrant=res.mismatch_quadrant[eid], name=name))
            lines.append("      " + " → ".join(w.choices))
    if res.mismatch_cut:
        lines.append("")
        lines.append(t("mismatch-cut"))
    if res.stuck:
        lines.append(t("stuck", n=res.stuck))
    return "\n".join(lines)


def cmd_check(args: argparse.Namespace) -> int:
    from game.errors import EXIT_OK, EXIT_PROBLEMS, UsageError
    from game.tools.common import load_or_report

    if args.max_states < 1:
        raise UsageError(key="check.bad-max-states")
    scenario = load_or_report(args.path, args.lang)
    if scenario is None:
        return EXIT_PROBLEMS
    if args.max_combinations < 1 or args.time_limit <= 0:
        raise UsageError(key="check.bad-limits")
    res = check(scenario, max_states=args.max_states, max_combinations=args.max_combinations,
                time_limit=args.time_limit)
    if args.json:
        print(json.dumps(res.to_json(args.lang), ensure_ascii=False, indent=2))
    else:
        print(format_result(res, args.lang))
    return EXIT_OK if res.ok else EXIT_PROBLEMS


def add_command(subparsers: Any) -> None:
    p = subparsers.add_parser("check", help="exhaustive test: is every choice, event and ending reachable? "
                              "(witness paths)")
    p.add_argument("path", metavar="PATH")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument("--max-states", type=int, default=DEFAULT_MAX_STATES, metavar="N",
                   help=f"stop after N distinct states (default {DEFAULT_MAX_STATES})")
    p.add_argument("--max-combinations", type=int, default=DEFAULT_MAX_COMBINATIONS, metavar="N",
                   help=f"chance outcomes followed per choice (default {DEFAULT_MAX_COMBINATIONS})")
    p.add_argument("--time-limit", type=float, default=DEFAULT_TIME_LIMIT, metavar="S",
                   help=f"stop the search after S seconds (default {DEFAULT_TIME_LIMIT:g})")
    p.add_argument("--lang", choices=("nl", "en"), default=argparse.SUPPRESS)
    p.set_defaults(func=cmd_check)
