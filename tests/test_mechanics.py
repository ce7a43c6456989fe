"""The theory as mechanics: tag rules, motive responses, late consequences, drift,
tipping points, uncertain outcomes, locked choices, endings that name their outcome,
the debrief, and the checker/simulator following all of them."""
from __future__ import annotations

import json
import random
import textwrap

import pytest

from game import cli
from game.tools.check import check
from game.play.debrief import Debrief, turn_lines
from game.play.engine import Session, Story
from game.scenario.rules import NEVER, ConditionSyntaxError, parse_change, parse_condition
from game.play.scoring import score
from game.tools.simulate import simulate
from game.scenario.state import PlayState
from game.play.turn import take
from game.scenario.validate import validate_text

OFF = """
tag_rules: {polderen: {}, coalitie: {}, confrontatie: {}, organiseren: {}, mobiliseren: {}, overnemen: {}}
responses: {affectief: {}, instrumenteel: {}, moreel: {}}
meters:
  achterban: {drift: false}
  energie: {drift: false}
"""


def build(body: str, rules_off: bool = True):
    head = "id: t\ntitle: T\n" + (OFF if rules_off else "")
    text = head + textwrap.dedent(body)
    if rules_off and "\nmeters:" in textwrap.dedent(body):
        raise AssertionError("give meters through OFF's block in these tests")
    rep = validate_text(text, "t.yaml")
    assert rep.ok, [p.render() for p in rep.errors]
    return rep.scenario


def problems(text: str) -> list[tuple[str, str, int, int]]:
    rep = validate_text("id: t\ntitle: T\n" + textwrap.dedent(text), "t.yaml")
    return [(p.level, p.code, p.line, p.column) for p in rep.problems]


TWO = """
scenes:
  a:
    text: s
    choices:
      - {id: x, text: X, strategy: STRAT, agency: AGENCY, next: b}
      - {id: y, text: Y, next: b}
  b:
    text: s
    choices:
      - {id: z, text: Z, next: end}
endings:
  e: {title: E, text: e}
"""


def two(strategy="polderen", agency="organiseren", rules_off=False, extra=""):
    return build(TWO.replace("STRAT", strategy).replace("AGENCY", agency) + extra, rules_off)


# ---------------------------------------------------------------------------- tag rules
def test_default_tag_rules_apply_on_top_of_a_choices_own_effects():
    sc = two("polderen", "overnemen")
    s = Story(sc).new_session(seed=1)
    step = s.choose("x")
    # polderen: afhankelijkheid +3, relatie +2; overnemen: eigenaarschap -4, relatie +1, tegenmacht +1
    assert step.changes["afhankelijkheid"] == 3
    assert step.changes["relatie"] == 3
    assert step.changes["eigenaarschap"] == -4
    assert step.changes["tegenmacht"] == 1
    assert {n.source for n in step.notes if n.kind == "tag"} == {"polderen", "overnemen"}
    # the untagged choice gets no tag rule
    s2 = Story(sc).new_session(seed=1)
    assert not [n for n in s2.choose("y").notes if n.kind == "tag"]


def test_overnemen_costs_ownership_later_and_says_where_it_came_from():
    sc = build("""
    scenes:
      a: {text: s, choices: [{id: x, text: X, agency: overnemen, next: b}]}
      b: {text: s, choices: [{id: x, text: X, next: c}]}
      c: {text: s, choices: [{id: x, text: X, next: d}]}
      d: {text: s, choices: [{id: x, text: X, next: end}]}
    endings:
      e: {title: E, text: e}
    """, rules_off=False)
    s = Story(sc).new_session(seed=1)
    for _ in range(3):
        step = s.choose("x")
        assert not [n for n in step.notes if n.kind == "later"]
    step = s.choose("x")  # three turns after the takeover
    late = [n for n in step.notes if n.kind == "later"]
    assert len(late) == 1 and late[0].cause == "tag:overnemen" and late[0].turn == 1
    assert late[0].meters["eigenaarschap"] == -2
    d = Debrief.of(s)
    assert d.late and d.late[0].cause_turn == 1 and "overnemen" in d.late[0].cause.nl


