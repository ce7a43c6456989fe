"""What the validator's passes share: one :class:`Context` per file, and small helpers.

The validator (:mod:`game.scenario.validate`) runs four passes over one loaded file, in order:

1. :mod:`game.scenario.check_shape` — keys and types against the schema, did-you-mean;
2. :mod:`game.scenario.build` — values into frozen model objects;
3. :mod:`game.scenario.check_refs` — names that must exist, conditions that can never hold;
4. :mod:`game.scenario.check_story` — reachability, dead ends, endings, expectations.

Everything one pass leaves for a later one lives in the :class:`Context`, each field saying
who fills it and who reads it; there are no globals. Every problem goes into
``Context.problems`` through :meth:`Context.add` / :meth:`Context.err`.
"""
from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field
from typing import Any, Iterable, Optional

from game.scenario import rules
from game.scenario.loader import LoadResult
from game.scenario.problems import Problem

Pos = tuple[int, int]


@dataclass
class Context:
    """One file under validation, and what the passes hand on to each other."""

    path: str
    text_lines: list[str]
    data: Any  # the loaded document (a YMap once pass 1 has said so)
    problems: list[Problem]
    # pass 1 -> the end: (raw value, position) of every player-facing text
    translated: list[tuple[Any, Pos]] = field(default_factory=list)
    # pass 1 -> pass 2 and the end: the languages the scenario says it has
    languages: tuple[str, ...] = ("nl",)
    # pass 2 -> passes 3 and 4, and the model: the scene play starts in (as written, maybe unknown)
    start: Any = None
    # pass 2 -> pass 3: every parsed condition (tree, position, text, owner)
    conditions: list[tuple[rules.Node, Pos, str, Any]] = field(default_factory=list)
    # pass 2 -> pass 3: (meter|actor|ref, name, position) of every name an effect or tipping point uses
    effect_targets: list[tuple[str, str, Pos]] = field(default_factory=list)
    # pass 2 -> pass 3: the ids of the tipping points (a condition may ask tipped(id))
    tip_ids: set[str] = field(default_factory=set)
    # pass 2 -> passes 3 and 4: owners whose condition did not parse (the graph checks must not guess)
    broken: set = field(default_factory=set)
    # pass 2 -> pass 4: scenes whose 'choices' is mistyped or no list (reported once, not as a dead end too)
    mistyped_choices: set = field(default_factory=set)
    # pass 3 -> pass 4: owners whose condition can never hold
    never: set = field(default_factory=set)
    # the end -> the report: counts of scenes, choices, words, ...
    stats: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, loaded: LoadResult) -> "Context":
        return cls(loaded.path, loaded.text.splitlines(), loaded.data, list(loaded.problems))

    # -- reporting ---------------------------------------------------------
    def add(self, pos: Pos, level: str, code: str, **params: Any) -> None:
        self.problems.append(Problem(self.path, pos[0], pos[1], level, code, **params))

    def err(self, pos: Pos, code: str, **params: Any) -> None:
        self.add(pos, "error", code, **params)

    def has_errors(self) -> bool:
        return any(p.level == "error" for p in self.problems)

    def inner_pos(self, pos: Pos, column: int) -> Pos:
        """Position of a column inside a scalar that starts at ``pos``."""
        line = self.text_lines[pos[0] - 1] if 0 < pos[0] <= len(self.text_lines) else ""
        quote = 1 if line[pos[1] - 1:pos[1]] in ("'", '"') else 0
        return (pos[0], pos[1] + quote + column - 1)


def get(m: Any, key: str, kind: type | tuple[type, ...], default: Any = None) -> Any:
    """``m[key]`` when it has the type ``kind`` (a bool is no int here), else ``default``.

    Types were checked (and reported) by pass 1; the later passes read through this."""
    if not isinstance(m, dict):
        return default
    value = m.get(key, default)
    if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
        return default
    return value if isinstance(value, kind) else default


def suggest(word: str, options: Iterable[str]) -> Optional[str]:
    """The closest option to a mistyped word, if one is close enough."""
    found = difflib.get_close_matches(str(word), [str(o) for o in options], n=1, cutoff=0.6)
    return found[0] if found else None


def place(kind: str, name: str = "") -> tuple[str, str]:
    """'scène 'start'' / 'scene 'start'': the place a problem is in, for its message."""
    names = {"scenario": ("het scenario", "the scenario"), "scene": ("scène", "scene"),
             "choice": ("keuze", "choice"), "event": ("gebeurtenis", "event"), "ending": ("einde", "ending"),
             "meter": ("meter", "meter"), "actor": ("actor", "actor"), "coach": ("coach", "coach"),
             "text": ("een tekst", "a text"), "block": ("dit blok", "this block")}
    nl, en = names.get(kind, (kind, kind))
    return (f"{nl} '{name}'", f"{en} '{name}'") if name else (nl, en)


def num(x: Any) -> str:
    """A number for a message: 5, 2.5, ∞, or ? for none."""
    if x is None:
        return "?"
    if isinstance(x, float) and math.isinf(x):
        return "∞"
    return str(int(x)) if float(x).is_integer() else str(x)
