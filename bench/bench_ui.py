"""Figures for the game window (prints them; asserts nothing).

    python bench/bench_ui.py            # headless (SDL dummy driver) unless DISPLAY is set
    xvfb-run -s "-screen 0 1280x720x24" python bench/bench_ui.py   # a real X window

1. CPU seconds per wall second while the window sits idle for 5 s in the real loop.
2. Time from launch to the first frame, against a bare pygame window, in the same run.
3. Frame time on the busiest screen (the debrief, every tab): a full redraw, and a relayout
   (which draws the charts again).
4. Peak memory: ru_maxrss of the process and the tracemalloc peak of the debrief.
"""
from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if not os.environ.get("DISPLAY"):
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("TEGENMACHT_HOME", tempfile.mkdtemp(prefix="tegenmacht-bench-"))
os.environ["PYGAME_HIDE_SUPPORT_PROMPT"] = "1"

BARE = """
import time, sys; t0 = float(sys.argv[1])
import pygame
pygame.display.init(); s = pygame.display.set_mode((1280, 720), pygame.RESIZABLE)
s.fill((245, 243, 238)); pygame.display.flip()
print(time.time() - t0)
"""

GAME = """
import time, sys; t0 = float(sys.argv[1])
sys.path.insert(0, sys.argv[2])
from game.ui.app import App
app = App()
app.draw(force=True)
print(time.time() - t0)
"""

IDLE = """
import resource, sys, time
sys.path.insert(0, sys.argv[1])
import pygame
from game.ui.app import App
app = App(path=sys.argv[2], seed=1)
app.draw()  # the first frame is not idle time
pygame.event.get()
pygame.time.set_timer(pygame.QUIT, 5000, loops=1)
r0 = resource.getrusage(resource.RUSAGE_SELF); w0 = time.perf_counter()
app.loop()
r1 = resource.getrusage(resource.RUSAGE_SELF); w1 = time.perf_counter()
cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
print(cpu, w1 - w0)
"""


def launch(code: str, *args: str) -> str:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=os.environ)
    if out.returncode != 0:
        raise SystemExit(out.stderr)
    return out.stdout.strip().splitlines()[-1]


def median(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[len(xs) // 2]


def main() -> None:
    example = str(ROOT / "scenarios" / "voorbeeld.yaml")
    driver = os.environ.get("SDL_VIDEODRIVER", "x11" if os.environ.get("DISPLAY") else "?")
    print(f"video driver: {driver}; python {sys.version.split()[0]}")

    cpu, wall = map(float, launch(IDLE, str(ROOT), example).split())
    print(f"idle (scene screen, 5 s in the real loop): {cpu:.3f} CPU s in {wall:.2f} s = "
          f"{100 * cpu / wall:.2f} % of one core")

    bare = median([float(launch(BARE, repr(time.time()))) for _ in range(3)])
    game = median([float(launch(GAME, repr(time.time()), str(ROOT))) for _ in range(3)])
    print(f"launch to first frame: bare pygame window {bare * 1000:.0f} ms, Tegenmacht title screen "
          f"{game * 1000:.0f} ms (median of 3)")

    import pygame

    from game.ui.app import App

    tracemalloc.start()
    app = App(path=example, seed=1)
    while not app.session.finished:
        while app.screen.name in ("coach", "event"):
            app.next_moment()
        if app.screen.name == "scene":
            app.choose(1)
    while app.screen.name in ("coach", "event"):
        app.next_moment()
    assert app.screen.name == "debrief"
    draws, layouts = [], []
    for tab in range(4):
        t = time.perf_counter()
        app.screen.set_tab(tab)  # relayout: charts drawn again
        app.screen._chart_cache.clear()
        app.screen.rebuild()
        layouts.append(time.perf_counter() - t)
        for _ in range(20):
            t = time.perf_counter()
            app.draw(force=True)
            draws.append(time.perf_counter() - t)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"debrief frame (full redraw + flip, 4 tabs x 20): median {median(draws) * 1000:.1f} ms, "
          f"max {max(draws) * 1000:.1f} ms")
    print(f"debrief relayout with charts: median {median(layouts) * 1000:.1f} ms, max {max(layouts) * 1000:.1f} ms")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rss_mb = rss / 1024 / 1024 if sys.platform == "darwin" else rss / 1024
    print(f"peak memory: ru_maxrss {rss_mb:.0f} MB; tracemalloc peak during the debrief {peak / 1e6:.1f} MB")
    pygame.quit()


if __name__ == "__main__":
    main()