def test_an_author_overrides_or_switches_off_a_tag_rule():
    sc = two("polderen", "organiseren", extra="""
tag_rules:
  polderen: {effects: {relatie: 7}}
  organiseren: {}
""")
    step = Story(sc).new_session(seed=1).choose("x")
    assert step.changes.get("relatie") == 7 and "afhankelijkheid" not in step.changes
    assert "eigenaarschap" not in step.changes  # organiseren switched off


def test_count_share_and_since_read_the_tags_played():
    sc = two("confrontatie", "mobiliseren", rules_off=True)
    p = PlayState.start(sc)
    since = parse_condition("since(mobiliseren) == 999")
    assert NEVER == 999
    from game.scenario.rules import compile_condition
    assert compile_condition(since)(p)
    share = compile_condition(parse_condition("share(confrontatie) == 0"))
    assert share(p)  # no choices yet: 0, not a division by zero
    st = Story(sc)
    s = st.new_session(seed=1)
    s.choose("x")
    assert s.counts["confrontatie"] == 1 and s.counts["polderen"] == 0
    assert compile_condition(parse_condition("share(confrontatie) == 100 and count(mobiliseren) == 1"))(s.play)
    assert compile_condition(parse_condition("since(mobiliseren) == 0"))(s.play)
    s.choose("z")
    assert compile_condition(parse_condition("since(mobiliseren) == 1 and share(confrontatie) == 50"))(s.play)
    assert not compile_condition(parse_condition("share(confrontatie) > 50"))(s.play)


def test_condition_names_and_motives_are_checked():
    base = """
    actors: {kerk: {name: K, motive: moreel}}
    scenes:
      a: {text: s, choices: [{id: x, text: X, if: "COND", next: end}, {id: y, text: Y, next: end}]}
    endings: {e: {title: E, text: e}}
    """
    assert ("error", "unknown-tag", 6, 48) in problems(base.replace("COND", "count(overnemn) > 1"))
    assert ("error", "unknown-motive", 6, 48) in problems(base.replace("COND", "kerk.motive == morel"))
    assert ("error", "unknown-actor", 6, 48) in problems(base.replace("COND", "kerc.motive == moreel"))
    assert ("error", "never-true", 6, 47) in problems(base.replace("COND", "share(polderen) > 100"))
    rep = validate_text("id: t\ntitle: T\n" + textwrap.dedent(base.replace("COND", "count(overnemn) > 1")), "t.yaml")
    assert "bedoel je 'overnemen'" in rep.problems[0].message("nl")
    with pytest.raises(ConditionSyntaxError):
        parse_condition("kerk.motive > moreel")
    with pytest.raises(ConditionSyntaxError):
        parse_condition("kerk.motive == 3")


def test_motive_condition_reads_the_actor_and_negation_flips_it():
    sc = build("""
    actors: {kerk: {name: K, motive: moreel}, club: {name: C, motive: affectief}}
    scenes:
      a: {text: s, choices: [{id: x, text: X, next: end}]}
    endings: {e: {title: E, text: e}}
    """)
    from game.scenario.rules import compile_condition
    p = PlayState.start(sc)
    assert compile_condition(parse_condition("kerk.motive == moreel"))(p)
    assert compile_condition(parse_condition("moreel == kerk.motive"))(p)
    assert not compile_condition(parse_condition("kerk.motive != moreel"))(p)
    assert compile_condition(parse_condition("club.motive != moreel"))(p)


# ---------------------------------------------------------------------------- motives
MOTIVES = """
actors:
  corp: {name: Corp, motive: instrumenteel}
  kerk: {name: Kerk, motive: moreel}
  club: {name: Club, motive: affectief}
  kern: {name: Kern, motive: affectief, responds: false}
"""


