"""The scenario as a graph: where choices lead and what can be reached from the start.

One search for everyone: the validator warns about scenes nothing leads to (ignoring
choices whose condition can never hold), the map greys them out, the statistics count
paths. Conditions are otherwise ignored: this is the shape of the story, not a play.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Callable, Mapping

from game.scenario.model import END, Choice, Ending, Scenario, Scene


@dataclass(frozen=True)
class Walk:
    """What a search from the start found: the scenes reached, the endings a choice names
    directly, and whether some reached choice says ``next: end`` (the endings then decide)."""

    scenes: frozenset[str]
    named_endings: frozenset[str]
    to_end: bool


def destinations(choice: Choice) -> list[str]:
    """The ``next`` values a choice can take: its own, then each uncertain
    outcome's own ``next`` that differs from it (in order, without repeats)."""
    found = [choice.next]
    for o in choice.outcomes:
        if o.next and o.next not in found:
            found.append(o.next)
    return found


def walk(scenes: Mapping[str, Scene], start: str, endings: Mapping[str, Ending],
         skip: Callable[[Choice], bool] = lambda c: False) -> Walk:
    """Breadth-first from ``start`` over every choice's destinations (``skip`` leaves a
    choice out, e.g. one whose condition can never hold)."""
    reached: set[str] = set()
    named: set[str] = set()
    to_end = False
    if start in scenes:
        reached.add(start)
        todo = deque([start])
        while todo:
            for c in scenes[todo.popleft()].choices:
                if skip(c):
                    continue
                for nxt in destinations(c):
                    if nxt in scenes and nxt not in reached:
                        reached.add(nxt)
                        todo.append(nxt)
                    elif nxt == END:
                        to_end = True
                    elif nxt in endings:
                        named.add(nxt)
    return Walk(frozenset(reached), frozenset(named), to_end)


def end_targets(sc: Scenario) -> list[str]:
    """The endings a ``next: end`` can pick: non-interrupt endings in order,
    up to and including the first one without a condition (the fallback)."""
    found = []
    for e in sc.endings.values():
        if e.interrupt:
            continue
        found.append(e.id)
        if e.condition is None:
            break
    return found


def targets(sc: Scenario, choice: Choice) -> list[str]:
    """Where a choice can lead: a scene, an ending, or (``end``) the endings' pick;
    for an uncertain choice also where its outcomes lead."""
    out: list[str] = []
    for nxt in destinations(choice):
        for t in (end_targets(sc) if nxt == END else [nxt]):
            if t not in out:
                out.append(t)
    return out


@dataclass(frozen=True)
class Reach:
    """What can be reached from the start, ignoring the choices' conditions."""

    scenes: frozenset[str]
    endings: frozenset[str]

    def unreachable_scenes(self, sc: Scenario) -> list[str]:
        return [s for s in sc.scenes if s not in self.scenes]

    def unreachable_endings(self, sc: Scenario) -> list[str]:
        return [e for e in sc.endings if e not in self.endings]


def reachability(sc: Scenario) -> Reach:
    """The scenes and endings a play can get to (an interrupting ending can follow any choice)."""
    found = walk(sc.scenes, sc.start, sc.endings)
    endings = set(found.named_endings)
    if found.to_end:
        endings.update(end_targets(sc))
    if found.scenes:
        endings.update(e.id for e in sc.endings.values() if e.interrupt)
    return Reach(found.scenes, frozenset(endings))
