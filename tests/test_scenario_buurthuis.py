"""The story of scenario 'buurthuis' (De sleutel van het buurthuis): the lessons live in its rules.

- self-organisation cannot be forced: a foundation pushed through while ownership is small costs
  energy and volunteers two turns later (a late consequence with a condition on eigenaarschap);
- the start-up grant brings its conditions three turns later (a late consequence);
- dependence locks the protest at the deadline, and says why (a locked choice with its reason);
- the sale plan is an injustice shock that tips only where residents are organised (two tipping points);
- a mix of organising, coalition and well-timed confrontation lands in 'beweging'; organising without
  pressure in 'gemeenschap' (the coalition gets a working group); the institutional route in co-optation.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from game.play.engine import Story
from game.play.scoring import score
from game.tools.simulate import simulate
from game.scenario.validate import load_scenario
from helpers import assert_validates_cleanly, play  # noqa: E402

PATH = Path(__file__).resolve().parent.parent / "scenarios" / "buurthuis.yaml"

# Listen, choose one afternoon, let a core group grow, win allies, act once the group can carry it,
# residents at the table, ask the members for a mandate, then hand over the keys.
MIX = ["sleutel.gesprekken", "deuren.doorvragen", "keukentafel.zij-kiezen", "dinsdag.riet-samira",
       "corporatie-gesprek.sleutelplan", "kopgroep.zelf-vorm", "eigen-vorm.buurtberaad", "bondgenoten.soos-langs",
       "soos-aan-boord.verhalen", "deadline.kopgroep-actie", "actie-voorbereiden.oefenen", "raadszaal.inspreken",
       "na-actie.vieren", "onderhandeling.kopgroep-gaat", "tafel-bewoners.bondgenoten-steunen",
       "terug-naar-buurt.mandaat", "loslaten.sleutel-geven", "eerste-winter.klussers",
       "evaluatie.bewoners-vertellen"]

# The same organising, but the coalition never applies pressure.
NO_PRESSURE = MIX[:9] + ["deadline.open-brief", "open-brief.tribune", "raadszaal.bondgenoten-spreken",
                         "na-actie.vieren", "onderhandeling.kopgroep-gaat", "tafel-bewoners.bondgenoten-steunen",
                         "terug-naar-buurt.mandaat", "loslaten.sleutel-geven", "eerste-winter.klussers",
                         "evaluatie.bewoners-vertellen"]

# On the institution's terms: the municipality's plan, its money, its foundation, its deal.
INSTITUTIONAL = ["sleutel.informatieavond", "informatieavond.drie-namen", "keukentafel.heel-plan",
                 "groot-plan.adviseur", "subsidie-aanbod.tekenen", "kopgroep.stichting-nu",
                 "stichting.statuten-zelf", "bondgenoten.deal", "deal-corporatie.welzijn-tekent",
                 "deadline.uitstel-vragen", "uitstel.tijdelijk-beheer", "onderhandeling.zelf-gaan",
                 "tafel-jij.uitvoeren", "loslaten.opvolger", "eerste-winter.regelen", "evaluatie.zelf-rapport"]

# Anger without an organised base: the paper, a petition, a threat, a public video.
UNORGANISED = ["sleutel.informatieavond", "informatieavond.anton", "keukentafel.handtekeningen", "dinsdag.stoep",
               "corporatie-gesprek.dreigen", "kopgroep.stichting-afwijzen", "bondgenoten.kaart-krant"]


@pytest.fixture(scope="module")
def story() -> Story:
    return Story(load_scenario(PATH))



def test_the_scenario_validates_without_problems():
    assert_validates_cleanly(PATH)


@pytest.mark.parametrize("seed", range(4))
def test_a_thoughtful_mix_lands_in_the_movement_quadrant(story, seed):
    s, _ = play(story, MIX, seed)
    assert s.finished and s.state == "eigen-sleutel"
    assert score(s).archetype.id == "beweging"


def test_organising_without_pressure_stays_a_warm_living_room(story):
    s, _ = play(story, NO_PRESSURE)
    assert "mooie-woorden" in s.play.fired  # the coalition is praised and parked in a working group
    assert s.state == "huiskamer"
    assert score(s).archetype.id == "gemeenschap"


def test_the_institutional_route_ends_in_co_optation(story):
    s, _ = play(story, INSTITUTIONAL)
    assert "ingelijfd-signaal" in s.play.fired  # the warning came first
    assert s.state == "ingelijfd"
    sc = score(s)
    assert sc.outcome.id == "ending:ingelijfd" and not sc.mismatch


def test_a_foundation_forced_too_early_costs_energy_and_volunteers_two_turns_later(story):
    keys = INSTITUTIONAL[:8]
    s, steps = play(story, keys)
    i = keys.index("kopgroep.stichting-nu")
    landed = [(j, n) for j, st in enumerate(steps) for n in st.notes
              if n.kind == "later" and n.cause == "choice:kopgroep.stichting-nu"]
    assert [j for j, _ in landed] == [i + 2]
    note = landed[0][1]
    assert note.meters["energie"] < 0 and note.meters["achterban"] < 0


def test_the_same_foundation_works_once_ownership_has_grown(story):
    keys = MIX[:5] + ["kopgroep.stichting-nu", "stichting.dewi", "bondgenoten.soos-langs"]
    s, steps = play(story, keys)
    landed = [n for st in steps for n in st.notes
              if n.kind == "later" and n.cause == "choice:kopgroep.stichting-nu"]
    assert len(landed) == 1 and landed[0].meters.get("tegenmacht", 0) > 0
    assert "energie" not in landed[0].meters


def test_the_start_up_grant_brings_its_conditions_three_turns_later(story):
    keys = INSTITUTIONAL[:9]
    s, steps = play(story, keys)
    landed = [j for j, st in enumerate(steps) for n in st.notes
              if n.kind == "later" and n.cause == "choice:subsidie-aanbod.tekenen"]
    assert landed == [keys.index("subsidie-aanbod.tekenen") + 3]


def test_dependence_locks_the_protest_and_says_why(story):
    s, _ = play(story, INSTITUTIONAL[:9])
    assert s.state == "deadline" and s.meters["afhankelijkheid"] >= 65
    locked = {o.choice.id: o for o in s.offered() if not o.available}
    assert "protest" in locked
    assert "subsidiegever" in locked["protest"].reason.get("nl")
    assert "protest" not in {c.id for c in s.available()}
    assert "kopgroep-actie" in locked  # and the core group is too loose to carry an action itself


def test_the_sale_plan_tips_where_residents_are_organised(story):
    s, steps = play(story, MIX[:9])  # the ninth choice leads to the deadline, where the sale plan is announced
    assert steps[-1].next == "deadline" and "verkoopplan" in steps[-1].events
    assert s.play.tipped == {"kritieke-massa"}
    tip = [n for n in steps[-1].notes if n.kind == "tip"]
    assert [n.source for n in tip] == ["kritieke-massa"]
    assert tip[0].meters["achterban"] > 0 and tip[0].meters["tegenmacht"] > 0


def test_the_same_shock_fizzles_without_an_organised_base(story):
    s, _ = play(story, UNORGANISED)
    assert s.play.tipped == {"boosheid-zakt"}
    assert "kritieke-massa" not in s.play.tipped


def test_pure_strategies_end_where_the_theory_says():
    report = simulate(PATH, runs=200, seed=3, strategies=["polderen", "confrontatie", "coalitie", "overnemen"])
    runs = report["runs"]
    ends = {k: v["endings"] for k, v in report["strategies"].items()}
    assert ends["polderen"]["ingelijfd"] / runs >= 0.8  # dependence and co-optation
    assert ends["confrontatie"]["uitgeput"] / runs >= 0.8  # exhaustion
    assert ends["coalitie"]["eigen-sleutel"] / runs < 0.1  # allies without pressure get a working group
    assert ends["overnemen"]["eigen-sleutel"] == 0  # doing it for them never builds a movement