def test_the_same_move_lands_differently_by_motive():
    sc = two("confrontatie", "mobiliseren", extra=MOTIVES)
    s = Story(sc).new_session(seed=1)
    s.choose("x")
    stance = {k: v["stance"] for k, v in s.actors.items()}
    # instrumental: pressure without power behind it (tegenmacht < 50) -> -2; moral +3; affective -4 + 1
    assert stance == {"corp": -2, "kerk": 3, "club": -3, "kern": 0}
    lines = turn_lines(sc, s.history[0], "nl")
    assert "Instrumenteel: ziet druk zonder macht erachter — Corp −2 houding" in lines
    assert "Moreel: staat achter een principiële actie — Kerk +3 houding" in lines
    assert not any("Kern " in line for line in lines)  # responds: false


def test_instrumental_actors_move_when_counter_power_makes_it_cost():
    sc = two("confrontatie", "mobiliseren", extra=MOTIVES + "\nmeters: {tegenmacht: {start: 48}}\n")
    s = Story(sc).new_session(seed=1)
    s.choose("x")  # tegenmacht 48 + 2 (tag rule) = 50: the first response entry holds, at its exact limit
    assert s.meters["tegenmacht"] == 50 and s.actors["corp"]["stance"] == 3


def test_other_cell_answers_untagged_choices_and_custom_rows_replace_defaults():
    sc = two(extra=MOTIVES + """
responses:
  moreel:
    polderen: [{if: "relatie >= 99", stance: 50}, {stance: 7, power: -3}]
""")
    s = Story(sc).new_session(seed=1)
    s.choose("y")  # untagged: instrumental 'other' -1; the custom moral row has no 'other'
    assert s.actors["corp"]["stance"] == -1 and s.actors["kerk"]["stance"] == 0
    s = Story(sc).new_session(seed=1)
    s.choose("x")  # polderen + organiseren: moral row is custom: second entry (first does not hold)
    assert s.actors["kerk"] == {"power": 47, "stance": 7}


# ---------------------------------------------------------------------------- drift
def test_supporters_fade_toward_their_start_unless_residents_organised_recently():
    sc = build("""
    meters: {achterban: {start: 15}}
    scenes:
      a: {text: s, choices: [{id: m, text: M, agency: mobiliseren, effects: {achterban: 6}, next: a},
                    {id: o, text: O, agency: organiseren, next: a},
                    {id: w, text: W, next: a}, {id: q, text: Q, next: end}]}
    endings: {e: {title: E, text: e}}
    """, rules_off=False)
    s = Story(sc).new_session(seed=1)
    s.choose("m")  # +6 +4; since(organiseren) = 999 > 2 -> drifts -2
    assert s.meters["achterban"] == 15 + 10 - 2
    s.choose("w")
    assert s.meters["achterban"] == 21
    for _ in range(5):
        s.choose("w")
    assert s.meters["achterban"] == 15  # stops at the start, never below
    s.choose("m")
    s.choose("o")  # organised: no fading for this turn and the next two
    held = s.meters["achterban"]
    s.choose("w")
    s.choose("w")
    assert s.meters["achterban"] == held
    s.choose("w")  # since(organiseren) == 3 > 2: fades again
    assert s.meters["achterban"] == held - 2


def test_energy_recovers_but_never_from_zero():
    sc = build("""
    meters: {energie: {start: 5}}
    scenes:
      a: {text: s, choices: [{id: hard, text: H, effects: {energie: -5}, next: a}, {id: rust, text: R, next: a}]}
    endings:
      op: {title: Op, text: op, if: "energie <= 0", interrupt: true}
      e: {title: E, text: e}
    """, rules_off=False)
    s = Story(sc).new_session(seed=1)
    s.choose("rust")
    assert s.meters["energie"] == 6
    s = Story(sc).new_session(seed=1)
    s.choose("hard")
    assert s.finished and s.ending.id == "op"


def test_drift_validation():
    found = problems("""
meters:
  energie: {drift: {by: 1, toward: 500}}
  achterban: {drift: {by: 1, toward: soms}}
scenes:
  a: {text: s, choices: [{id: x, text: X, next: end}]}
endings: {e: {title: E, text: e}}
""")
    assert ("error", "drift-toward", 5, 36) in found
    assert ("error", "drift-toward", 6, 38) in found


