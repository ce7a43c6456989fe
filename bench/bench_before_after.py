"""simulate and check speed on fixed inputs, for before/after comparisons of the rules.

    .venv/bin/python bench/bench_before_after.py ROOT     # ROOT: a checkout of the project (e.g. a git worktree of an older commit)

Prints figures only (CPU time, one core). See docs/engine.md.
"""
import sys, time
root = sys.argv[1]
sys.path.insert(0, root); sys.path.insert(0, root + "/bench")
from gen_scenario import generate
try:  # the packages since the layers (game/scenario, game/play, game/tools)
    from game.tools.check import check
    from game.tools.simulate import simulate
    from game.scenario.validate import load_scenario, validate_text
except ImportError:  # an older checkout: one flat game/ folder
    from game.check import check
    from game.simulate import simulate
    from game.validate import load_scenario, validate_text
sc = load_scenario(root + "/scenarios/voorbeeld.yaml")
names = ["random", "polderen", "coalitie", "confrontatie", "overnemen", "balanced", "best"]
runs = 3000
best = 1e9
for _ in range(3):
    t = time.process_time(); simulate(sc, runs=runs, seed=0, strategies=names, jobs=1); best = min(best, time.process_time() - t)
print(f"simulate voorbeeld, 7 strategies x {runs}: {best:.2f} s CPU, {7 * runs / best:.0f} playthroughs/s")
gen = validate_text(generate(60, seed=0), "g.yaml").scenario
best = 1e9
for _ in range(3):
    t = time.process_time(); simulate(gen, runs=500, seed=0, strategies=names, jobs=1); best = min(best, time.process_time() - t)
print(f"simulate generated 60 scenes, 7 x 500: {best:.2f} s CPU, {3500 / best:.0f} playthroughs/s")
for n in (50, 100):
    rep = validate_text(generate(n, seed=0), "g.yaml")
    best = 1e9
    for _ in range(2):
        t = time.process_time(); res = check(rep.scenario); best = min(best, time.process_time() - t)
    print(f"check generated {n}: {best:.2f} s CPU, {res.expanded} states, {res.steps} moves, {res.steps / best:.0f} moves/s")
