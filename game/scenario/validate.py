"""Turn a scenario file into a :class:`~game.scenario.model.Scenario`, collecting every problem.

The validator never stops at the first problem: it reports all of them, each
with ``file:line:column`` and a plain message (see :mod:`game.scenario.problems`), and
builds the model only when no *error* is left. Warnings (a missing
translation, a scene nothing leads to) do not block play.

This module is the public face (:func:`validate_file`, :func:`validate_text`,
:func:`load_scenario`, :class:`Report`) and the driver that runs the passes in order,
one :class:`~game.scenario.passes.Context` handed from each to the next:

1. :mod:`game.scenario.check_shape` — keys and types against the schema, did-you-mean;
2. :mod:`game.scenario.build` — values into frozen model objects;
3. :mod:`game.scenario.check_refs` — references and ranges;
4. :mod:`game.scenario.check_story` — reachability, dead ends, endings, expectations.

The problems are sorted by position at the end; at one position they keep the order
they were found in.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from game.perf import no_gc
from game.scenario import build, check_refs, check_shape, check_story
from game.scenario.loader import LoadResult, load_file, load_text
from game.scenario.model import Scenario
from game.scenario.passes import Context, suggest
from game.scenario.problems import Problem, ScenarioError

__all__ = ["Report", "load_scenario", "suggest", "validate_file", "validate_text"]

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class Report:
    """The outcome of validating one file."""

    path: str
    problems: list[Problem]
    scenario: Optional[Scenario] = None
    stats: dict[str, int] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "warning"]

    @property
    def ok(self) -> bool:
        return self.scenario is not None


@no_gc
def validate_file(path: str | Path) -> Report:
    """Load and check one scenario file; never raises for a bad file."""
    return _report(load_file(path))


@no_gc
def validate_text(text: str, path: str = "<text>") -> Report:
    """Like :func:`validate_file`, for YAML text already in memory."""
    return _report(load_text(text, path))


def _report(loaded: LoadResult) -> Report:
    if loaded.data is None:
        return Report(loaded.path, loaded.problems)
    ctx = Context.of(loaded)
    try:
        scenario = _run(ctx)
    except RecursionError:  # pragma: no cover - the loader caps nesting first
        ctx.err((1, 1), "yaml-too-deep", limit=0)
        scenario = None
    problems = sorted(ctx.problems, key=lambda p: (p.line, p.column))
    return Report(loaded.path, problems, scenario, ctx.stats)


def _run(ctx: Context) -> Optional[Scenario]:
    """The passes in order; the scenario, or None when an error was found."""
    if not check_shape.check_document(ctx):  # 1: no mapping, nothing more to check
        return None
    built = build.build_values(ctx)  # 2
    check_refs.check_references(ctx, built)  # 3
    check_story.check_graph(ctx, built)  # 4
    check_shape.missing_translations(ctx)
    ctx.stats = _stats(ctx, built)
    if ctx.has_errors():
        return None
    scenario = build.scenario(ctx, built)
    check_story.interrupts_at_start(ctx, scenario, built)  # 4, on the built scenario
    if ctx.has_errors():
        return None
    return scenario


def _stats(ctx: Context, b: build.Built) -> dict[str, int]:
    """Counts for the report: parts of the story, and words per language."""
    stats = {
        "scenes": len(b.scenes), "choices": sum(len(s.choices) for s in b.scenes.values()),
        "endings": len(b.endings), "events": len(b.events), "actors": len(b.actors),
        "words_nl": 0, "words_en": 0,
    }
    for value, _ in ctx.translated:
        nl = value if isinstance(value, str) else value.get("nl")
        en = value.get("en") if isinstance(value, dict) else None
        stats["words_nl"] += len(_WORD.findall(nl)) if isinstance(nl, str) else 0
        stats["words_en"] += len(_WORD.findall(en)) if isinstance(en, str) else 0
    return stats


def load_scenario(path: str | Path, lang: str = "en") -> Scenario:
    """Load a scenario or raise :class:`ScenarioError` with all its problems."""
    report = validate_file(path)
    if report.scenario is None:
        raise ScenarioError(report.problems, lang)
    return report.scenario
