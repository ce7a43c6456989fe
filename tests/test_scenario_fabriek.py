"""The story of scenario 'fabriek' (De fabriek aan de overkant): the lessons live in its rules.

- the leaked report is an injustice shock that tips participation only where an organised
  base exists, and fizzles where it does not (two tipping points on the same crossing);
- Norvane's neighbourhood fund brings a gag clause three turns later (a late consequence);
- high dependence locks going to the press yourself (a locked choice with its reason);
- a mix of organising, coalition and well-timed confrontation lands in the 'beweging' quadrant,
  organising without pressure in 'gemeenschap', pure polderen in co-optation and pure
  confrontatie in exhaustion.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from game.play.engine import Story
from game.play.scoring import score
from game.tools.simulate import simulate
from game.scenario.validate import load_scenario
from helpers import assert_validates_cleanly, play  # noqa: E402

PATH = Path(__file__).resolve().parent.parent / "scenarios" / "fabriek.yaml"

# A thoughtful mixed path: listen and organise, one concrete issue, allies on the residents' terms,
# the report decided by the core group, accountability demanded in public, then residents at the table.
MIX = ["aankomst.deuren", "hanneke.vraag-belang", "youssef.samen-tafel", "kiezen.stof", "meten.plakstroken",
       "buurtfonds.buurt-beslist", "kerngroep.rollen", "activisten.op-voorwaarden", "vakbond.gedeelde-lucht",
       "ouders.stofkaart-school", "lek.kerngroep-beslist", "naar-buiten.staten", "reactie.eigen-verhaal",
       "achterkamer.bewoners-mee", "tafel.samen-aan-tafel", "aanbod.bindend", "wat-blijft.vereniging",
       "overdracht.sleutel"]

# The same organising without any confrontation: a close neighbourhood without a fist.
NO_PRESSURE = MIX[:11] + ["naar-buiten.ontbijt", "reactie.eigen-verhaal", "achterkamer.bewoners-mee",
                          "tafel.samen-aan-tafel", "aanbod.voorleggen", "wat-blijft.vereniging", "overdracht.sleutel"]

# Mobilising without organising: the report goes out through the activists, nobody catches the anger.
UNORGANISED = ["aankomst.infoavond", "infoavond.vragenlijst", "kiezen.dicht", "meten.extra-meting",
               "buurtfonds.aannemen", "kerngroep.voorzitten", "activisten.laten-leiden", "overgenomen.aandacht-helpt",
               "vakbond.gezamenlijke-eis", "ouders.petitie", "lek.activisten-pers"]


@pytest.fixture(scope="module")
def story() -> Story:
    return Story(load_scenario(PATH))



def test_the_scenario_validates_without_problems():
    assert_validates_cleanly(PATH)


@pytest.mark.parametrize("seed", range(4))
def test_a_thoughtful_mix_lands_in_the_movement_quadrant(story, seed):
    s, _ = play(story, MIX, seed)
    assert s.finished and s.state == "kanaalakkoord"
    assert score(s).archetype.id == "beweging"


def test_organising_without_pressure_stays_a_close_community(story):
    s, _ = play(story, NO_PRESSURE)
    assert s.state == "hechte-buurt"
    assert score(s).archetype.id == "gemeenschap"


def test_the_leak_tips_where_residents_are_organised(story):
    s, steps = play(story, MIX[:11])
    assert s.play.tipped == {"kantelpunt"}
    tip = [n for n in steps[-1].notes if n.kind == "tip"]
    assert [n.source for n in tip] == ["kantelpunt"]
    assert tip[0].meters["achterban"] > 0 and tip[0].meters["tegenmacht"] > 0


def test_the_same_shock_fizzles_without_an_organised_base(story):
    s, steps = play(story, UNORGANISED)
    assert s.play.tipped == {"sist-uit"}
    assert [n.source for n in steps[-1].notes if n.kind == "tip"] == ["sist-uit"]


def test_quietly_handing_over_the_report_is_no_shock_at_all(story):
    s, _ = play(story, MIX[:10] + ["lek.stil-inspectie", "stilte.wachten"])
    assert not s.play.tipped
    assert s.state == "achterkamer"


def test_the_neighbourhood_fund_brings_a_gag_clause_three_turns_later(story):
    keys = ["aankomst.deuren", "hanneke.vraag-belang", "youssef.samen-tafel", "kiezen.stof", "meten.plakstroken",
            "buurtfonds.aannemen", "kerngroep.rollen", "activisten.op-voorwaarden", "vakbond.gedeelde-lucht"]
    s, steps = play(story, keys)
    landed = [i for i, st in enumerate(steps) for n in st.notes
              if n.kind == "later" and n.cause == "choice:buurtfonds.aannemen"]
    assert landed == [keys.index("buurtfonds.aannemen") + 3]


def test_dependence_locks_going_to_the_press_and_says_why(story):
    keys = ["aankomst.infoavond", "infoavond.vragenlijst", "kiezen.klankbord", "klankbordgroep.notuleren",
            "meten.extra-meting", "buurtfonds.aannemen", "kerngroep.startsubsidie", "activisten.afstand",
            "vakbond.banen-buiten", "ouders.directie-regelen"]
    s, _ = play(story, keys)
    assert s.state == "lek" and s.meters["afhankelijkheid"] >= 65
    locked = {o.choice.id: o for o in s.offered() if not o.available}
    assert "zelf-krant" in locked
    assert "afhankelijk" in locked["zelf-krant"].reason.get("nl")
    assert "zelf-krant" not in {c.id for c in s.available()}


def test_pure_strategies_end_where_the_theory_says():
    report = simulate(PATH, runs=200, seed=3, strategies=["polderen", "confrontatie", "coalitie"])
    runs = report["runs"]
    polder = report["strategies"]["polderen"]["endings"]
    confront = report["strategies"]["confrontatie"]["endings"]
    coalition = report["strategies"]["coalitie"]["endings"]
    assert polder["opgeslokt"] / runs >= 0.8  # dependence and co-optation
    assert confront["uitgeput"] / runs >= 0.8  # exhaustion
    assert coalition["kanaalakkoord"] / runs < 0.25  # allies without pressure rarely move Norvane
