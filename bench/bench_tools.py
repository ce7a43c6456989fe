"""Speed figures for the trainer tools (prints figures; no asserts).

    .venv/bin/python bench/bench_tools.py            # 10,000 runs per strategy
    .venv/bin/python bench/bench_tools.py --runs 2000

* ``simulate``: playthroughs per second on the largest shipped scenario, every
  strategy, on one core (``jobs=1``) and on all cores.
* ``check``: seconds for generated scenarios of 50, 100 and 200 scenes
  (``bench/gen_scenario.py``, seed 0, default ``--max-states``).
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from gen_scenario import generate  # noqa: E402

from game.tools.check import DEFAULT_MAX_STATES, check  # noqa: E402
from game.scenario.files import shipped_scenarios  # noqa: E402
from game.tools.simulate import STRATEGY_NAMES, simulate  # noqa: E402
from game.scenario.validate import load_scenario, validate_text  # noqa: E402


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=10_000, help="runs per strategy (default 10000)")
    args = p.parse_args()
    cores = os.cpu_count() or 1
    print(f"Python {platform.python_version()} on {platform.system()} {platform.machine()}, {cores} cores")
    files = shipped_scenarios()
    largest = max(files, key=lambda f: len(load_scenario(f).scenes))
    sc = load_scenario(largest)
    total = args.runs * len(STRATEGY_NAMES)
    print(f"simulate: {largest.relative_to(ROOT)} ({len(sc.scenes)} scenes), {args.runs} runs x "
          f"{len(STRATEGY_NAMES)} strategies = {total} playthroughs")
    for jobs in sorted({1, cores}):
        t = time.perf_counter()
        simulate(largest, runs=args.runs, seed=0, jobs=jobs)
        dt = time.perf_counter() - t
        print(f"  jobs={jobs}: {dt:6.2f} s  {total / dt:9.0f} playthroughs/s")
    print(f"check (max-states {DEFAULT_MAX_STATES}):")
    for n in (50, 100, 200):
        rep = validate_text(generate(n, seed=0), f"gen{n}.yaml")
        t = time.perf_counter()
        res = check(rep.scenario)
        dt = time.perf_counter() - t
        how = "cut off" if res.truncated else ("exhausted" if res.exhausted else "all covered")
        print(f"  {n:3d} scenes: {dt:6.2f} s  {res.expanded:6d} states explored, {res.steps:7d} moves, "
              f"{len(res.missing)} unreachable ({how})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
