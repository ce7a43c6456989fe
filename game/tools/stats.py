"""Figures about a scenario: ``tegenmacht stats PATH [--json]``.

How big it is (scenes, choices, endings, events, actors, words per language),
how long reading everything takes (words / 200 per minute), how many choices
a player makes at least and at most before each ending, and how the choices
spread over the strategies and the agency tags.

Paths are counted in choices over the scene graph *ignoring conditions*: the
shortest is what a player needs at least if every choice were offered. The
longest is the longest path that visits no scene twice; when the graph has a
loop the player can go round, so the report says "lus" / "cycle".
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from typing import Any, Iterable, Optional

from game.i18n import gettext
from game.scenario import defaults
from game.scenario.paths import reachability, targets
from game.scenario.model import AGENCIES, DEFAULT_ARCHETYPES, DEFAULT_METERS, STRATEGIES, Coach, Later, Scenario, Text

WORDS_PER_MINUTE = 200
SEARCH_LIMIT = 200_000  # simple paths explored before the longest-path search gives up
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class PathFigures:
    shortest: Optional[int] = None
    longest: Optional[int] = None

    def to_json(self) -> dict[str, Any]:
        return {"shortest": self.shortest, "longest": self.longest}


@dataclass
class Stats:
    scenes: int
    choices: int
    endings: int
    events: int
    actors: int
    words: dict[str, int]
    minutes: dict[str, float]
    paths: dict[str, PathFigures]          # per ending id
    overall: PathFigures                   # over the non-interrupt endings
    cycle: bool                            # the scene graph has a loop
    complete: bool                         # False when the longest-path search hit its limit
    interrupts: list[str]                  # endings that can follow any choice
    strategies: dict[str, int]
    agencies: dict[str, int]
    conditional: int
    unreachable: list[str] = field(default_factory=list)
    play: dict[str, dict[str, float]] = field(default_factory=dict)  # lang -> p10/median/p90 minutes of one game

    def to_json(self) -> dict[str, Any]:
        return {
            "scenes": self.scenes, "choices": self.choices, "endings": self.endings, "events": self.events,
            "actors": self.actors, "words": dict(self.words),
            "reading_minutes": {k: round(v, 1) for k, v in self.minutes.items()},
            "words_per_minute": WORDS_PER_MINUTE,
            "paths": {k: v.to_json() for k, v in self.paths.items()},
            "overall": self.overall.to_json(), "cycle": self.cycle, "longest_complete": self.complete,
            "interrupt_endings": list(self.interrupts),
            "strategies": dict(self.strategies), "agencies": dict(self.agencies),
            "conditional_choices": self.conditional, "unreachable": list(self.unreachable),
            "playthrough_minutes": {k: dict(v) for k, v in self.play.items()},
        }


# -- words ------------------------------------------------------------------------

def _default_text(raw: object) -> Text:
    """A text of :mod:`game.scenario.defaults` as a :class:`Text` (to tell the defaults from the file's own)."""
    if isinstance(raw, dict):
        return Text(str(raw.get("nl", "")).strip(), raw["en"].strip() if isinstance(raw.get("en"), str) else None)
    return Text(str(raw or "").strip())


def _coach(coach: Coach | None) -> Iterable[Text]:
    if coach:
        yield coach.text
        yield coach.theory


def _laters(laters: Iterable[Later]) -> Iterable[Text]:
    for later in laters:
        yield later.text


def _texts(sc: Scenario) -> Iterable[Text]:
    """Every player-facing text written in the scenario file (not the built-in
    defaults of :mod:`game.scenario.model` and :mod:`game.scenario.defaults`), as the validator counts them."""
    yield sc.title
    yield sc.summary
    yield sc.image_alt
    yield from sc.learning_goals
    for m in sc.meters.values():
        default = DEFAULT_METERS.get(m.id)
        if default is None or m.label != default.label:
            yield m.label
        if default is None or m.description != default.description:
            yield m.description
        if m.drift is not None:
            spec = defaults.DRIFT.get(m.id)
            if spec is None or m.drift.text != _default_text(spec.get("text")):
                yield m.drift.text
    for a in sc.actors.values():
        yield a.name
        yield a.description
    for k, arch in sc.archetypes.items():
        if DEFAULT_ARCHETYPES.get(k) != arch:
            yield arch.name
            yield arch.description
    for tag, rule in sc.tag_rules.items():
        spec = defaults.TAG_RULES.get(tag) or {}
        if rule.text != _default_text(spec.get("text")):
            yield rule.text
        raw_later = spec.get("later")
        default_laters = [raw_later] if isinstance(raw_later, dict) else list(raw_later or [])
        for i, later in enumerate(rule.later):
            if i >= len(default_laters) or later.text != _default_text(default_laters[i].get("text")):
                yield later.text
    for motive, row in sc.responses.items():
        default_row = defaults.RESPONSES.get(motive) or {}
        for tag, cell in row.items():
            raw = default_row.get(tag)
            default_cell = raw if isinstance(raw, list) else [raw] if isinstance(raw, dict) else []
            for i, entry in enumerate(cell):
                if i >= len(default_cell) or entry.text != _default_text(default_cell[i].get("text")):
                    yield entry.text
    for t in sc.tipping_points:
        yield t.title
        yield t.text
        yield from _coach(t.coach)
        yield from _laters(t.later)
    for s in sc.scenes.values():
        yield s.title
        yield s.text
        yield s.image_alt
        for c in s.choices:
            yield c.text
            if c.show_locked is not None:
                yield c.show_locked
            yield from _coach(c.coach)
            yield from _laters(c.later)
            for o in c.outcomes:
                yield o.text
                yield from _laters(o.later)
    for ev in sc.events:
        yield ev.title
        yield ev.text
        yield from _coach(ev.coach)
        yield from _laters(ev.later)
    for e in sc.endings.values():
        yield e.title
        yield e.text
        yield e.outcome
        for remark in (*e.debrief, *e.questions):
            yield remark.text
    for remark in (*sc.debrief, *sc.questions):
        yield remark.text


def count_words(sc: Scenario) -> dict[str, int]:
    words = {"nl": 0, "en": 0}
    for t in _texts(sc):
        words["nl"] += len(_WORD.findall(t.nl or ""))
        words["en"] += len(_WORD.findall(t.en or ""))
    return words


# -- paths ------------------------------------------------------------------------

def _edges(sc: Scenario) -> dict[str, list[str]]:
    """Scene -> the scenes and endings its choices lead to (one entry per choice and target)."""
    return {s.id: [t for c in s.choices for t in targets(sc, c)] for s in sc.scenes.values()}


def _has_cycle(edges: dict[str, list[str]], nodes: Iterable[str]) -> bool:
    colour: dict[str, int] = {}  # 1 = on the stack, 2 = done
    for root in nodes:
        if root in colour:
            continue
        stack = [(root, iter(edges.get(root, ())))]
        colour[root] = 1
        while stack:
            node, it = stack[-1]
            for nxt in it:
                if nxt not in edges:
                    continue
                if colour.get(nxt) == 1:
                    return True
                if nxt not in colour:
                    colour[nxt] = 1
                    stack.append((nxt, iter(edges.get(nxt, ()))))
                    break
            else:
                colour[node] = 2
                stack.pop()
    return False


def path_figures(sc: Scenario) -> tuple[dict[str, PathFigures], bool, bool, Optional[int]]:
    """Per ending: fewest and most choices from the start (ignoring conditions).

    Returns (figures per ending, has a cycle, longest search complete, longest path
    to any ending). The longest counts simple paths only (no scene twice)."""
    edges = _edges(sc)
    figures = {e: PathFigures() for e in sc.endings}
    if sc.start not in sc.scenes:
        return figures, False, True, None
    # shortest: breadth-first over scenes
    dist = {sc.start: 0}
    order = [sc.start]
    for node in order:
        for t in edges[node]:
            if t in sc.scenes and t not in dist:
                dist[t] = dist[node] + 1
                order.append(t)
            elif t in sc.endings:
                f = figures[t]
                n = dist[node] + 1
                f.shortest = n if f.shortest is None else min(f.shortest, n)
    cycle = _has_cycle(edges, order)
    complete = True
    longest: dict[str, int] = {}
    if not cycle:  # a DAG: longest path by memoised depth-first search
        best: dict[str, dict[str, int]] = {}
        for node in reversed(_topo(edges, order)):
            here: dict[str, int] = {}
            for t in edges[node]:
                if t in sc.endings:
                    here[t] = max(here.get(t, 0), 1)
                elif t in best:
                    for e, n in best[t].items():
                        here[e] = max(here.get(e, 0), n + 1)
            best[node] = here
        longest = best.get(sc.start, {})
    else:  # simple paths, with a budget
        budget = SEARCH_LIMIT
        on_path = {sc.start}
        stack = [(sc.start, iter(edges[sc.start]))]
        while stack:
            node, it = stack[-1]
            for t in it:
                budget -= 1
                if budget <= 0:
                    complete = False
                    stack.clear()
                    break
                depth = len(stack)
                if t in sc.endings:
                    longest[t] = max(longest.get(t, 0), depth)
                elif t in sc.scenes and t not in on_path:
                    on_path.add(t)
                    stack.append((t, iter(edges[t])))
                    break
            else:
                on_path.discard(node)
                stack.pop()
    for e, n in longest.items():
        figures[e].longest = n
    interrupts = [e.id for e in sc.endings.values() if e.interrupt]
    overall_longest = max(longest.values(), default=None)
    for e in interrupts:  # can follow any choice: after the first, or at the latest after the last
        figures[e].shortest = 1 if any(edges.values()) else None
        figures[e].longest = overall_longest
    return figures, cycle, complete, overall_longest


def _topo(edges: dict[str, list[str]], nodes: list[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for root in nodes:
        if root in seen:
            continue
        seen.add(root)
        stack = [(root, iter(edges[root]))]
        while stack:
            node, it = stack[-1]
            for t in it:
                if t in edges and t not in seen:
                    seen.add(t)
                    stack.append((t, iter(edges[t])))
                    break
            else:
                out.append(node)
                stack.pop()
    out.reverse()
    return out


PLAYTHROUGHS = 200  # random playthroughs to estimate the reading time of one game


def _words(text: Optional[Text], lang: str) -> int:
    return len(_WORD.findall(text.get(lang))) if text is not None and text.nl else 0


def playthrough_minutes(sc: Scenario, runs: int = PLAYTHROUGHS) -> dict[str, dict[str, float]]:
    """How long one game takes to read (p10, median, p90 in minutes per language): seeded random
    playthroughs with the game's own turn rules, counting what the screen shows — each scene's
    title and text, the choices offered, the chosen choice's coach and the rules that fired in the
    coach card, outcomes, events and the ending with its debrief."""
    import random

    from game.play.debrief import turn_lines
    from game.scenario.state import PlayState
    from game.play.turn import Rules, TurnLog, pick, take

    rules = Rules(sc)
    totals: dict[str, list[int]] = {lang: [] for lang in ("nl", "en")}
    for run in range(runs):
        rng = random.Random(run)
        s = PlayState.start(sc)
        shown: list[Optional[Text]] = []
        coach_lines = {lang: 0 for lang in totals}
        while not s.finished and s.turns < 500:
            scene = sc.scenes[s.scene]
            offered = s.available()
            if not offered:
                break
            shown += [scene.title, scene.text] + [c.text for c in scene.choices]
            c = rng.choice(offered)
            log = TurnLog()
            take(rules, s, c, lambda chances: pick(rng.random(), chances), log)
            for lang in totals:  # the coach card's rule lines, from the turn's notes
                coach_lines[lang] += sum(len(_WORD.findall(line)) for line in turn_lines(sc, log, lang))
            if c.coach is not None:
                shown += [c.coach.text, c.coach.theory]
            if log.outcome is not None:
                shown.append(c.outcomes[log.outcome].text)
            for e in sc.events:
                if e.id in log.events:
                    shown += [e.title, e.text] + ([e.coach.text] if e.coach else [])
        ending = sc.endings.get(s.scene)
        if ending is not None:
            shown += [ending.title, ending.text] + [r.text for r in ending.debrief]
        for lang in totals:
            totals[lang].append(sum(_words(t, lang) for t in shown) + coach_lines[lang])
    out = {}
    for lang, values in totals.items():
        values.sort()
        pick_at = lambda q: values[min(len(values) - 1, int(q * len(values)))] / WORDS_PER_MINUTE  # noqa: E731
        out[lang] = {"p10": round(pick_at(0.1), 1), "median": round(pick_at(0.5), 1), "p90": round(pick_at(0.9), 1)}
    return out


def compute(sc: Scenario) -> Stats:
    """All figures for one validated scenario."""
    words = count_words(sc)
    choices = sc.all_choices()
    strategies = {k: 0 for k in (*STRATEGIES, "neutraal")}
    agencies = {k: 0 for k in (*AGENCIES, "neutraal")}
    for c in choices:
        strategies[c.strategy or "neutraal"] += 1
        agencies[c.agency or "neutraal"] += 1
    figures, cycle, complete, _ = path_figures(sc)
    finals = [figures[e.id] for e in sc.endings.values() if not e.interrupt]
    shortest = [f.shortest for f in finals if f.shortest is not None]
    longest = [f.longest for f in finals if f.longest is not None]
    reach = reachability(sc)
    return Stats(
        scenes=len(sc.scenes), choices=len(choices), endings=len(sc.endings), events=len(sc.events),
        actors=len(sc.actors), words=words,
        minutes={k: v / WORDS_PER_MINUTE for k, v in words.items()},
        paths=figures, overall=PathFigures(min(shortest, default=None), max(longest, default=None)),
        cycle=cycle, complete=complete, interrupts=[e.id for e in sc.endings.values() if e.interrupt],
        strategies=strategies, agencies=agencies,
        conditional=sum(1 for c in choices if c.condition is not None),
        unreachable=reach.unreachable_scenes(sc) + reach.unreachable_endings(sc),
        play=playthrough_minutes(sc),
    )


# -- text output -----------------------------------------------------------------



def tr(key: str, lang: str, **kw: object) -> str:
    return gettext(f"stats.{key}", lang, **kw)


def _n(x: Optional[int]) -> str:
    return "-" if x is None else str(x)


def render(st: Stats, sc: Scenario, lang: str = "nl") -> str:
    lines = [f"{sc.title.get(lang)} ({sc.id})", "", tr("size", lang) + ":"]
    lines.append(f"  {tr('scenes', lang)}: {st.scenes}")
    lines.append(f"  {tr('choices', lang)}: {st.choices} ({st.conditional} {tr('conditional', lang)})")
    lines.append(f"  {tr('endings', lang)}: {st.endings}")
    lines.append(f"  {tr('events', lang)}: {st.events}")
    lines.append(f"  {tr('actors', lang)}: {st.actors}")
    lines += ["", tr("words", lang) + f": nl {st.words['nl']}, en {st.words['en']}"]
    def minutes(x: float) -> str:
        s = f"{x:.1f}"
        return s.replace(".", ",") if lang == "nl" else s

    lines.append(tr("reading", lang, wpm=WORDS_PER_MINUTE, nl=minutes(st.minutes["nl"]), en=minutes(st.minutes["en"])))
    if st.play:
        p = st.play["nl" if lang == "nl" else "en"]
        lines.append(tr("play", lang, runs=PLAYTHROUGHS, median=minutes(p["median"]), p10=minutes(p["p10"]),
                        p90=minutes(p["p90"])))
    lines += ["", tr("paths", lang) + ":"]
    width = max((len(e) for e in sc.endings), default=0)
    for e in sc.endings.values():
        f = st.paths[e.id]
        name = f"{e.id}".ljust(width)
        if f.shortest is None:
            lines.append(f"  {name}  {tr('never', lang)}")
            continue
        extra = f"  ({tr('interrupt', lang)})" if e.interrupt else ""
        lines.append(f"  {name}  {tr('shortest', lang)} {_n(f.shortest)}, {tr('longest', lang)} {_n(f.longest)}{extra}")
    lines.append(f"  {tr('overall', lang)}: {tr('shortest', lang)} {_n(st.overall.shortest)}, "
                 f"{tr('longest', lang)} {_n(st.overall.longest)}")
    lines.append("  " + (tr("cycle", lang) if st.cycle else tr("no-cycle", lang)))
    if not st.complete:
        lines.append("  " + tr("incomplete", lang, n=SEARCH_LIMIT))
    lines += ["", tr("strategy", lang) + ":"]
    lines += [f"  {k}: {v}" for k, v in st.strategies.items()]
    lines += ["", tr("agency", lang) + ":"]
    lines += [f"  {k}: {v}" for k, v in st.agencies.items()]
    if st.unreachable:
        lines += ["", tr("unreachable", lang) + ": " + ", ".join(st.unreachable)]
    return "\n".join(lines) + "\n"


def cmd_stats(args: argparse.Namespace) -> int:
    from game.errors import EXIT_OK, EXIT_PROBLEMS
    from game.tools.common import load_or_report

    scenario = load_or_report(args.path, args.lang)
    if scenario is None:
        return EXIT_PROBLEMS
    st = compute(scenario)
    if args.json:
        data = {"path": args.path, "id": scenario.id, **st.to_json()}
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(render(st, scenario, args.lang))
    return EXIT_OK


def add_command(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("stats", help="figures about a scenario: size, words, reading time, path lengths")
    p.add_argument("path", metavar="PATH", help="scenario file")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.add_argument("--lang", choices=("nl", "en"), default=argparse.SUPPRESS)
    p.set_defaults(func=cmd_stats)