# ---------------------------------------------------------------------------- tipping points
TIP = """
meters:
  onrecht: {label: Onrecht, start: 50}
  achterban: {drift: false}
  energie: {drift: false}
tipping_points:
  - id: kantel
    meter: onrecht
    above: 60
    if: "count(organiseren) >= 1"
    text: kantelt
    effects: {achterban: 20}
  - id: dooft
    meter: onrecht
    above: 60
    if: "count(organiseren) == 0"
    text: dooft
    effects: {onrecht: -15}
scenes:
  a:
    text: s
    choices:
      - {id: org, text: O, agency: organiseren, next: a}
      - {id: schok, text: S, effects: {onrecht: 10}, next: a}
      - {id: bijna, text: B, effects: {onrecht: 9}, next: a}
      - {id: zak, text: Z, effects: {onrecht: -20}, next: a}
      - {id: stop, text: Q, next: end}
endings: {e: {title: E, text: e}}
"""


def test_a_shock_tips_an_organised_base_once_and_fizzles_without_one():
    sc = build(TIP, rules_off=False)
    st = Story(sc)
    s = st.new_session(seed=1)
    s.choose("bijna")  # 59: not crossed
    assert not s.tipped
    s.choose("org")
    s.choose("bijna")  # 68: crossed 60 upward with an organised base
    assert s.tipped == {"kantel"} and s.history[-1].notes[-1].source == "kantel"
    from game.scenario.rules import compile_condition
    assert compile_condition(parse_condition("tipped(kantel) and not tipped(dooft)"))(s.play)
    s.choose("zak")
    s.choose("schok")  # crosses again, but once: true
    assert s.tipped == {"kantel"}
    f = st.new_session(seed=1)
    f.choose("schok")  # exactly 60, from below, nobody organised: fizzles
    assert f.tipped == {"dooft"} and f.meters["onrecht"] == 45


def test_tipping_point_validation():
    assert ("error", "tipping-direction", 5, 5) in problems("""
tipping_points:
  - {id: t, meter: energie, text: x}
scenes:
  a: {text: s, choices: [{id: x, text: X, next: end}]}
endings: {e: {title: E, text: e}}
""".replace("  - {id", "  - {id"))
    found = problems("""
tipping_points:
  - {id: t, meter: energie, above: 0, text: x}
  - {id: u, meter: energi, below: 5, text: x}
scenes:
  a: {text: s, choices: [{id: x, text: X, next: end}]}
endings: {e: {title: E, text: e}}
""")
    assert ("error", "tipping-never", 5, 36) in found
    tip_found = problems("""
tipping_points:
  - {id: kantel, meter: energie, above: 50, text: x}
scenes:
  a: {text: s, choices: [{id: x, text: X, if: "tipped(kantl)", next: end}, {id: y, text: Y, next: end}]}
endings: {e: {title: E, text: e}}
""")
    assert tip_found == [("error", "unknown-tip", 7, 48)]
    assert ("error", "unknown-meter", 6, 20) in found


# ---------------------------------------------------------------------------- uncertain outcomes
OUT = """
scenes:
  a:
    text: s
    choices:
      - id: gok
        text: G
        outcomes:
          - {chance: 0.25, text: raak, effects: {tegenmacht: 10}, next: b}
          - {chance: 0.5, text: half, effects: {tegenmacht: 5}}
          - {text: mis, effects: {energie: -5}, later: {turns: 1, text: nasleep, effects: {relatie: -4}}}
        next: c
  b: {text: s, choices: [{id: x, text: X, next: end}]}
  c: {text: s, choices: [{id: x, text: X, next: end}]}
endings: {e: {title: E, text: e}}
"""


