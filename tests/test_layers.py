"""The packages show the architecture: imports go one way, and there is no circle.

Every module under game/ is found by walking the folder (no hand-kept list) and every
import in it is read from its syntax tree, also those inside functions and under
TYPE_CHECKING. The layers (see game/__init__.py), lowest first:
base modules < scenario < play < records < tools, text, classroom < cli, ui.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GAME = ROOT / "game"
RANK = {"base": 0, "scenario": 1, "play": 2, "records": 3, "tools": 4, "text": 4, "classroom": 4, "cli": 5, "ui": 5,
        "__main__": 6}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_package(name: str) -> bool:
    return (ROOT / name.replace(".", "/") / "__init__.py").exists()


def layer(name: str) -> str:
    """The layer of a module: its package under game/, or 'base' for a plain module in game/."""
    parts = name.split(".")
    if len(parts) == 1:
        return "base"  # the game package itself (__version__)
    if is_package(".".join(parts[:2])):
        return parts[1]
    return parts[1] if parts[1] in RANK else "base"


def _type_only(tree: ast.AST) -> set[int]:
    """Ids of the import nodes under ``if TYPE_CHECKING:`` (they never run)."""
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", getattr(node.test, "attr", "")) == "TYPE_CHECKING":
            ids |= {id(n) for stmt in node.body for n in ast.walk(stmt)}
    return ids


def imports(path: Path, run_time_only: bool = False) -> list[tuple[int, str]]:
    """(line, absolute module) of every import in the file (with ``run_time_only``, not those
    under TYPE_CHECKING, which name a type for the reader and never run)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_only(tree) if run_time_only else set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] == "game"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "game":
                continue
            # "from game.x import y": y may be a module of its own
            subs = [f"{target}.{a.name}" for a in node.names
                    if (ROOT / f"{target}.{a.name}".replace(".", "/")).with_suffix(".py").exists()
                    or is_package(f"{target}.{a.name}")]
            out += [(node.lineno, s) for s in subs] or [(node.lineno, target)]
    return out


MODULES = {module_name(p): p for p in sorted(GAME.rglob("*.py"))}


def test_every_package_says_what_it_owns():
    for name, path in MODULES.items():
        if path.name == "__init__.py":
            doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
            assert doc and len(doc) > 40, f"{name} has no docstring that says what it owns"


def test_every_module_is_in_a_known_layer():
    for name in MODULES:
        assert layer(name) in RANK, f"{name}: a package the layers do not know; add it to the design"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_go_one_way(name):
    mine = layer(name)
    for line, target in imports(MODULES[name]):
        theirs = layer(target)
        if theirs == mine:
            continue
        assert RANK[theirs] < RANK[mine], (
            f"{MODULES[name].relative_to(ROOT)}:{line}: {name} ({mine}) imports {target} ({theirs}), "
            f"against the direction of the layers")


def test_there_is_no_import_circle():
    """No module needs itself to load, over any chain of run-time imports (a type named for
    the reader under TYPE_CHECKING, like the window a screen belongs to, is no import)."""
    graph = {name: {t for _l, t in imports(path, run_time_only=True) if t in MODULES and t != name}
             for name, path in MODULES.items()}
    # a package's __init__ imports nothing here, so an edge to a package is an edge to its __init__
    seen: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> None:
        seen[n] = 1
        stack.append(n)
        for m in sorted(graph[n]):
            if seen.get(m) == 1:
                cycle = stack[stack.index(m):] + [m]
                pytest.fail("import circle: " + " -> ".join(cycle))
            if m not in seen:
                visit(m)
        stack.pop()
        seen[n] = 2

    for n in sorted(graph):
        if n not in seen:
            visit(n)


def test_the_walk_finds_an_import_against_the_direction(tmp_path, monkeypatch):
    """The checks above can fail: a scenario module that imports the play layer is caught."""
    bad = GAME / "scenario" / "_layers_probe.py"
    bad.write_text("def f():\n    from game.play.engine import Session\n    return Session\n", encoding="utf-8")
    try:
        name = module_name(bad)
        found = [(line, t) for line, t in imports(bad)]
        assert found == [(2, "game.play.engine")]
        assert RANK[layer(t := found[0][1])] > RANK[layer(name)], t
    finally:
        bad.unlink()


def test_every_colour_comes_from_the_palette():
    """Colours live in game/palette.py: no hex colour elsewhere in the code, and pygame_gui's
    theme files use only the colours of their theme there."""
    import json
    import re

    from game.palette import THEMES

    hexes = re.compile(r"#[0-9A-Fa-f]{6}\b")
    for name, path in MODULES.items():
        if name == "game.palette":
            continue
        found = hexes.findall(path.read_text(encoding="utf-8"))
        assert not found, f"{path.relative_to(ROOT)} defines colours {found}; put them in game/palette.py"
    for theme, file in (("normal", "theme.json"), ("high_contrast", "theme_high_contrast.json")):
        used = set(hexes.findall(json.dumps(json.loads((ROOT / "assets" / file).read_text(encoding="utf-8")))))
        allowed = {c.upper() for c in THEMES[theme].values()}
        assert {c.upper() for c in used} <= allowed, f"assets/{file}: {sorted(used - allowed)} not in the palette"
