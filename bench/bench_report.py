"""How long the class report takes for 30 and for 300 results files (figures only, no asserts).

    .venv/bin/python bench/bench_report.py

Plays the sessions of ``scenarios/schimmel.yaml`` first (random choices, one in ten a projector
session with votes, one in ten stopped half-way), writes their results files to a temporary
folder, then times the whole command: reading and checking the files, counting, drawing the
charts and writing the page (``tegenmacht report FOLDER -o report.html``).
"""
from __future__ import annotations

import contextlib
import io
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.records import results as R  # noqa: E402
from game.play.engine import Session, Story  # noqa: E402
from game.classroom.report import cmd_report  # noqa: E402
from game.scenario.validate import load_scenario  # noqa: E402

RUNS = 3


def write_files(folder: Path, n: int) -> None:
    story = Story(load_scenario(ROOT / "scenarios" / "schimmel.yaml"))
    for i in range(n):
        rnd = random.Random(i)
        s = Session(story, seed=i)
        in_class, stop = i % 10 == 3, (4 if i % 10 == 7 else 10_000)
        while not s.finished and len(s.history) < stop:
            pick = rnd.choice(s.available())
            votes = {c.id: rnd.randint(0, 9) for c in s.available()} if in_class else None
            s.choose(pick.id, votes=votes)
        doc = R.build(s, nickname=f"student {i}", mode="class" if in_class else "solo")
        (folder / f"{i:04d}-{R.file_name(doc)}").write_text(R.dumps(doc), encoding="utf-8")


class Args:
    def __init__(self, folder: Path, out: Path):
        self.paths, self.output, self.csv, self.lang = [str(folder)], str(out), str(out.with_suffix(".csv")), "nl"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for n in (30, 300):
            folder = Path(tmp) / f"klas-{n}"
            folder.mkdir()
            write_files(folder, n)
            out = Path(tmp) / f"rapport-{n}.html"
            times, cpu = [], []
            for _ in range(RUNS):
                t, c = time.perf_counter(), time.process_time()
                with contextlib.redirect_stdout(io.StringIO()):
                    code = cmd_report(Args(folder, out))
                times.append(time.perf_counter() - t)
                cpu.append(time.process_time() - c)
                assert code == 0
            size = out.stat().st_size // 1000
            print(f"{n:4d} results files: report in {statistics.median(times):.2f} s "
                  f"(median of {RUNS}; {statistics.median(cpu):.2f} s of CPU time), page {size} kB")


if __name__ == "__main__":
    main()
