"""Engine benchmarks: load+validate time, machine build, and the cost per step.

    .venv/bin/python bench/bench_engine.py          (or: python3 run.py is not needed; any env with the deps)

Prints figures only; nothing here asserts a time. See docs/engine.md for the
figures measured on the project's machine.
"""
from __future__ import annotations

import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from transitions import Machine  # noqa: E402

from game.play.engine import Story  # noqa: E402
from game.play.turn import TurnLog, take  # noqa: E402
from game.scenario.validate import validate_file, validate_text  # noqa: E402
from gen_scenario import generate  # noqa: E402


def best_of(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.process_time()  # CPU time of this process: steadier on a busy machine
        fn()
        times.append(time.process_time() - t0)
    return min(times)


def load_and_validate() -> None:
    print("== load + validate ==")
    for path in sorted((HERE.parent / "scenarios").glob("*.yaml")):
        t = best_of(lambda: validate_file(path))
        report = validate_file(path)
        print(f"{path.name:32s} {report.stats.get('scenes', 0):5d} scenes  {t * 1000:8.1f} ms")
    previous = None
    for n in (250, 500, 1000, 2000):
        text = generate(n, seed=1)
        report = validate_text(text, f"<generated {n}>")
        assert report.ok, [p.render() for p in report.errors][:3]
        t = best_of(lambda: validate_text(text, "<gen>"), repeat=3)
        growth = f"  x{t / previous:4.2f} for x2 scenes" if previous and n in (500, 1000, 2000) else ""
        print(f"generated {n:5d} scenes ({len(text) // 1024:5d} KB)   {t * 1000:8.1f} ms"
              f"   {t / n * 1e6:6.1f} us/scene{growth}")
        previous = t


def machine_build() -> None:
    print("== Story build (one transitions.Machine, auto_transitions=False) ==")
    for n in (1000, 2000):
        scenario = validate_text(generate(n, seed=1), "<gen>").scenario
        t = best_of(lambda: Story(scenario), repeat=3)
        tracemalloc.start()
        story = Story(scenario)
        size, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        del story
        print(f"{n:5d} scenes: {t * 1000:8.1f} ms, {peak / 2**20:6.1f} MiB peak")


def _paths(story: Story, n: int = 200) -> list[tuple[int, list]]:
    """A fixed set of playthroughs: random offered choices until the end."""
    rng = random.Random(7)
    paths = []
    for seed in range(n):
        s = story.new_session(seed=seed)
        keys = []
        while not s.finished:
            c = rng.choice(s.available())
            keys.append(c)
            s.choose(c)
        paths.append((seed, keys))
    return paths


def step_cost(repeat: int = 25) -> None:
    print("== cost per step: engine vs bare transitions trigger on the same graph ==")
    print(f"(CPU time; the playthroughs in 8 slices, engine and bare interleaved, the best of {repeat} per slice)")
    for rules in (False, True):
        scenario = validate_text(generate(1000, seed=1, rules=rules), "<gen>").scenario
        story = Story(scenario)
        paths = _paths(story)
        steps = sum(len(k) for _, k in paths)

        def engine_run(part) -> None:
            for seed, keys in part:
                s = story.new_session(seed=seed)
                for c in keys:
                    s.choose(c)

        def turn_run(part) -> None:  # the rules alone: take() on a bare play state, logged as the engine logs
            for seed, keys in part:
                s = story.new_session(seed=seed)  # the same seeded draws
                play, draw = s.play, s._draw_fn
                for c in keys:
                    take(story.rules, play, c, draw, TurnLog())

        # The bare library: same states and triggers, no guards, no callbacks, no events.
        states = list(scenario.scenes) + list(scenario.endings) + ["__end__"]
        bare = Machine(model=[], states=states, initial=scenario.start, auto_transitions=False)
        for scene in scenario.scenes.values():
            for c in scene.choices:
                bare.add_transition(c.trigger, scene.id, "__end__" if c.next == "end" else c.next)
        bare_events = bare.events

        class Model:
            state = scenario.start

        def bare_run(part) -> None:
            for _, keys in part:
                m = Model()
                m.state = scenario.start
                for c in keys:
                    bare_events[c.trigger].trigger(m)

        def floor_run(part) -> None:  # no engine at all: a bare trigger, then the rules, one after the other
            for seed, keys in part:
                m = Model()
                m.state = scenario.start
                s = story.new_session(seed=seed)
                play, draw = s.play, s._draw_fn
                for c in keys:
                    bare_events[c.trigger].trigger(m)
                    take(story.rules, play, c, draw, TurnLog())

        slices = [paths[i::8] for i in range(8)]
        runs = {"engine": engine_run, "bare": bare_run, "turn": turn_run, "floor": floor_run}
        best = {name: [1e9] * 8 for name in runs}
        for _ in range(repeat):
            for i, part in enumerate(slices):
                for name, fn in runs.items():
                    t0 = time.process_time()
                    fn(part)
                    best[name][i] = min(best[name][i], time.process_time() - t0)
        t = {name: sum(v) for name, v in best.items()}
        what = "with the default rules (tag rules, motive responses, drift)" if rules else \
            "without them (the scenario as before the theory became mechanics)"
        print(f"-- {what}: {steps} steps over {len(paths)} playthroughs of a 1000-scene scenario, "
              f"{len(scenario.events)} events")
        print(f"engine (Session.choose): {t['engine'] / steps * 1e6:7.1f} us/step")
        print(f"  of which the rules alone (take() with its log, outside the machine): "
              f"{t['turn'] / steps * 1e6:5.1f} us/step")
        print(f"bare transitions trigger: {t['bare'] / steps * 1e6:7.1f} us/step")
        print(f"bare trigger, then take() (no engine, no record): {t['floor'] / steps * 1e6:5.1f} us/step "
              f"= {t['floor'] / t['bare']:4.2f} x bare (the floor for any engine that runs these rules per trigger)")
        print(f"ratio engine / bare: {t['engine'] / t['bare']:5.2f}")


if __name__ == "__main__":
    print(f"Python {sys.version.split()[0]} on {sys.platform}")
    load_and_validate()
    machine_build()
    step_cost()
