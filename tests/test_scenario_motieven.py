"""The story of scenario 'motieven' (Ieder heeft zijn reden): the lessons live in its rules.

- every partner answers a move by its motive: the same confrontation warms the mosque and the church
  (moral), cools the football club and the parents (affective) and, without counter-power behind it,
  the school and the corporation (instrumental);
- one message for all partners brings half-hearted participation two turns later (a late consequence),
  a conversation per motive moves every partner;
- the partner who leads the coalition brings the pitfall of its motive (events on ``ACTOR.motive``);
- the beeper is an injustice shock that tips an organised group and fizzles elsewhere;
- dependence locks the council confrontation, with its reason; pure polderen ends absorbed by policy;
- a balanced mix lands in 'beweging', a coalition without pressure in sham cooperation and harmony.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from game.play.engine import Story
from game.play.scoring import score
from game.tools.simulate import simulate
from game.scenario.validate import load_scenario
from helpers import assert_validates_cleanly, play  # noqa: E402

PATH = Path(__file__).resolve().parent.parent / "scenarios" / "motieven.yaml"

# Listen, one concrete issue, a conversation per motive, the young people chair, accountability in
# public, then the young people and the partners at the table, and stepping back.
MIX = ["start.luisteren", "p1_bankje.een-op-een", "p1_ronde.machtskaart", "p2_kiezen.stemmen", "p2_winkel.feiten",
       "p2_geld.deel", "p3_kern.afspraken", "p3_tafel.per-motief", "p3_gesprek.drie-talen", "p3_trekker.jongeren",
       "p4_actie.buurtgesprek", "p4_buurtgesprek.ja-of-nee", "p5_tafel.met-partners", "p5_bod.proefjaar",
       "p6_blijft.loslaten", "p6_kiki.bespreken"]

# Partners, partners and more partners, but never any pressure.
COALITION = ["start.inloop", "p1_inloop.nummers", "p1_ronde.kennismaken", "p2_kiezen.partners", "p2_winkel.feiten",
             "p2_geld.bedanken", "p3_kern.werving", "p3_tafel.per-motief", "p3_gesprek.drie-talen", "p3_trekker.kees",
             "p4_actie.buurtgesprek", "p4_buurtgesprek.inbreng", "p5_tafel.met-partners", "p5_bod.terug",
             "p6_blijft.alliantie", "p6_kiki.oudergroep"]

# Everything on the funder's terms.
DEPENDENT = ["start.wethouder", "p1_opdracht.aannemen", "p1_ronde.klachten", "p2_kiezen.hangplek",
             "p2_hangplek.inrichten", "p2_geld.aannemen", "p3_kern.stichting", "p3_tafel.via-wethouder",
             "p3_trekker.jij"]

# Much anger, little organising: the beeper hits a group that is not there.
UNORGANISED = ["start.luisteren", "p1_bankje.filmpje", "p1_ronde.klachten", "p2_kiezen.breed", "p2_breed.raad",
               "p2_geld.aannemen", "p3_kern.werving", "p3_tafel.gelijkgestemden", "p3_trekker.jij"]


@pytest.fixture(scope="module")
def story() -> Story:
    return Story(load_scenario(PATH))



def test_the_scenario_validates_without_problems():
    assert_validates_cleanly(PATH)


@pytest.mark.parametrize("seed", range(4))
def test_a_balanced_mix_lands_in_the_movement_quadrant(story, seed):
    s, _ = play(story, MIX, seed)
    assert s.finished and s.state == "sleutel"
    assert score(s).archetype.id == "beweging"
    # every motive moved: the club and the parents, the mosque and the church, and the school
    assert {"club-kantine", "moskee-kerk", "school-gymzaal"} <= s.fired


def test_the_same_confrontation_lands_differently_on_each_motive(story):
    _, steps = play(story, ["start.luisteren", "p1_bankje.filmpje"])
    change = {}
    for n in steps[-1].notes:
        if n.kind == "response":
            for actor, d in n.actors.items():
                change[actor] = change.get(actor, 0) + d.get("stance", 0)
    assert change["moskee"] > 0 and change["kerk"] > 0  # moral: backs an action against injustice
    assert change["voetbalclub"] < 0 and change["ouders"] < 0  # affective: put off by the row
    assert change["school"] < 0 and change["corporatie"] < 0  # instrumental: noise without power
    assert "jongeren" not in change  # the core group does not answer through the table


def test_talks_on_the_funders_terms_warm_interests_and_cool_values(story):
    _, steps = play(story, ["start.wethouder", "p1_opdracht.aannemen"])
    change = {a: d["stance"] for n in steps[-1].notes if n.kind == "response" for a, d in n.actors.items()}
    assert change["school"] > 0 and change["corporatie"] > 0
    assert change["moskee"] < 0 and change["kerk"] < 0


def test_one_message_for_all_brings_half_hearted_partners_two_turns_later(story):
    keys = MIX[:7] + ["p3_tafel.een-boodschap", "p3_trekker.jongeren", "p4_actie.buurtgesprek"]
    s, steps = play(story, keys)
    landed = [i for i, st in enumerate(steps) for n in st.notes
              if n.kind == "later" and n.cause == "choice:p3_tafel.een-boodschap"]
    assert landed == [keys.index("p3_tafel.een-boodschap") + 2]
    per_motive, _ = play(story, MIX[:10])
    one_message, _ = play(story, keys[:9])
    for partner in ("school", "corporatie", "moskee", "kerk", "voetbalclub", "ouders"):
        assert per_motive.actors[partner]["stance"] > one_message.actors[partner]["stance"], partner


@pytest.mark.parametrize("lead, event", [("kees", "trekker-club"), ("geloof", "trekker-geloof"),
                                          ("school", "trekker-school")])
def test_the_partner_who_leads_brings_the_pitfall_of_its_motive(story, lead, event):
    keys = MIX[:9] + [f"p3_trekker.{lead}"]
    s, steps = play(story, keys)
    assert s.state == "p4_actie"
    assert event in steps[-1].events
    others = {"trekker-club", "trekker-geloof", "trekker-school"} - {event}
    assert not others & s.fired


def test_the_beeper_tips_an_organised_group(story):
    s, steps = play(story, MIX[:11])
    assert "piepkastje" in s.fired
    assert s.play.tipped == {"kritische-massa"}


def test_the_same_shock_fizzles_without_an_organised_base(story):
    s, steps = play(story, UNORGANISED)
    assert s.play.tipped == {"boosheid-dooft"}


def test_dependence_locks_the_council_confrontation_and_says_why(story):
    s, _ = play(story, DEPENDENT)
    assert s.state == "p4_actie" and s.meters["afhankelijkheid"] >= 65
    locked = {o.choice.id: o for o in s.offered() if not o.available}
    assert "raad" in locked
    assert "hangt nu te veel af" in locked["raad"].reason.get("nl")


def test_everything_on_the_funders_terms_is_absorbed_by_policy(story):
    s, _ = play(story, DEPENDENT + ["p4_actie.brief", "p4_wachten.herinneren", "p5_tafel.zelf",
                                    "p5_bod.accepteren", "p6_blijft.aanvraag", "p6_kiki.apart-uur"])
    assert s.state == "opgeslokt"
    assert not score(s).mismatch


def test_a_coalition_without_pressure_becomes_sham_cooperation(story):
    s, _ = play(story, COALITION)
    assert "schijnsamenwerking" in s.fired
    assert s.state == "folder" and score(s).archetype.id == "harmonie"


def test_pure_strategies_end_where_the_theory_says():
    report = simulate(PATH, runs=200, seed=3, strategies=["polderen", "confrontatie", "coalitie"])
    runs = report["runs"]
    assert report["strategies"]["polderen"]["endings"]["opgeslokt"] / runs >= 0.8  # co-optation
    assert report["strategies"]["confrontatie"]["endings"]["uitgeput"] / runs >= 0.8  # exhaustion
    assert report["strategies"]["coalitie"]["endings"]["sleutel"] / runs < 0.1  # no key without pressure
