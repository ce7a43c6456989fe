"""``tegenmacht simulate``: many seeded playthroughs per strategy, like ChoiceScript's randomtest.

For each strategy the simulator plays ``runs`` sessions and reports how often
each ending was reached, how tegenmacht and eigenaarschap spread at the end
(mean, p10, p50, p90, as percentages of the meters' ranges, as in
:func:`game.scoring.score`), the archetype shares, how often each scene,
choice and event was hit (in how many runs), and what was never reached.

Strategies (a *player* picks among the choices offered):

* ``random`` — any offered choice.
* ``polderen``, ``coalitie``, ``confrontatie`` — a choice with that strategy
  tag if one is offered, else any other.
* ``overnemen`` — a choice with agency ``overnemen`` if offered, else any.
* ``balanced`` — a choice with the strategy tag used least so far (ties: any).
* ``best`` — a look-ahead player: it tries every offered choice and every
  continuation up to ``LOOKAHEAD`` choices deep (chance events counted as not
  firing) and takes the choice with the highest tegenmacht + eigenaarschap it
  can reach (ties: the first). Deterministic; it never looks at the dice.

Run ``i`` of strategy ``k`` uses seeds derived from (seed, k, i) with
:mod:`hashlib`, for the session's events and for the player's own random
choices, so the report is identical for the same seed whatever the number of
processes. Runs are spread over processes in chunks; results are merged in
run order.

The balance check of the design: ``best`` must beat every pure strategy
(polderen, coalitie, confrontatie) on mean tegenmacht + eigenaarschap.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import multiprocessing
import os
import random
import sys
from pathlib import Path
from typing import Any, Callable, Iterable, Optional, Sequence

from .check import Probe
from .engine import Session, Story
from .model import STRATEGIES, Choice, Scenario
from .scoring import axis, score

STRATEGY_NAMES = ("random", "polderen", "coalitie", "confrontatie", "overnemen", "balanced", "best")
PURE = ("polderen", "coalitie", "confrontatie")
DEFAULT_RUNS = 10_000
LOOKAHEAD = 3
MAX_TURNS = 10_000  # a guard against endless loops in a scenario
STUCK = "(vast)"  # pseudo-ending: no choice offered and no ending reached


# ---------------------------------------------------------------------------
# Seeds and players
# ---------------------------------------------------------------------------

def run_seeds(seed: int, strategy: str, i: int) -> tuple[int, int]:
    """(session seed, player seed) of run ``i`` of ``strategy``: stable across
    platforms, Python versions and process counts."""
    digest = hashlib.blake2b(f"tegenmacht:{seed}:{strategy}:{i}".encode(), digest_size=16).digest()
    return int.from_bytes(digest[:4], "big") >> 1, int.from_bytes(digest[4:12], "big")


def _prefer(offered: list[Choice], rng: random.Random, test: Callable[[Choice], bool]) -> Choice:
    liked = [c for c in offered if test(c)]
    return rng.choice(liked or offered)


class Player:
    """Picks a choice for a session. One player per run (it may keep counts)."""

    def __init__(self, name: str, rng: random.Random, story: Story, cache: Optional[dict] = None):
        self.name, self.rng, self.story = name, rng, story
        self.used = {s: 0 for s in STRATEGIES}
        self.cache = cache if cache is not None else {}

    def pick(self, s: Session, offered: list[Choice]) -> Choice:
        name = self.name
        if name in PURE:
            c = _prefer(offered, self.rng, lambda c: c.strategy == name)
        elif name == "overnemen":
            c = _prefer(offered, self.rng, lambda c: c.agency == "overnemen")
        elif name == "balanced":
            tagged = [c for c in offered if c.strategy in self.used]
            if tagged:
                least = min(self.used[c.strategy] for c in tagged)
                c = self.rng.choice([c for c in tagged if self.used[c.strategy] == least])
            else:
                c = self.rng.choice(offered)
        elif name == "best":
            c = self._best(s, offered)
        else:
            c = self.rng.choice(offered)
        if c.strategy in self.used:
            self.used[c.strategy] += 1
        return c

    # -- the look-ahead player ----------------------------------------------------
    def _best(self, s: Session, offered: list[Choice]) -> Choice:
        key = (s.state, tuple(s.meters.values()), tuple((a["power"], a["stance"]) for a in s.actors.values()),
               frozenset(s.visited), frozenset(s.chosen), frozenset(s.fired), s.turns)
        hit = self.cache.get(key)
        if hit is not None:
            return offered[hit]
        probe = Probe.of(s)
        best_i, best_v = 0, -math.inf
        for i, c in enumerate(offered):
            child = probe.copy()
            child.step(c)
            v = _lookahead(child, LOOKAHEAD - 1)
            if v > best_v:
                best_i, best_v = i, v
        if len(self.cache) > 200_000:
            self.cache.clear()
        self.cache[key] = best_i
        return offered[best_i]


def _value(p: Probe) -> float:
    sc = p.scenario
    return axis(sc, p.meters, "tegenmacht") + axis(sc, p.meters, "eigenaarschap")


def _lookahead(p: Probe, depth: int) -> float:
    if depth <= 0 or p.finished:
        return _value(p)
    offered = p.available()
    if not offered:
        return _value(p)
    best = -math.inf
    for c in offered:
        child = p.copy()
        child.step(c)
        best = max(best, _lookahead(child, depth - 1))
    return best


# ---------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------

def _empty_part() -> dict[str, Any]:
    return {"runs": 0, "endings": {}, "scenes": {}, "choices": {}, "events": {}, "archetypes": {},
            "tegenmacht": [], "eigenaarschap": [], "turns": 0}


def _bump(d: dict[str, int], keys: Iterable[str]) -> None:
    for k in keys:
        d[k] = d.get(k, 0) + 1


def run_chunk(story: Story, strategy: str, seed: int, start: int, stop: int,
              cache: Optional[dict] = None) -> dict[str, Any]:
    """Play runs ``start..stop-1`` of ``strategy``; return their counts (in run order)."""
    part = _empty_part()
    cache = {} if cache is None else cache
    for i in range(start, stop):
        session_seed, player_seed = run_seeds(seed, strategy, i)
        s = story.new_session(seed=session_seed)
        player = Player(strategy, random.Random(player_seed), story, cache)
        ending = STUCK
        while s.turns < MAX_TURNS:
            if s.finished:
                ending = s.state
                break
            offered = s.available()
            if not offered:
                break
            s.choose(player.pick(s, offered))
        sc = score(s)
        part["runs"] += 1
        _bump(part["endings"], [ending])
        _bump(part["scenes"], s.visited)
        _bump(part["choices"], s.chosen)
        _bump(part["events"], s.fired)
        _bump(part["archetypes"], [sc.archetype.id])
        part["tegenmacht"].append(sc.tegenmacht)
        part["eigenaarschap"].append(sc.eigenaarschap)
        part["turns"] += s.turns
    return part


# Worker processes build the story once from the file (safe with 'spawn').
_WORKER: dict[str, Any] = {}


def _init_worker(path: str) -> None:
    from .validate import load_scenario

    _WORKER["story"] = Story(load_scenario(path))
    _WORKER["cache"] = {}


def _work(task: tuple[str, int, int, int]) -> dict[str, Any]:
    strategy, seed, start, stop = task
    return run_chunk(_WORKER["story"], strategy, seed, start, stop, _WORKER["cache"].setdefault(strategy, {}))


def _merge(parts: Sequence[dict[str, Any]]) -> dict[str, Any]:
    total = _empty_part()
    for p in parts:  # in run order
        total["runs"] += p["runs"]
        total["turns"] += p["turns"]
        for k in ("endings", "scenes", "choices", "events", "archetypes"):
            for name, n in p[k].items():
                total[k][name] = total[k].get(name, 0) + n
        total["tegenmacht"].extend(p["tegenmacht"])
        total["eigenaarschap"].extend(p["eigenaarschap"])
    return total


def _spread(values: list[float]) -> dict[str, float]:
    if not values:
        return {"mean": 0.0, "p10": 0.0, "p50": 0.0, "p90": 0.0}
    ordered = sorted(values)
    n = len(ordered)

    def pct(p: int) -> float:  # nearest rank
        return ordered[max(0, math.ceil(p / 100 * n) - 1)]

    return {"mean": round(math.fsum(values) / n, 1), "p10": pct(10), "p50": pct(50), "p90": pct(90)}


def _summarise(sc: Scenario, part: dict[str, Any]) -> dict[str, Any]:
    runs = part["runs"] or 1
    endings = {e: part["endings"].get(e, 0) for e in sc.endings}
    if part["endings"].get(STUCK):
        endings[STUCK] = part["endings"][STUCK]
    choices = {c.key: part["choices"].get(c.key, 0) for c in sc.all_choices()}
    scenes = {k: part["scenes"].get(k, 0) for k in sc.scenes}
    events = {e.id: part["events"].get(e.id, 0) for e in sc.events}
    totals = [t + e for t, e in zip(part["tegenmacht"], part["eigenaarschap"])]
    return {
        "runs": part["runs"],
        "endings": endings,
        "tegenmacht": _spread(part["tegenmacht"]),
        "eigenaarschap": _spread(part["eigenaarschap"]),
        "total": _spread(totals),
        "archetypes": {a: round(part["archetypes"].get(a, 0) / runs, 3) for a in sc.archetypes},
        "turns": round(part["turns"] / runs, 2),
        "scenes": scenes, "choices": choices, "events": events,
        "never": {"scenes": [k for k, v in scenes.items() if not v], "choices": [k for k, v in choices.items() if not v],
                  "events": [k for k, v in events.items() if not v],
                  "endings": [k for k in sc.endings if not endings[k]]},
    }


def balance(strategies: dict[str, dict[str, Any]]) -> Optional[dict[str, Any]]:
    """The design's balance rule: ``best`` beats every pure strategy on mean
    tegenmacht + eigenaarschap. None if ``best`` or all pure strategies are missing."""
    pure = [p for p in PURE if p in strategies]
    if "best" not in strategies or not pure:
        return None
    best = strategies["best"]["total"]["mean"]
    margins = {p: {"mean": strategies[p]["total"]["mean"],
                   "margin": round(best - strategies[p]["total"]["mean"], 1)} for p in pure}
    return {"best": best, "pure": margins, "ok": all(m["margin"] > 0 for m in margins.values()),
            "complete": len(pure) == len(PURE)}


def simulate(scenario: Scenario | str | os.PathLike, runs: int = DEFAULT_RUNS, seed: int = 0,
             strategies: Optional[Sequence[str]] = None, jobs: int = 1,
             progress: Optional[Callable[[int, int], None]] = None) -> dict[str, Any]:
    """Simulate and return the report as a JSON-ready dict (stable keys).

    ``scenario`` is a loaded scenario or a path. With ``jobs > 1`` the runs
    are spread over that many processes (each loads the file itself, so the
    scenario needs a path). ``progress(done, total)`` is called as runs finish."""
    if isinstance(scenario, (str, os.PathLike)):
        from .validate import load_scenario

        scenario = load_scenario(scenario)
    sc = scenario
    names = list(dict.fromkeys(strategies or STRATEGY_NAMES))
    for n in names:
        if n not in STRATEGY_NAMES:
            raise ValueError(f"unknown strategy {n!r}")
    if runs < 1:
        raise ValueError("runs must be at least 1")
    jobs = max(1, int(jobs))
    if jobs > 1 and not (sc.path and Path(sc.path).is_file()):
        jobs = 1
    chunk = max(25, min(500, runs // (4 * jobs) or 1))
    tasks = [(n, seed, a, min(runs, a + chunk)) for n in names for a in range(0, runs, chunk)]
    total = runs * len(names)
    done = 0
    parts: list[dict[str, Any]] = []
    if jobs == 1:
        story = Story(sc)
        caches: dict[str, dict] = {}
        for t in tasks:
            parts.append(run_chunk(story, t[0], t[1], t[2], t[3], caches.setdefault(t[0], {})))
            done += t[3] - t[2]
            if progress:
                progress(done, total)
    else:
        ctx = multiprocessing.get_context()
        with ctx.Pool(jobs, initializer=_init_worker, initargs=(str(sc.path),)) as pool:
            for t, part in zip(tasks, pool.imap(_work, tasks)):  # imap keeps task order
                parts.append(part)
                done += t[3] - t[2]
                if progress:
                    progress(done, total)
    by_name: dict[str, dict[str, Any]] = {}
    for n in names:
        by_name[n] = _summarise(sc, _merge([p for t, p in zip(tasks, parts) if t[0] == n]))
    never = {k: [x for x in by_name[names[0]]["never"][k] if all(x in by_name[n]["never"][k] for n in names)]
             for k in ("scenes", "choices", "events", "endings")}
    return {"scenario": sc.id, "path": sc.path, "runs": runs, "seed": seed, "strategies": by_name,
            "never": never, "balance": balance(by_name)}


# ---------------------------------------------------------------------------
# The human report
# ---------------------------------------------------------------------------

_T = {
    "title": ("Simulatie van '{t}' ({p})", "Simulation of '{t}' ({p})"),
    "runs": ("{r} speelrondes per strategie, seed {s}.", "{r} playthroughs per strategy, seed {s}."),
    "strategy": ("Strategie: {n}", "Strategy: {n}"),
    "endings": ("  Eindes:", "  Endings:"),
    "scores": ("  Aan het eind (in % van het bereik):  gemiddeld   p10   p50   p90",
               "  At the end (% of the range):         mean       p10   p50   p90"),
    "archetypes": ("  Archetypes:", "  Archetypes:"),
    "turns": ("  Gemiddeld {n} keuzes per ronde.", "  On average {n} choices per playthrough."),
    "never": ("  Nooit bereikt met deze strategie: {x}", "  Never reached with this strategy: {x}"),
    "hits": ("Hoe vaak geraakt (in hoeveel rondes), per strategie:", "How often hit (in how many runs), per strategy:"),
    "never_all": ("Door geen enkele strategie bereikt:", "Reached by no strategy:"),
    "all_reached": ("Alle scènes, keuzes, gebeurtenissen en eindes zijn door minstens één strategie bereikt.",
                    "Every scene, choice, event and ending was reached by at least one strategy."),
    "balance": ("Balans (ontwerpregel: 'best' wint van elke pure strategie op tegenmacht + eigenaarschap):",
                "Balance (design rule: 'best' beats every pure strategy on tegenmacht + eigenaarschap):"),
    "ok": ("  In orde: 'best' wint van elke pure strategie.", "  OK: 'best' beats every pure strategy."),
    "bad": ("  NIET in orde: een pure strategie doet het even goed of beter dan 'best'.",
            "  NOT OK: a pure strategy does as well as or better than 'best'."),
    "partial": ("  (Niet alle pure strategieën zijn gesimuleerd.)", "  (Not every pure strategy was simulated.)"),
    "nobalance": ("Balans: simuleer 'best' en de pure strategieën om de balans te controleren.",
                  "Balance: simulate 'best' and the pure strategies to check the balance."),
}
_KINDS = {"scenes": ("scènes", "scenes"), "choices": ("keuzes", "choices"), "events": ("gebeurtenissen", "events"),
          "endings": ("eindes", "endings")}


def format_report(report: dict[str, Any], scenario: Scenario, lang: str = "nl") -> str:
    i = 0 if lang == "nl" else 1

    def t(key: str, **kw: Any) -> str:
        return _T[key][i].format(**kw)

    sc = scenario
    runs = report["runs"]
    out = [t("title", t=sc.title.get(lang), p=sc.path or sc.id), t("runs", r=runs, s=report["seed"]), ""]
    names = list(report["strategies"])
    for n in names:
        r = report["strategies"][n]
        out.append(t("strategy", n=n))
        out.append(t("endings"))
        for e, count in r["endings"].items():
            title = sc.endings[e].title.get(lang) if e in sc.endings else e
            out.append(f"    {e:<16} {count:>7}  {100 * count / runs:5.1f} %  {title}")
        out.append(t("scores"))
        for axis_name in ("tegenmacht", "eigenaarschap", "total"):
            d = r[axis_name]
            label = axis_name if axis_name != "total" else ("samen" if lang == "nl" else "together")
            out.append(f"    {label:<33} {d['mean']:6.1f}   {d['p10']:5.1f} {d['p50']:5.1f} {d['p90']:5.1f}")
        out.append(t("archetypes"))
        for a, share in r["archetypes"].items():
            out.append(f"    {a:<16} {100 * share:5.1f} %  {sc.archetypes[a].name.get(lang)}")
        out.append(t("turns", n=r["turns"]))
        missing = [x for k in ("endings", "scenes", "choices", "events") for x in r["never"][k]]
        if missing:
            out.append(t("never", x=", ".join(missing)))
        out.append("")
    # hits table: rows = scenes, choices, events; columns = strategies
    out.append(t("hits"))
    width = max([len(k) for k in list(sc.scenes) + [c.key for c in sc.all_choices()] + [e.id for e in sc.events]]
                + [10])
    head = " " * (width + 4) + "".join(f"{n[:12]:>13}" for n in names)
    out.append(head)
    for kind in ("scenes", "choices", "events"):
        keys = list(report["strategies"][names[0]][kind])
        if not keys:
            continue
        out.append(f"  {_KINDS[kind][i]}:")
        for k in keys:
            row = "".join(f"{report['strategies'][n][kind][k]:>13}" for n in names)
            out.append(f"    {k:<{width}}{row}")
    out.append("")
    never = report["never"]
    if any(never.values()):
        out.append(t("never_all"))
        for kind, items in never.items():
            if items:
                out.append(f"  {_KINDS[kind][i]}: {', '.join(items)}")
    else:
        out.append(t("all_reached"))
    out.append("")
    b = report["balance"]
    if b is None:
        out.append(t("nobalance"))
    else:
        out.append(t("balance"))
        out.append(f"    best{'':<12} {b['best']:6.1f}")
        for p, m in b["pure"].items():
            sign = "+" if m["margin"] >= 0 else ""
            out.append(f"    {p:<16} {m['mean']:6.1f}   {'marge' if lang == 'nl' else 'margin'} {sign}{m['margin']:.1f}")
        out.append(t("ok") if b["ok"] else t("bad"))
        if not b["complete"]:
            out.append(t("partial"))
    return "\n".join(out)


# ---------------------------------------------------------------------------
# The command
# ---------------------------------------------------------------------------

class _Progress:
    """A plain progress bar on stderr (only used when stderr is a terminal)."""

    def __init__(self, lang: str):
        self.label = "simuleren" if lang == "nl" else "simulating"
        self.last = -1

    def __call__(self, done: int, total: int) -> None:
        pct = int(100 * done / total)
        if pct == self.last:
            return
        self.last = pct
        bar = "#" * (pct // 4) + " " * (25 - pct // 4)
        sys.stderr.write(f"\r{self.label} [{bar}] {pct:3d}% ({done}/{total})")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def cmd_simulate(args: argparse.Namespace) -> int:
    from .cli import EXIT_OK, EXIT_PROBLEMS, UsageError, load_or_report

    nl = args.lang == "nl"
    if args.runs < 1:
        raise UsageError("--runs moet minstens 1 zijn" if nl else "--runs must be at least 1")
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs moet minstens 1 zijn" if nl else "--jobs must be at least 1")
    scenario = load_or_report(args.path, args.lang)
    if scenario is None:
        return EXIT_PROBLEMS
    jobs = args.jobs or (os.cpu_count() or 1)
    progress = _Progress(args.lang) if sys.stderr.isatty() else None
    report = simulate(scenario, runs=args.runs, seed=args.seed, strategies=args.strategy, jobs=jobs,
                      progress=progress)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(format_report(report, scenario, args.lang))
    return EXIT_OK


def add_command(subparsers: Any) -> None:
    p = subparsers.add_parser("simulate", help="play a scenario thousands of times per strategy "
                              "(endings, score spread, balance)")
    p.add_argument("path", metavar="PATH")
    p.add_argument("--runs", type=int, default=DEFAULT_RUNS, metavar="N",
                   help=f"playthroughs per strategy (default {DEFAULT_RUNS})")
    p.add_argument("--seed", type=int, default=0, metavar="S", help="seed of the whole simulation (default 0)")
    p.add_argument("--strategy", action="append", choices=STRATEGY_NAMES, metavar="NAME",
                   help="a strategy to play (repeat for more; default all): " + ", ".join(STRATEGY_NAMES))
    p.add_argument("--jobs", type=int, default=None, metavar="J", help="processes to use (default: all cores)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--lang", choices=("nl", "en"), default=argparse.SUPPRESS)
    p.set_defaults(func=cmd_simulate)


if __name__ == "__main__":  # pragma: no cover
    from .cli import main

    sys.exit(main(["simulate", *sys.argv[1:]]))