def test_uncertain_outcomes_follow_the_seed_and_their_own_next():
    sc = build(OUT)
    st = Story(sc)
    seen = {}
    for seed in range(200):
        s = st.new_session(seed=seed)
        step = s.choose("gok")
        u = random.Random(seed).random()
        expected = 0 if u < 0.25 else 1 if u < 0.75 else 2
        assert step.outcome == expected
        assert s.state == ("b" if expected == 0 else "c")
        seen[expected] = seen.get(expected, 0) + 1
        if expected == 2:
            later = s.choose("x")
            assert any(n.kind == "later" and n.cause == "outcome:a.gok#2" for n in later.notes)
    assert set(seen) == {0, 1, 2} and 30 < seen[0] < 70


def test_outcome_chances_must_add_up():
    found = problems("""
scenes:
  a:
    text: s
    choices:
      - id: g
        text: G
        next: end
        outcomes:
          - {chance: 0.5, text: a}
          - {text: b, chance: 0.2}
endings: {e: {title: E, text: e}}
""")
    assert ("error", "outcome-chances", 12, 11) in found
    found = problems("""
scenes:
  a:
    text: s
    choices:
      - id: g
        text: G
        next: end
        outcomes:
          - {text: a}
          - {text: b, chance: 0.5}
endings: {e: {title: E, text: e}}
""")
    assert ("error", "outcome-no-chance", 12, 13) in found


# ---------------------------------------------------------------------------- locked choices
LOCK = """
meters: {afhankelijkheid: {start: 60}}
scenes:
  a:
    text: s
    choices:
      - {id: actie, text: A, strategy: confrontatie, if: "afhankelijkheid < 60", show_locked: {nl: "te afhankelijk", en: "too dependent"}, next: end}
      - {id: stil, text: S, if: "afhankelijkheid < 60", next: end}
      - {id: praat, text: P, next: end}
endings: {e: {title: E, text: e}}
"""


def test_locked_choices_are_shown_with_their_reason_and_cannot_be_taken():
    sc = build(LOCK, rules_off=False)
    s = Story(sc).new_session(seed=1)
    options = s.offered()
    assert [(o.choice.id, o.available) for o in options] == [("actie", False), ("praat", True)]
    assert options[0].reason.get("en") == "too dependent"
    assert [c.id for c in s.available()] == ["praat"]
    with pytest.raises(Exception):
        s.choose("actie")
    s.choose("praat")
    d = Debrief.of(s)
    assert [(x.turn, x.choice.nl, x.reason.nl) for x in d.locked] == [(1, "A", "te afhankelijk")]


def test_text_play_shows_locked_choices(tmp_path, capsys, monkeypatch):
    path = tmp_path / "slot.yaml"
    path.write_text("id: t\ntitle: T\n" + textwrap.dedent(LOCK), encoding="utf-8")
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("1\n"))
    assert cli.main(["play", str(path), "--text", "--seed", "1"]) == 0
    out = capsys.readouterr().out
    assert "A [op slot: te afhankelijk]" in out and "Keuzes die op slot zaten" in out


# ---------------------------------------------------------------------------- endings and score
ENDS = """
meters: {tegenmacht: {start: 20}, eigenaarschap: {start: 80}}
scenes:
  a:
    text: s
    choices:
      - {id: op, text: Op, effects: {energie: "=0"}, next: b}
      - {id: klaar, text: K, next: end}
  b: {text: s, choices: [{id: x, text: X, next: end}]}
endings:
  uit: {title: Uit, text: u, if: "energie <= 0", interrupt: true, outcome: {nl: "Uiteengevallen", en: "Fell apart"}}
  goed: {title: Goed, text: g, expect: [beweging]}
"""


def test_a_collapse_is_never_shown_as_a_quadrant_and_a_mismatch_is_named():
    sc = build(ENDS, rules_off=False)
    s = Story(sc).new_session(seed=1)
    s.choose("op")
    sc_ = score(s)
    assert s.ending.id == "uit" and sc_.outcome.name.nl == "Uiteengevallen" and not sc_.mismatch
    assert sc_.archetype.id == "gemeenschap"  # the plot still places the point honestly
    s = Story(sc).new_session(seed=1)
    s.choose("klaar")
    sc_ = score(s)
    assert sc_.archetype.id == "gemeenschap" and sc_.mismatch and sc_.outcome.id == "beweging"
    assert Debrief.of(s).mismatch.nl.startswith("Je score valt in het kwadrant")


