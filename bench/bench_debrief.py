"""How long the one-page debrief takes to render (figures only, no asserts).

    .venv/bin/python bench/bench_debrief.py
"""
from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pygame  # noqa: E402

from game.play.engine import Story  # noqa: E402
from game.ui import charts  # noqa: E402
from game.scenario.validate import load_scenario  # noqa: E402

RUNS = 20


def session():
    story = Story(load_scenario(ROOT / "scenarios" / "voorbeeld.yaml"))
    s = story.new_session(seed=1)
    for key in ("start.een-op-een", "overleg.coalitie", "actie.bewoners-aan-tafel"):
        s.choose(key)
    return s


def timed(fn, runs: int = RUNS) -> list[float]:
    fn()  # warm up (font loading)
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def main() -> None:
    pygame.font.init()
    s = session()
    print(f"debrief render, mean of {RUNS} runs (pygame {pygame.version.ver})")
    for size in ((1600, 1000), (1280, 720)):
        for theme in ("normal", "high_contrast"):
            times = timed(lambda: charts.render_debrief(s, "nl", theme, size=size))
            print(f"  {size[0]}x{size[1]} {theme:<13} mean {1000 * statistics.mean(times):7.1f} ms"
                  f"  min {1000 * min(times):7.1f} ms  max {1000 * max(times):7.1f} ms")
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    times = timed(lambda: charts.save_debrief_png(s, out / "debrief.png"))
    print(f"  save_debrief_png 1600x1000  mean {1000 * statistics.mean(times):7.1f} ms")


if __name__ == "__main__":
    main()
