"""Every shipped scenario (but the example) teaches with the rules, and the simulator proves the lesson.

The figures come from ``simulate --runs 2000 --seed 1`` and ``check``, as the issue asks;
each scenario is simulated once per test session (see ``report``)."""
from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest

from conftest import ROOT

from game.scenario import rules
from game.tools.check import check
from game.tools.simulate import simulate
from game.tools.stats import compute
from game.scenario.validate import validate_file

SHIPPED = sorted(p for p in (ROOT / "scenarios").glob("*.yaml") if p.stem != "voorbeeld")
CONCEPTS = ("polderen", "subsidieafhankelijkheid", "onafhankelijkheid", "conflict omarmen", "brede coalities",
            "tegenmacht door politisering", "verantwoording eisen", "confrontatie na vastgelopen overleg",
            "machtsanalyse", "eigenbelang", "concreet issue", "actie lokt reactie uit", "ijzeren regel",
            "mobiliseren versus organiseren", "onrecht-identiteit-effectiviteit", "kritische massa",
            "zelforganisatie niet afdwingen", "co-optatie", "affectief motief", "instrumenteel motief",
            "moreel motief")

pytestmark = pytest.mark.skipif(not SHIPPED, reason="no shipped scenarios yet")


@functools.lru_cache(maxsize=None)
def loaded(path: Path):
    report = validate_file(path)
    assert report.scenario is not None, [p.render("en") for p in report.errors]
    return report


@functools.lru_cache(maxsize=None)
def report(path: Path) -> dict:
    return simulate(loaded(path).scenario, runs=2000, seed=1, jobs=2)


def ids(paths):
    return [p.stem for p in paths]


@pytest.mark.parametrize("path", SHIPPED, ids=ids(SHIPPED))
def test_valid_without_warnings_in_two_languages(path):
    rep = loaded(path)
    assert not rep.problems, [p.render("en") for p in rep.problems]
    assert rep.scenario.languages == ("nl", "en")


@pytest.mark.parametrize("path", SHIPPED, ids=ids(SHIPPED))
def test_size_endings_events_actors(path):
    sc = loaded(path).scenario
    assert 25 <= len(sc.scenes) <= 60
    assert len(sc.endings) >= 5 and len(sc.events) >= 3
    assert len([a for a in sc.actors.values() if a.responds]) >= 4
    assert len({a.motive for a in sc.actors.values() if a.responds}) == 3  # every motive calls for its approach
    collapse = [e for e in sc.endings.values() if e.interrupt and e.condition and "energie" in e.condition.source]
    assert collapse and all(e.outcome.nl for e in collapse)
    coopted = [e for e in sc.endings.values() if e.outcome.nl and "afhankelijkheid" in (e.condition.source if e.condition else "")]
    assert coopted, "a co-optation ending (high afhankelijkheid) with its own outcome label"
    for e in sc.endings.values():
        assert e.expect or e.outcome.nl, f"ending {e.id} names no outcome"
    minutes = compute(sc).play
    assert 15 <= minutes["nl"]["median"] <= 30, minutes


@pytest.mark.parametrize("path", SHIPPED, ids=ids(SHIPPED))
def test_coach_on_every_choice_and_images_with_alt_text(path):
    sc = loaded(path).scenario
    for c in sc.all_choices():
        assert c.coach and c.coach.text.nl and c.coach.text.en, c.key
        assert c.coach.theory.nl and c.coach.theory.en, c.key
    assert sc.image and sc.image_alt.nl and sc.image_alt.en
    phases = {s.phase for s in sc.scenes.values()}
    pictured = {s.phase for s in sc.scenes.values() if s.image}
    assert pictured == phases, "one illustration per phase"
    for s in sc.scenes.values():
        if s.image:
            assert s.image_alt.nl and s.image_alt.en, s.id
            assert (path.parent / s.image).is_file()


@pytest.mark.parametrize("path", SHIPPED, ids=ids(SHIPPED))
def test_uses_the_rules_that_carry_the_theory(path):
    sc = loaded(path).scenario
    choices = sc.all_choices()
    assert any(c.later for c in choices) or any(e.later for e in sc.events)
    assert any(c.show_locked for c in choices)
    assert sc.tipping_points
    assert any(c.outcomes for c in choices)
    conds = [c.condition for c in choices] + [e.condition for e in sc.events] + [r.condition for r in sc.debrief]
    conds += [r.condition for e in sc.endings.values() for r in e.debrief + e.questions] + [
        r.condition for r in sc.questions]
    kinds = {n.kind for c in conds if c is not None for n in rules.walk(c.node)}
    assert kinds & {"tag", "motive"}, "a condition reads count/share/since or a motive"
    remarks = list(sc.debrief) + list(sc.questions) + [r for e in sc.endings.values() for r in e.debrief + e.questions]
    assert any(r.condition is not None for r in remarks), "debrief text that refers to what the player did"
    tagged = [c for c in choices if c.strategy or c.agency]
    assert len(tagged) >= 0.7 * len(choices)


@pytest.mark.parametrize("path", SHIPPED, ids=ids(SHIPPED))
def test_the_simulator_proves_the_lesson(path):
    rep = report(path)
    b, st = rep["balance"], rep["strategies"]
    best = b["best"]
    # mixed play beats the best play within any single strategy by at least 10 points
    for tag, within in b["within"].items():
        assert best - within["mean"] >= 10, (tag, best, within)
    # balance pays without look-ahead: 'balanced' beats every single-tag player
    for tag in ("polderen", "coalitie", "confrontatie"):
        assert st["balanced"]["total"]["mean"] > st[tag]["total"]["mean"], tag
    # doing it for them leaves ownership far behind
    assert st["best"]["eigenaarschap"]["mean"] - st["overnemen"]["eigenaarschap"]["mean"] >= 15
    # the score matches the story in (nearly) every run of every strategy
    for name, r in st.items():
        assert r["mismatch"] <= 0.05, (name, r["mismatch"])


@pytest.mark.parametrize("path", SHIPPED, ids=ids(SHIPPED))
def test_check_reaches_everything(path):
    res = check(loaded(path).scenario)
    assert res.ok, [(m.kind, m.id, m.reason[1]) for m in res.missing]
    assert not res.truncated  # nothing 'may still be reachable'
    assert not res.mismatches


def test_the_concept_table_covers_every_concept_with_real_scenes():
    doc = (ROOT / "docs" / "scenarios.md").read_text(encoding="utf-8")
    scenes = {p.stem: set(loaded(p).scenario.scenes) for p in SHIPPED}
    for concept in CONCEPTS:
        row = re.search(rf"^\| {re.escape(concept)} \|(.+)\|\s*$", doc, flags=re.M)
        assert row, f"concept '{concept}' has no row in docs/scenarios.md"
        refs = re.findall(r"`([a-z]+)\.([A-Za-z0-9_-]+)`", row.group(1))
        assert refs, concept
        for scenario, scene in refs:
            assert scene in scenes.get(scenario, ()), f"{concept}: {scenario}.{scene} is not a scene"
