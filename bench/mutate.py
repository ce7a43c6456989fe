"""Mutation run of the engine core: how many small changes to the rules do the tests catch?

    .venv/bin/python bench/mutate.py                         # game/play/turn.py, the default test set
    .venv/bin/python bench/mutate.py game/scenario/state.py --jobs 2
    .venv/bin/python bench/mutate.py game/play/turn.py --tests tests/test_mechanics.py --list

Every mutant is one small change to one file: a comparison flipped (``<`` ↔ ``<=``, ``==`` ↔ ``!=`` …),
``+`` and ``-`` swapped, ``and`` and ``or`` swapped, a ``not`` dropped, a whole number off by one,
``True`` and ``False`` swapped, or one statement replaced by ``pass``. For each, the script copies the
project into a temporary folder (one per job), writes the mutant there and runs the tests with ``-x``;
a mutant the tests fail on (or that runs out of time) is *killed*. It prints the kill rate and every
surviving mutant with its line, so a test can be written for it (or the mutant judged equivalent).
Nothing in the project itself is changed. Docstrings, ``__repr__``, ``__slots__``, type aliases and lines
marked ``pragma: no cover`` are left alone.

Prints figures only; see CONTRIBUTING.md ("Tests") for the figures measured on the project's machine.
"""
from __future__ import annotations

import argparse
import ast
import copy
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TESTS = ["tests/test_engine.py", "tests/test_mechanics.py", "tests/test_check.py",
                 "tests/test_properties.py", "tests/test_scoring.py", "tests/test_controller.py",
                 "tests/test_rules.py", "tests/test_turn.py"]
COPY = ["game", "tests", "scenarios", "bench", "pyproject.toml"]

_FLIP = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq,
         ast.NotEq: ast.Eq, ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is}
_BIN = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.FloorDiv, ast.FloorDiv: ast.Mult, ast.Div: ast.Mult}


class Mutant:
    def __init__(self, line: int, what: str, tree: ast.Module):
        self.line, self.what, self.tree = line, what, tree


def _skipped_lines(source: str) -> set[int]:
    return {i for i, text in enumerate(source.splitlines(), 1) if "pragma: no cover" in text}


def mutants(source: str) -> list[Mutant]:
    """Every single-change mutant of ``source``, each as a whole syntax tree."""
    tree = ast.parse(source)
    skip = _skipped_lines(source)
    # Nodes that are not to be touched: docstrings, annotations, __repr__ bodies.
    frozen: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and \
                    isinstance(first.value.value, str):
                frozen.update(id(n) for n in ast.walk(first))
        if isinstance(node, ast.FunctionDef) and node.name == "__repr__":
            frozen.update(id(n) for n in ast.walk(node))
        if isinstance(node, ast.Assign) and all(isinstance(t, ast.Name) and (t.id == "__slots__" or (
                node in tree.body and t.id[:1].isupper() and not t.id.isupper())) for t in node.targets):
            frozen.update(id(n) for n in ast.walk(node))  # __slots__ and type aliases (``Draw = Callable[...]``)
        for ann in ([node.returns] if isinstance(node, ast.FunctionDef) else []) + \
                ([node.annotation] if isinstance(node, (ast.arg, ast.AnnAssign)) else []):
            if ann is not None:
                frozen.update(id(n) for n in ast.walk(ann))
    out: list[Mutant] = []
    nodes = [n for n in ast.walk(tree) if id(n) not in frozen and getattr(n, "lineno", 0) not in skip]
    for node in nodes:
        for what, change in _changes(node):
            new_tree = copy.deepcopy(tree)
            target = _nth(new_tree, tree, node)
            change(target)
            ast.fix_missing_locations(new_tree)
            out.append(Mutant(node.lineno, what, new_tree))
    return out


def _nth(new_tree: ast.AST, tree: ast.AST, node: ast.AST) -> ast.AST:
    """The node in ``new_tree`` at the place of ``node`` in ``tree`` (both walked in the same order)."""
    for a, b in zip(ast.walk(tree), ast.walk(new_tree)):
        if a is node:
            return b
    raise LookupError(node)


