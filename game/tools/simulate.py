"""``tegenmacht simulate``: many seeded playthroughs per strategy, like ChoiceScript's randomtest.

For each strategy the simulator plays ``runs`` sessions and reports how often
each ending was reached, how tegenmacht and eigenaarschap spread at the end
(mean, p10, p50, p90, as percentages of the meters' ranges, as in
:func:`game.play.scoring.score`), the archetype shares, how often each scene,
choice and event was hit (in how many runs), and what was never reached.

Strategies (a *player* picks among the choices offered):

* ``random`` — any offered choice.
* ``polderen``, ``coalitie``, ``confrontatie`` — a choice with that strategy
  tag if one is offered, else any other.
* ``overnemen`` — a choice with agency ``overnemen`` if offered, else any.
* ``balanced`` — a choice with the strategy tag used least so far (ties: any).
* ``best`` — a look-ahead player: it tries every offered choice and every
  continuation up to ``LOOKAHEAD`` choices deep (every chance draw taken as
  its most likely outcome) and takes the choice with the highest
  tegenmacht + eigenaarschap it can reach (ties: the first). It never looks
  at the dice.
* ``best-polderen``, ``best-coalitie``, ``best-confrontatie`` — the same
  look-ahead, but only among choices with that strategy tag whenever one is
  offered (the best play *within* one tag, for the balance verdict).

Every run plays with :func:`game.play.turn.take` on a :class:`~game.scenario.state.PlayState`
and draws from a generator seeded like a :class:`~game.play.engine.Session`, so a
run is exactly the session ``Session.replay(story, seed, choices)`` gives.
Run ``i`` of strategy ``k`` uses seeds derived from (seed, k, i) with
:mod:`hashlib`, so the report is identical for the same seed whatever the
number of processes. Work is handed out lazily in chunks and merged in run
order; scores are kept as counts per value (not one number per run).

The balance check of the design: ``best`` must beat the best play within
every single strategy tag (``balance.within``) on mean tegenmacht +
eigenaarschap, and the pure strategies too.
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
from collections import Counter
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional, Sequence

from game.i18n import gettext
from game.play.engine import Story
from game.scenario.model import STRATEGIES, TAGS, Choice, Scenario
from game.play.scoring import axis, score
from game.scenario.state import PlayState
from game.play.turn import Rules, likeliest, pick, take

WITHIN = tuple(f"best-{t}" for t in STRATEGIES)
STRATEGY_NAMES = ("random", "polderen", "coalitie", "confrontatie", "overnemen", "balanced", "best") + WITHIN
PURE = ("polderen", "coalitie", "confrontatie")
DEFAULT_RUNS = 10_000
LOOKAHEAD = 3
MAX_TURNS = 10_000  # a guard against endless loops in a scenario
STUCK = "(vast)"  # pseudo-ending: no choice offered and no ending reached
MAX_PATHS = 2_000  # distinct paths of 'best' counted (to name the one it took most)


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


def _key(s: PlayState) -> tuple:
    return (s.scene, tuple(s.meters.values()), tuple((a["power"], a["stance"]) for a in s.actors.values()),
            frozenset(s.visited), frozenset(s.chosen), frozenset(s.fired), s.turns, tuple(s.counts.values()),
            tuple(s.last.values()), tuple(s.pending), frozenset(s.tipped))


class Player:
    """Picks a choice for a play state. One player per run (it may keep counts)."""

    def __init__(self, name: str, rng: random.Random, rules: Rules, cache: Optional[dict] = None):
        self.name, self.rng, self.rules = name, rng, rules
        self.used = {s: 0 for s in STRATEGIES}
        self.cache = cache if cache is not None else {}
        self.within = name[5:] if name.startswith("best-") else None

    def pick(self, s: PlayState, offered: list[Choice]) -> Choice:
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
        elif name == "best" or self.within:
            c = self._best(s, offered)
        else:
            c = self.rng.choice(offered)
        if c.strategy in self.used:
            self.used[c.strategy] += 1
        return c

    # -- the look-ahead player ----------------------------------------------------
    def _allowed(self, offered: list[Choice]) -> list[Choice]:
        if self.within is None:
            return offered
        return [c for c in offered if c.strategy == self.within] or offered

    def _best(self, s: PlayState, offered: list[Choice]) -> Choice:
        key = _key(s)
        hit = self.cache.get(key)
        if hit is not None:
            return hit
        best, best_v = None, -math.inf
        for c in self._allowed(offered):
            child = s.copy()
            take(self.rules, child, c, likeliest)
            v = self._lookahead(child, LOOKAHEAD - 1)
            if v > best_v:
                best, best_v = c, v
        if len(self.cache) > 200_000:
            self.cache.clear()
        self.cache[key] = best
        return best  # type: ignore[return-value]

    def _lookahead(self, p: PlayState, depth: int) -> float:
        if depth <= 0 or p.finished:
            return _value(p)
        offered = p.available()
        if not offered:
            return _value(p)
        best = -math.inf
        for c in self._allowed(offered):
            child = p.copy()
            take(self.rules, child, c, likeliest)
            best = max(best, self._lookahead(child, depth - 1))
        return best


def _value(p: PlayState) -> float:
    sc = p.scenario
    return axis(sc, p.meters, "tegenmacht") + axis(sc, p.meters, "eigenaarschap")


# ---------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------

def _empty_part() -> dict[str, Any]:
    return {"runs": 0, "endings": {}, "scenes": {}, "choices": {}, "events": {}, "archetypes": {},
            "tegenmacht": {}, "eigenaarschap": {}, "total": {}, "turns": 0, "tags": {}, "mismatch": 0,
            "paths": {}}


def _bump(d: dict, keys: Iterable[Any]) -> None:
    for k in keys:
        d[k] = d.get(k, 0) + 1


def play_run(rules: Rules, player: Player, session_seed: int) -> tuple[PlayState, list[str]]:
    """One playthrough: the state at the end and the choices taken."""
    s = PlayState.start(rules.scenario)
    rng = random.Random(session_seed)
    draw = lambda chances: pick(rng.random(), chances)  # noqa: E731 - exactly Session._draw
    path: list[str] = []
    while s.turns < MAX_TURNS and not s.finished:
        offered = s.available()
        if not offered:
            break
        c = player.pick(s, offered)
        path.append(c.key)
        take(rules, s, c, draw)
    return s, path


def run_chunk(story: Story, strategy: str, seed: int, start: int, stop: int,
              cache: Optional[dict] = None) -> dict[str, Any]:
    """Play runs ``start..stop-1`` of ``strategy``; return their counts (in run order)."""
    part = _empty_part()
    cache = {} if cache is None else cache
    rules = story.rules
    for i in range(start, stop):
        session_seed, player_seed = run_seeds(seed, strategy, i)
        player = Player(strategy, random.Random(player_seed), rules, cache)
        s, path = play_run(rules, player, session_seed)
        sc = score(s)
        part["runs"] += 1
        _bump(part["endings"], [s.scene if s.finished else STUCK])
        _bump(part["scenes"], s.visited)
        _bump(part["choices"], s.chosen)
        _bump(part["events"], s.fired)
        _bump(part["archetypes"], [sc.archetype.id])
        _bump(part["tegenmacht"], [sc.tegenmacht])
        _bump(part["eigenaarschap"], [sc.eigenaarschap])
        _bump(part["total"], [round(sc.total, 1)])
        for tag, n in s.counts.items():
            part["tags"][tag] = part["tags"].get(tag, 0) + n
        part["mismatch"] += sc.mismatch
        part["turns"] += s.turns
        if strategy == "best":
            key = " ".join(path)
            if key in part["paths"] or len(part["paths"]) < MAX_PATHS:
                part["paths"][key] = part["paths"].get(key, 0) + 1
    return part


# Worker processes build the story once from the file (safe with 'spawn').
_WORKER: dict[str, Any] = {}


def _init_worker(path: str) -> None:
    import signal

    from game.scenario.validate import load_scenario

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle, once
    _WORKER["story"] = Story(load_scenario(path))
    _WORKER["cache"] = {}


def _work(task: tuple[str, int, int, int]) -> dict[str, Any]:
    strategy, seed, start, stop = task
    return run_chunk(_WORKER["story"], strategy, seed, start, stop, _WORKER["cache"].setdefault(strategy, {}))


def _merge_into(total: dict[str, Any], p: dict[str, Any]) -> None:
    total["runs"] += p["runs"]
    total["turns"] += p["turns"]
    total["mismatch"] += p["mismatch"]
    for k in ("endings", "scenes", "choices", "events", "archetypes", "tegenmacht", "eigenaarschap", "total",
              "tags", "paths"):
        for name, n in p[k].items():
            if k == "paths" and name not in total[k] and len(total[k]) >= MAX_PATHS:
                continue
            total[k][name] = total[k].get(name, 0) + n


def _spread(hist: dict[float, int]) -> dict[str, float]:
    """Mean and nearest-rank percentiles of values kept as {value: count}."""
    n = sum(hist.values())
    if not n:
        return {"mean": 0.0, "p10": 0.0, "p50": 0.0, "p90": 0.0}
    ordered = sorted(hist.items())
    mean = math.fsum(v * c for v, c in ordered) / n

    def pct(p: int) -> float:
        rank, seen = max(1, math.ceil(p / 100 * n)), 0
        for v, c in ordered:
            seen += c
            if seen >= rank:
                return v
        return ordered[-1][0]  # pragma: no cover

    return {"mean": round(mean, 1), "p10": pct(10), "p50": pct(50), "p90": pct(90)}


def _summarise(sc: Scenario, part: dict[str, Any]) -> dict[str, Any]:
    runs = part["runs"] or 1
    endings = {e: part["endings"].get(e, 0) for e in sc.endings}
    if part["endings"].get(STUCK):
        endings[STUCK] = part["endings"][STUCK]
    choices = {c.key: part["choices"].get(c.key, 0) for c in sc.all_choices()}
    scenes = {k: part["scenes"].get(k, 0) for k in sc.scenes}
    events = {e.id: part["events"].get(e.id, 0) for e in sc.events}
    turns = part["turns"] or 1
    out = {
        "runs": part["runs"],
        "endings": endings,
        "tegenmacht": _spread(part["tegenmacht"]),
        "eigenaarschap": _spread(part["eigenaarschap"]),
        "total": _spread(part["total"]),
        "archetypes": {a: round(part["archetypes"].get(a, 0) / runs, 3) for a in sc.archetypes},
        "mix": {t: round(part["tags"].get(t, 0) / turns, 3) for t in TAGS},
        "mismatch": round(part["mismatch"] / runs, 4),
        "turns": round(part["turns"] / runs, 2),
        "scenes": scenes, "choices": choices, "events": events,
        "never": {"scenes": [k for k, v in scenes.items() if not v], "choices": [k for k, v in choices.items() if not v],
                  "events": [k for k, v in events.items() if not v],
                  "endings": [k for k in sc.endings if not endings[k]]},
    }
    if part["paths"]:
        path, n = max(part["paths"].items(), key=lambda kv: (kv[1], kv[0]))
        out["path"] = {"choices": path.split(" ") if path else [], "share": round(n / runs, 3)}
    return out


def balance(strategies: dict[str, dict[str, Any]]) -> Optional[dict[str, Any]]:
    """The design's balance rule: ``best`` beats the best play within every single
    strategy tag, and every pure strategy, on mean tegenmacht + eigenaarschap.
    None if ``best`` or all the others are missing."""
    pure = [p for p in PURE if p in strategies]
    within = [t for t in STRATEGIES if f"best-{t}" in strategies]
    if "best" not in strategies or not (pure or within):
        return None
    best = strategies["best"]["total"]["mean"]
    margins = {p: {"mean": strategies[p]["total"]["mean"],
                   "margin": round(best - strategies[p]["total"]["mean"], 1)} for p in pure}
    inside = {t: {"mean": strategies[f"best-{t}"]["total"]["mean"],
                  "margin": round(best - strategies[f"best-{t}"]["total"]["mean"], 1)} for t in within}
    out = {"best": best, "pure": margins, "within": inside,
           "ok": all(m["margin"] > 0 for m in list(margins.values()) + list(inside.values())),
           "complete": len(pure) == len(PURE) and len(within) == len(STRATEGIES)}
    if "path" in strategies["best"]:
        out["best_path"] = strategies["best"]["path"]
    return out


def _tasks(names: Sequence[str], seed: int, runs: int, chunk: int) -> Iterator[tuple[str, int, int, int]]:
    for n in names:
        for a in range(0, runs, chunk):
            yield (n, seed, a, min(runs, a + chunk))


def simulate(scenario: Scenario | str | os.PathLike, runs: int = DEFAULT_RUNS, seed: int = 0,
             strategies: Optional[Sequence[str]] = None, jobs: int = 1,
             progress: Optional[Callable[[int, int], None]] = None) -> dict[str, Any]:
    """Simulate and return the report as a JSON-ready dict (stable keys).

    ``scenario`` is a loaded scenario or a path. With ``jobs > 1`` the runs
    are spread over that many processes (at most the number of cores; each
    loads the file itself, so the scenario needs a path). ``progress(done,
    total)`` is called as runs finish."""
    if isinstance(scenario, (str, os.PathLike)):
        from game.scenario.validate import load_scenario

        scenario = load_scenario(scenario)
    sc = scenario
    names = list(dict.fromkeys(strategies or STRATEGY_NAMES))
    for n in names:
        if n not in STRATEGY_NAMES:
            raise ValueError(f"unknown strategy {n!r}")
    if runs < 1:
        raise ValueError("runs must be at least 1")
    jobs = max(1, min(int(jobs), os.cpu_count() or 1))
    if jobs > 1 and not (sc.path and Path(sc.path).is_file()):
        jobs = 1
    chunk = max(25, min(500, runs // (4 * jobs) or 1))
    total = runs * len(names)
    done = 0
    merged = {n: _empty_part() for n in names}

    def add(task: tuple[str, int, int, int], part: dict[str, Any]) -> None:
        nonlocal done
        _merge_into(merged[task[0]], part)
        done += task[3] - task[2]
        if progress:
            progress(done, total)

    if jobs == 1:
        story = Story(sc)
        caches: dict[str, dict] = {}
        for t in _tasks(names, seed, runs, chunk):
            add(t, run_chunk(story, t[0], t[1], t[2], t[3], caches.setdefault(t[0], {})))
    else:
        # 'spawn': a forked worker can inherit a lock held by another thread of this process (the
        # window's background writer, a test runner's threads) and hang; spawned workers start clean.
        ctx = multiprocessing.get_context("spawn")
        pool = ctx.Pool(jobs, initializer=_init_worker, initargs=(str(sc.path),))
        finished = False
        try:
            tasks = _tasks(names, seed, runs, chunk)
            pending: list[tuple[tuple, Any]] = []
            for t in tasks:  # at most 2 chunks per process in flight; results merged in task order
                pending.append((t, pool.apply_async(_work, (t,))))
                while len(pending) >= 2 * jobs:
                    task, result = pending.pop(0)
                    add(task, result.get())
            for task, result in pending:
                add(task, result.get())
            pool.close()
            pool.join()
            finished = True
        finally:
            if not finished:
                pool.terminate()
                pool.join()
    by_name = {n: _summarise(sc, merged[n]) for n in names}
    never = {k: [x for x in by_name[names[0]]["never"][k] if all(x in by_name[n]["never"][k] for n in names)]
             for k in ("scenes", "choices", "events", "endings")}
    return {"scenario": sc.id, "path": sc.path, "runs": runs, "seed": seed, "strategies": by_name,
            "never": never, "balance": balance(by_name)}


# ---------------------------------------------------------------------------
# The human report
# ---------------------------------------------------------------------------



def format_report(report: dict[str, Any], scenario: Scenario, lang: str = "nl") -> str:
    def t(key: str, **kw: Any) -> str:
        return gettext(f"simulate.{key}", lang, **kw)

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
            label = axis_name if axis_name != "total" else gettext("simulate.together", lang)
            out.append(f"    {label:<33} {d['mean']:6.1f}   {d['p10']:5.1f} {d['p50']:5.1f} {d['p90']:5.1f}")
        out.append(t("archetypes"))
        for a, share in r["archetypes"].items():
            out.append(f"    {a:<16} {100 * share:5.1f} %  {sc.archetypes[a].name.get(lang)}")
        out.append(t("turns", n=r["turns"]))
        out.append(t("mix", x=", ".join(f"{k} {100 * v:.0f} %" for k, v in r["mix"].items() if v)))
        out.append(t("mismatch", p=100 * r["mismatch"]))
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
        out.append(f"  {gettext('simulate-kind.' + kind, lang)}:")
        for k in keys:
            row = "".join(f"{report['strategies'][n][kind][k]:>13}" for n in names)
            out.append(f"    {k:<{width}}{row}")
    out.append("")
    never = report["never"]
    if any(never.values()):
        out.append(t("never_all"))
        for kind, items in never.items():
            if items:
                out.append(f"  {gettext('simulate-kind.' + kind, lang)}: {', '.join(items)}")
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
        if b.get("within"):
            out.append(t("within"))
            for p, m in b["within"].items():
                sign = "+" if m["margin"] >= 0 else ""
                out.append(f"    best-{p:<11} {m['mean']:6.1f}   {'marge' if lang == 'nl' else 'margin'} "
                           f"{sign}{m['margin']:.1f}")
        if b.get("best_path"):
            out.append(t("path", p=100 * b["best_path"]["share"], x=" → ".join(b["best_path"]["choices"])))
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
        self.label = gettext("simulate.simulating", lang)
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
    from game.errors import EXIT_OK, EXIT_PROBLEMS, UsageError
    from game.tools.common import load_or_report

    if args.runs < 1:
        raise UsageError(key="simulate.bad-runs")
    if args.jobs is not None and args.jobs < 1:
        raise UsageError(key="simulate.bad-jobs")
    scenario = load_or_report(args.path, args.lang)
    if scenario is None:
        return EXIT_PROBLEMS
    jobs = args.jobs or (os.cpu_count() or 1)
    progress = _Progress(args.lang) if sys.stderr.isatty() else None
    try:
        report = simulate(scenario, runs=args.runs, seed=args.seed, strategies=args.strategy, jobs=jobs,
                          progress=progress)
    except KeyboardInterrupt:
        print("\n" + gettext("simulate.stopped", args.lang), file=sys.stderr)
        return 130
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
