"""Scenario 'tribune' (Honderd mensen op de tribune): the story's lessons hold in the engine.

Each test replays a route with the real engine and checks one lesson of the
trainer guide (docs/trainer-tribune.md): organising tips a shock into critical
mass while mobilising alone fizzles; who holds the microphone changes the
ending; training is what unlocks the residents' own voice; subsidy narrows
what can be risked; pushing statutes on a group without ownership backfires.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from game.play.engine import Session, Story
from game.scenario.validate import load_scenario, validate_file

PATH = Path(__file__).resolve().parent.parent / "scenarios" / "tribune.yaml"

# The trainer guide's example route, up to the council evening.
ORGANISED = [
    "start.keukentafels", "p1_gesprekken.doorvragen", "p1_manager.weigeren", "p2_kiezen.zelf-kiezen",
    "p2_huurders.samen", "p3_kerngroep.rollen", "p3_week3.kerk", "p3_kerk.beraad", "p3_week4.training",
    "p3_training.oefenen", "p4_lek.kerngroep-bepaalt", "p4_actie.stoet", "p4_reactie.niemand-alleen",
    "p5_wethouder.delegatie",
]
AFTER = ["p5_stemming.amina-spreekt-aan", "p6_uitslag.evalueren", "p6_blijft.eigen-geld"]

# Mobilising without organising: a full hall, a petition, drinks, signatures.
MOBILISED = [
    "start.bewonersavond", "p1_avond.petitie", "p1_manager.aannemen", "p2_kiezen.stop", "p2_petitie.aanbieden",
    "p3_kerngroep.borrel", "p3_week3.deuren", "p3_deuren.handtekeningen", "p3_week4.pers", "p3_pers.tip",
]


@pytest.fixture(scope="module")
def story() -> Story:
    return Story(load_scenario(PATH))


def test_the_scenario_is_valid_without_warnings():
    r = validate_file(PATH)
    assert r.ok and r.problems == [], [p.render() for p in r.problems]


def test_the_example_route_ends_in_a_movement(story):
    s = Session.replay(story, 1, ORGANISED + ["p5_microfoon.bewoners-spreken"] + AFTER)
    assert s.state == "eigen-stem"
    assert {"het-lek", "tribune-vol", "motie-aangenomen"} <= s.fired
    assert "kritieke-massa" in s.tipped and "boosheid-dooft" not in s.tipped
    assert s.meters["tegenmacht"] >= 50 and s.meters["eigenaarschap"] >= 50


def test_the_eloquent_outsider_costs_ownership(story):
    own = Session.replay(story, 1, ORGANISED + ["p5_microfoon.bewoners-spreken"] + AFTER)
    bram = Session.replay(story, 1, ORGANISED + ["p5_microfoon.bram"] + AFTER)
    assert bram.meters["eigenaarschap"] <= own.meters["eigenaarschap"] - 10
    assert bram.state != "eigen-stem"


def test_the_same_shock_fizzles_without_organising(story):
    s = Session.replay(story, 1, MOBILISED)
    assert s.state == "p4_lek" and "het-lek" in s.fired
    assert "boosheid-dooft" in s.tipped and "kritieke-massa" not in s.tipped
    assert "opkomst-zakt" in s.fired  # the supporters' drift, made visible


def test_residents_can_only_speak_as_practised_after_training(story):
    untrained = ORGANISED[:8] + ["p3_week4.statuten", "p3_statuten.groep-beslist"] + ORGANISED[10:]
    s = Session.replay(story, 1, untrained)
    assert s.state == "p5_microfoon"
    locked = {o.choice.id: o for o in s.offered() if not o.available}
    assert "bewoners-spreken" in locked and locked["bewoners-spreken"].reason is not None
    t = Session.replay(story, 1, ORGANISED)
    assert "bewoners-spreken" in {c.id for c in t.available()}


def test_participation_money_locks_the_occupation(story):
    s = Session.replay(story, 1, MOBILISED + ["p4_lek.doorsturen"])
    assert s.state == "p4_actie"
    assert "bezetting" not in {c.id for c in s.available()}
    assert any(o.choice.id == "bezetting" and not o.available for o in s.offered())
    free = Session.replay(story, 1, ["start.bewonersavond", "p1_avond.petitie", "p1_manager.weigeren"]
                          + MOBILISED[3:] + ["p4_lek.doorsturen"])
    assert "bezetting" in {c.id for c in free.available()}


def test_forcing_statutes_backfires_without_ownership(story):
    route = ["start.uitleg", "p1_corporatie.klankbord", "p1_manager.aannemen", "p2_kiezen.zelf-schrijven",
             "p2_huurders.overlaten", "p3_kerngroep.voorzitten", "p3_week3.raadslid", "p3_raadslid.deal",
             "p3_week4.statuten", "p3_statuten.doorzetten"]
    before = Session.replay(story, 1, route)
    after = Session.replay(story, 1, route + ["p4_lek.opheldering"])
    assert before.meters["eigenaarschap"] < 40
    assert after.meters["achterban"] < before.meters["achterban"]


def test_pure_polder_play_is_absorbed(story):
    route = ["start.uitleg", "p1_corporatie.klankbord", "p1_manager.aannemen", "p2_kiezen.zelf-schrijven",
             "p2_huurders.overlaten", "p3_kerngroep.voorzitten", "p3_week3.raadslid", "p3_raadslid.deal",
             "p3_week4.statuten", "p3_statuten.zelf-regelen", "p4_lek.opheldering", "p4_actie.gesprek-vragen",
             "p4_reactie.klankbord-aannemen", "p5_wethouder.alleen-gaan", "p5_microfoon.bram",
             "p5_stemming.compromis", "p6_uitslag.overdragen", "p6_blijft.erkenning"]
    s = Session.replay(story, 1, route)
    assert s.state == "ingekapseld"


def test_pure_strategies_end_where_the_theory_says():
    from game.tools.simulate import simulate

    report = simulate(PATH, runs=200, seed=3, strategies=["polderen", "confrontatie", "coalitie", "overnemen"])
    runs = report["runs"]
    ends = {name: s["endings"] for name, s in report["strategies"].items()}
    assert ends["polderen"]["ingekapseld"] / runs >= 0.8  # dependence and co-optation
    assert ends["confrontatie"]["uitgeput"] / runs >= 0.3  # closed doors and exhaustion
    assert ends["coalitie"].get("eigen-stem", 0) + ends["coalitie"].get("blijvende-beweging", 0) == 0  # a talking shop
    assert report["strategies"]["overnemen"]["eigenaarschap"]["mean"] < 10  # a hero without a movement