def _changes(node: ast.AST):
    if isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            flip = _FLIP.get(type(op))
            if flip is not None:
                yield f"{type(op).__name__} -> {flip.__name__}", lambda n, i=i, flip=flip: n.ops.__setitem__(i, flip())
    elif isinstance(node, ast.BinOp) and type(node.op) in _BIN:
        other = _BIN[type(node.op)]
        yield f"{type(node.op).__name__} -> {other.__name__}", lambda n, other=other: setattr(n, "op", other())
    elif isinstance(node, ast.AugAssign) and type(node.op) in _BIN:
        other = _BIN[type(node.op)]
        yield f"{type(node.op).__name__}= -> {other.__name__}=", lambda n, other=other: setattr(n, "op", other())
    elif isinstance(node, ast.BoolOp):
        other = ast.Or if isinstance(node.op, ast.And) else ast.And
        yield f"{type(node.op).__name__} -> {other.__name__}", lambda n, other=other: setattr(n, "op", other())
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        yield "not dropped", lambda n: (setattr(n, "op", ast.UAdd()), setattr(n, "operand", ast.Call(
            ast.Name("bool", ast.Load()), [n.operand], [])))
    elif isinstance(node, ast.Constant) and type(node.value) is bool:
        yield f"{node.value} -> {not node.value}", lambda n: setattr(n, "value", not n.value)
    elif isinstance(node, ast.Constant) and type(node.value) is int:
        yield f"{node.value} -> {node.value + 1}", lambda n: setattr(n, "value", n.value + 1)
    if isinstance(node, (ast.Assign, ast.AugAssign, ast.Expr, ast.Return, ast.Raise, ast.Continue, ast.Break)) \
            and not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)):
        yield f"{type(node).__name__} removed", lambda n: _to_pass(n)


def _to_pass(n: ast.AST) -> None:
    n.__class__ = ast.Pass
    for name in list(vars(n)):
        if name not in ("lineno", "col_offset", "end_lineno", "end_col_offset"):
            delattr(n, name)


def run(files: list[str], tests: list[str], jobs: int, timeout: float, listing: bool) -> int:
    work: "queue.Queue[tuple[str, Mutant]]" = queue.Queue()
    total = 0
    for f in files:
        source = (ROOT / f).read_text(encoding="utf-8")
        found = mutants(source)
        total += len(found)
        for m in found:
            work.put((f, m))
    print(f"{total} mutants of {', '.join(files)}; tests: {' '.join(tests)}; {jobs} job(s)")
    if listing:
        while not work.empty():
            f, m = work.get()
            print(f"  {f}:{m.line}: {m.what}")
        return 0
    results: list[tuple[str, Mutant, str]] = []
    lock = threading.Lock()
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", PYTHONDONTWRITEBYTECODE="1")
    t0 = time.perf_counter()

    def worker() -> None:
        with tempfile.TemporaryDirectory(prefix="tegenmacht-mutant-") as tmp:
            for name in COPY:
                src = ROOT / name
                if src.is_dir():
                    shutil.copytree(src, Path(tmp) / name, ignore=shutil.ignore_patterns("__pycache__", ".hypothesis"))
                else:
                    shutil.copy2(src, Path(tmp) / name)
            local_env = dict(env, PYTHONPATH=tmp)
            where = subprocess.run([sys.executable, "-c", "import game; print(game.__file__)"], cwd=tmp,
                                   env=local_env, capture_output=True, text=True).stdout.strip()
            if not where.startswith(str(Path(tmp).resolve())) and not where.startswith(tmp):
                print(f"the tests would import the project's own game package ({where}), not the copy: stopped")
                return
            while True:
                try:
                    f, m = work.get_nowait()
                except queue.Empty:
                    return
                path = Path(tmp) / f
                original = path.read_text(encoding="utf-8")
                path.write_text(ast.unparse(m.tree), encoding="utf-8")
                try:
                    done = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
                                           *tests], cwd=tmp, env=local_env, capture_output=True, timeout=timeout)
                    verdict = "survived" if done.returncode == 0 else "killed"
                except subprocess.TimeoutExpired:
                    verdict = "killed (time)"
                finally:
                    path.write_text(original, encoding="utf-8")
                with lock:
                    results.append((f, m, verdict))
                    n = len(results)
                    if n % 10 == 0 or n == total:
                        print(f"  {n}/{total} done, {sum(r[2] != 'survived' for r in results)} killed "
                              f"({time.perf_counter() - t0:.0f} s)", flush=True)

    threads = [threading.Thread(target=worker) for _ in range(max(1, jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for f in files:
        mine = [r for r in results if r[0] == f]
        killed = sum(r[2] != "survived" for r in mine)
        print(f"{f}: {killed}/{len(mine)} killed ({killed / max(1, len(mine)) * 100:.1f} %)")
        for _, m, verdict in sorted((r for r in mine if r[2] == "survived"), key=lambda r: r[1].line):
            print(f"  survived  {f}:{m.line}: {m.what}")
    killed = sum(r[2] != "survived" for r in results)
    print(f"all: {killed}/{len(results)} killed ({killed / max(1, len(results)) * 100:.1f} %), "
          f"{time.perf_counter() - t0:.0f} s")
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Mutation run of the engine core (prints figures).")
    p.add_argument("files", nargs="*", default=["game/play/turn.py"], help="files to mutate, relative to the project")
    p.add_argument("--tests", nargs="+", default=DEFAULT_TESTS, help="the tests to run against each mutant")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--timeout", type=float, default=120.0, help="seconds before a mutant counts as killed by time")
    p.add_argument("--list", action="store_true", help="only list the mutants")
    args = p.parse_args(argv)
    return run(args.files, args.tests, args.jobs, args.timeout, args.list)


if __name__ == "__main__":
    sys.exit(main())