def test_check_and_simulate_report_the_mismatch():
    sc = build(ENDS, rules_off=False)
    res = check(sc)
    assert "goed" in res.mismatches and res.mismatch_quadrant["goed"] == "gemeenschap"
    assert res.mismatches["goed"].choices == ["a.klaar"]
    rep = simulate(sc, runs=50, strategies=["random"])
    share = rep["strategies"]["random"]["endings"]["goed"] / 50
    assert rep["strategies"]["random"]["mismatch"] == pytest.approx(share)


def test_validator_warns_when_an_ending_can_never_match_its_quadrant():
    found = problems("""
scenes:
  a: {text: s, choices: [{id: x, text: X, next: end}]}
endings:
  e: {title: E, text: e, if: "tegenmacht < 20", expect: beweging}
  f: {title: F, text: f, if: "tegenmacht >= 50", expect: [held, beweging]}
  g: {title: G, text: g}
""")
    assert ("warning", "expect-impossible", 7, 3) in found
    assert not [p for p in found if p[1] == "expect-impossible" and p[2] == 8]


def test_conditional_debrief_and_questions_refer_to_what_the_player_did():
    sc = two("confrontatie", "overnemen", extra="""
debrief:
  - {if: "count(overnemen) >= 1", text: {nl: "Je nam het over.", en: "You took over."}}
  - {if: "count(overnemen) == 0", text: nooit}
questions:
  - {if: "share(confrontatie) >= 50", text: hoe}
  - vast
""")
    s = Story(sc).new_session(seed=1)
    s.choose("x")
    s.choose("z")
    d = Debrief.of(s)
    assert [t.get("en") for t in d.texts] == ["You took over."]
    assert [q.nl for q in d.questions] == ["hoe", "vast"]
    s = Story(sc).new_session(seed=1)
    s.choose("y")
    s.choose("z")
    d = Debrief.of(s)
    assert [t.nl for t in d.texts] == ["nooit"] and [q.nl for q in d.questions] == ["vast"]


# ---------------------------------------------------------------------------- scaled effects
def test_scaled_effects_round_toward_zero_and_read_actors():
    assert str(parse_change("+achterban/10")) == "+achterban/10"
    c = parse_change("-gemeente.power/20")
    assert (c.op, c.amount, c.ref, c.div) == ("scale", -1, "gemeente.power", 20)

    class S:
        meters = {"achterban": 39}
        actors = {"gemeente": {"power": 59}}
    assert parse_change("+achterban/10").apply(10, 0, 100, S) == 13
    assert c.apply(10, 0, 100, S) == 8
    assert parse_change("+achterban").apply(70, 0, 100, S) == 100  # clamped
    with pytest.raises(ValueError):
        parse_change("+achterban/0")
    found = problems("""
scenes:
  a: {text: s, choices: [{id: x, text: X, effects: {tegenmacht: "+achtrban/10"}, next: end}]}
endings: {e: {title: E, text: e}}
""")
    assert found[0][:2] == ("error", "unknown-meter")


# ---------------------------------------------------------------------------- saves
def test_every_new_field_survives_a_save_round_trip():
    text = "id: t\ntitle: T\n" + textwrap.dedent(OUT).replace("next: c\n", "next: c\n        later: {turns: 2, text: t, effects: {relatie: 1}}\n")
    rep = validate_text(text, "t.yaml")
    assert rep.ok, [p.render() for p in rep.errors]
    st = Story(rep.scenario)
    for seed in range(30):
        s = st.new_session(seed=seed)
        s.choose("gok")
        data = json.loads(json.dumps(s.to_json()))
        r = Session.from_json(st, data)
        assert r.to_json() == s.to_json()
        assert r.play.pending == s.play.pending and r.counts == s.counts and r.history[0].outcome == s.history[0].outcome
        a, b = s.choose("x"), r.choose("x")
        assert a.to_json() == b.to_json() and r.to_json() == s.to_json()


