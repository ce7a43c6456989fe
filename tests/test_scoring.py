"""Scoring: axes as % of range, the archetype quadrants, the profile."""
from __future__ import annotations

from dataclasses import replace

import pytest

from game.scenario.model import Meter, Text
from game.play.scoring import archetype_for, axis, profile, score


def test_axis_is_a_percentage_of_the_range(example):
    sc = replace(example, meters={**example.meters,
                                  "tegenmacht": Meter("tegenmacht", Text("T"), -50, 150, 0)})
    assert axis(sc, {"tegenmacht": -50}, "tegenmacht") == 0.0
    assert axis(sc, {"tegenmacht": 150}, "tegenmacht") == 100.0
    assert axis(sc, {"tegenmacht": 50}, "tegenmacht") == 50.0
    assert axis(sc, {"tegenmacht": 0}, "tegenmacht") == 25.0
    assert axis(sc, {"tegenmacht": 1}, "tegenmacht") == 25.5


@pytest.mark.parametrize("t, e, expected", [
    (0, 0, "harmonie"), (49.9, 49.9, "harmonie"),
    (50, 0, "held"), (100, 49.9, "held"),
    (0, 50, "gemeenschap"), (49.9, 100, "gemeenschap"),
    (50, 50, "beweging"), (100, 100, "beweging"),
])
def test_archetype_quadrants_at_the_threshold(example, t, e, expected):
    sc = replace(example, threshold=50)
    assert archetype_for(sc, t, e).id == expected


def test_archetype_follows_the_scenario_threshold(example):
    sc = replace(example, threshold=30)
    assert archetype_for(sc, 30, 29.9).id == "held"
    assert archetype_for(sc, 29.9, 30).id == "gemeenschap"


def test_archetype_names_come_from_the_scenario(example):
    assert archetype_for(example, 90, 90).name.nl == "Een buurt die zelf blijft bewegen"
    assert archetype_for(example, 0, 0).name.nl == "Harmonie zonder verandering"


def test_profile_shares_sum_to_one():
    p = profile(["polderen", "polderen", "coalitie", None, "onzin"], ("polderen", "coalitie", "confrontatie"))
    assert p == {"polderen": 0.4, "coalitie": 0.2, "confrontatie": 0.0, "neutraal": 0.4}
    assert sum(p.values()) == pytest.approx(1.0)
    thirds = profile(["polderen", "coalitie", "confrontatie"], ("polderen", "coalitie", "confrontatie"))
    assert sum(thirds.values()) == pytest.approx(1.0, abs=0.005)


def test_profile_of_no_choices_is_all_zero():
    assert profile([], ("a", "b")) == {"a": 0.0, "b": 0.0, "neutraal": 0.0}


def test_score_of_a_session(story):
    s = story.new_session(seed=0)
    for key in ["een-op-een", "coalitie", "bewoners-aan-tafel"]:
        s.choose(key)
    result = score(s)
    sc = story.scenario
    assert result.tegenmacht == axis(sc, s.meters, "tegenmacht")
    assert result.eigenaarschap == axis(sc, s.meters, "eigenaarschap")
    assert result.total == result.tegenmacht + result.eigenaarschap
    assert result.choices == 3
    # een-op-een: agency organiseren, no strategy; coalitie: coalitie/organiseren;
    # bewoners-aan-tafel: polderen/organiseren
    assert result.strategy == {"polderen": 0.333, "coalitie": 0.333, "confrontatie": 0.0, "neutraal": 0.333}
    assert result.agency == {"organiseren": 1.0, "mobiliseren": 0.0, "overnemen": 0.0, "neutraal": 0.0}
    assert sum(result.strategy.values()) == pytest.approx(1.0, abs=0.005)
    assert result.archetype.id == archetype_for(sc, result.tegenmacht, result.eigenaarschap).id
    # tegenmacht 10 + (15 + 2 coalitie) + 10 = 37;
    # eigenaarschap 20 %+20 = 36 +2 organiseren, +2 organiseren = 40, %+30 = 58 +2 organiseren = 60:
    # both above the example's threshold of 30
    assert sc.threshold == 30
    assert s.finished and s.ending.id == "open" and result.archetype.id == "beweging"
    assert (result.tegenmacht, result.eigenaarschap) == (37.0, 60.0)
    assert result.outcome.id == "beweging" and not result.mismatch  # 'open' expects beweging
    data = result.to_json()
    assert data["archetype"] == "beweging" and data["choices"] == 3


def test_score_of_the_hero(story):
    s = story.new_session(seed=0)
    for key in ["mail", "protest", "zelf-gaan"]:
        s.choose(key)
    result = score(s)
    assert result.eigenaarschap == 6.0  # '=10', then the overnemen tag rule -4
    assert result.agency["overnemen"] == pytest.approx(0.667, abs=0.001)


def test_score_of_an_unfinished_session(story):
    s = story.new_session(seed=0)
    result = score(s)
    assert result.choices == 0 and result.tegenmacht == 10.0 and result.eigenaarschap == 20.0
    assert result.archetype.id == "harmonie"