def test_damaged_new_fields_are_save_errors():
    from game.scenario.problems import SaveError
    sc = build(OUT)
    st = Story(sc)
    s = st.new_session(seed=3)
    s.choose("gok")
    good = s.to_json()
    for damage in (lambda d: d["play"].update(turns=-1), lambda d: d["play"]["counts"].update(polderen=5),
                   lambda d: d["play"].update(pending=[[9, "choice:nope", 0]]),
                   lambda d: d["play"]["meters"].update(energie=float("inf")),
                   lambda d: d.update(seed=10 ** 5000), lambda d: d.update(format=7)):
        bad = json.loads(json.dumps(good))
        damage(bad)
        with pytest.raises(SaveError):
            Session.from_json(st, bad)


def test_a_first_format_save_is_replayed_under_todays_rules(example, story):
    s = story.new_session(seed=5)
    s.choose("start.een-op-een")
    old = {"format": 1, "scenario": "voorbeeld", "seed": 5, "draws": 0, "state": "overleg",
           "history": [{"scene": "start", "choice": "een-op-een", "next": "overleg", "events": [], "meters": {},
                        "replay": True}]}
    r = Session.from_json(story, old)
    assert r.play.to_json() == s.play.to_json() and r.history[0].replay


# ---------------------------------------------------------------------------- check and simulate follow the rules
def test_check_is_bounded_on_chance_events_and_says_so():
    """16 unconditional 50 % events: 2^16 outcome combinations per step. The cap on
    combinations keeps the search short, and the result says it was cut off."""
    events = "\n".join(f"  - {{id: e{i}, text: t, chance: 0.5, effects: {{relatie: 1}}}}" for i in range(16))
    text = "id: t\ntitle: T\n" + textwrap.dedent("""
    scenes:
      a: {text: s, choices: [{id: x, text: X, next: b}, {id: y, text: Y, next: b}]}
      b: {text: s, choices: [{id: x, text: X, next: a}, {id: z, text: Z, next: end}]}
    endings: {e: {title: E, text: e}}
    events:
    """) + events + "\n"
    rep = validate_text(text, "kans.yaml")
    assert rep.ok, [p.render() for p in rep.errors]
    res = check(rep.scenario, max_combinations=64, time_limit=30)
    assert res.truncated and res.cut == "combinations" and not res.complete
    assert res.steps <= 64 * 2 * res.expanded
    assert res.endings["e"] > 0
    assert all("misschien toch bereikbaar" in m.reason[0] for m in res.missing)


def test_check_proves_unreachable_only_after_a_complete_search():
    sc = build("""
    scenes:
      a: {text: s, choices: [{id: x, text: X, if: "turns >= 1", next: end}, {id: y, text: Y, next: a}]}
    events:
      - {id: ev, text: t, if: "turns >= 2"}
    endings:
      e: {title: E, text: e}
      f: {title: F, text: f, if: "turns > 5000", interrupt: true}
    """)
    res = check(sc, max_states=500)
    # turns makes every state new: the search is cut off, so nothing is called proven
    assert res.truncated and all("bewezen" not in m.reason[0] for m in res.missing)
    sc2 = build(LOCK, rules_off=False)
    res2 = check(sc2)
    assert res2.complete
    assert [m.id for m in res2.missing] == ["a.actie", "a.stil"]
    assert all("bewezen onbereikbaar" in m.reason[0] for m in res2.missing)


def test_turns_counts_the_choice_just_made_in_events_and_endings():
    sc = build("""
    scenes:
      a: {text: s, choices: [{id: x, text: X, next: a}]}
    events:
      - {id: twee, text: t, if: "turns >= 2"}
    endings:
      drie: {title: D, text: d, if: "turns >= 3", interrupt: true}
    """)
    s = Story(sc).new_session(seed=1)
    assert s.choose("x").events == []
    assert s.choose("x").events == ["twee"]  # after the second choice, not the third
    s.choose("x")
    assert s.finished and s.turns == 3
    res = check(sc)  # a scenario with 'turns' in its conditions: no traceback, every item reached
    assert res.ok and res.endings["drie"] == 1


def test_simulate_reports_mix_mismatch_and_the_within_tag_verdict(example):
    rep = simulate(example, runs=60, seed=2)
    for name, r in rep["strategies"].items():
        assert set(r["mix"]) == {"polderen", "coalitie", "confrontatie", "organiseren", "mobiliseren", "overnemen"}
        assert 0 <= r["mismatch"] <= 1
    assert rep["strategies"]["polderen"]["mix"]["polderen"] > rep["strategies"]["confrontatie"]["mix"]["polderen"]
    b = rep["balance"]
    assert set(b["within"]) == {"polderen", "coalitie", "confrontatie"}
    assert b["within"]["coalitie"]["mean"] == rep["strategies"]["best-coalitie"]["total"]["mean"]
    assert b["best_path"]["choices"][0].startswith("start.")
    assert b["ok"] == all(m["margin"] > 0 for m in list(b["pure"].values()) + list(b["within"].values()))


def test_a_simulated_run_is_exactly_the_session_with_its_seed(example, story):
    from game.tools.simulate import Player, play_run, run_seeds
    for i in range(20):
        session_seed, player_seed = run_seeds(0, "random", i)
        end, path = play_run(story.rules, Player("random", random.Random(player_seed), story.rules), session_seed)
        s = Session.replay(story, session_seed, path)
        assert s.play.to_json() == end.to_json()


def test_no_sequence_of_offered_choices_breaks_a_range_or_the_save(example, story):
    sc = build(TIP, rules_off=False)
    for st in (story, Story(sc), Story(build(OUT, rules_off=False))):
        for seed in range(40):
            rng = random.Random(seed)
            s = st.new_session(seed=seed)
            while not s.finished and s.turns < 25:
                s.choose(rng.choice(s.available()))
                for m in st.scenario.meters.values():
                    assert m.min <= s.meters[m.id] <= m.max
                for a in s.actors.values():
                    assert 0 <= a["power"] <= 100 and -100 <= a["stance"] <= 100
            r = Session.from_json(st, json.loads(json.dumps(s.to_json())))
            assert r.to_json() == s.to_json()
            p = PlayState.start(st.scenario)
            assert p.turns == 0 and take is not None


def test_the_window_debrief_shows_the_previous_attempt(example_path, tmp_path, monkeypatch):
    """Two games of the example: the second's debrief names the first's score (from the records)."""
    pytest.importorskip("pygame")
    monkeypatch.setenv("TEGENMACHT_HOME", str(tmp_path))
    from game.ui.app import App
    app = App(size=(1280, 720), seed=3)
    app.start(str(example_path))
    assert app.previous is None
    for key in ("start.een-op-een", "overleg.subsidie", "actie.bewoners-aan-tafel"):
        app.session.choose(key)
    app.store.record_finished(app.session, str(example_path))
    app.store.wait(5)
    first = score(app.session)
    app.start(str(example_path))
    assert app.previous is not None
    assert (app.previous.tegenmacht, app.previous.eigenaarschap) == (first.tegenmacht, first.eigenaarschap)
    for key in ("start.een-op-een", "overleg.coalitie", "actie.bewoners-aan-tafel"):
        app.session.choose(key)
    d = app.debrief()
    assert d.previous == app.previous and any(line.strip().startswith("Vorige poging") for line in d.lines("nl"))


def test_an_internal_failure_is_one_sentence_not_a_traceback(monkeypatch, capsys, example_path):
    import game.tools.check
    monkeypatch.delenv("TEGENMACHT_DEBUG", raising=False)
    monkeypatch.setattr(game.tools.check, "check", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("kapot")))
    assert cli.main(["check", str(example_path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error" in err and "not in your input" in err
    assert "Traceback" not in err
    monkeypatch.setenv("TEGENMACHT_DEBUG", "1")
    with pytest.raises(RuntimeError):
        cli.main(["check", str(example_path)])
