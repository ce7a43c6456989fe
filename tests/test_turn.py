"""The turn's own rules at their edges (game/play/turn.py): draws at exact boundaries, effects clamped
after every op, what the log keeps, the order late consequences land in, drift toward a target from
either side, tipping points exactly at their threshold, the first final ending that holds.

Written against the survivors of a mutation run (``bench/mutate.py``)."""
from __future__ import annotations

import dataclasses
import textwrap

import pytest

from game.play.engine import Story
from game.play.turn import Note, Rules, TurnLog, apply_ops, compile_effects, likeliest, pick, take
from game.scenario.model import Effects
from game.scenario.problems import EngineError
from game.scenario.rules import parse_change
from game.scenario.state import PlayState
from game.scenario.validate import validate_text
from game.tools.check import check

OFF = """
tag_rules: {polderen: {}, coalitie: {}, confrontatie: {}, organiseren: {}, mobiliseren: {}, overnemen: {}}
responses: {affectief: {}, instrumenteel: {}, moreel: {}}
"""


def build(body: str, meters: str = "", off: bool = True):
    text = "id: t\ntitle: T\n" + (OFF if off else "") + \
        "meters:\n  achterban: {drift: false}\n  energie: {drift: false}\n" + meters + \
        textwrap.dedent(body)
    rep = validate_text(text, "t.yaml")
    assert rep.ok, [p.render() for p in rep.errors]
    return rep.scenario


def effects(**changes) -> Effects:
    return Effects(meters=tuple((k, parse_change(v)) for k, v in changes.items()))


# ---------------------------------------------------------------------------- draws
def test_pick_at_the_exact_cumulative_boundaries():
    assert pick(0.0, (0.5, 0.5)) == 0
    assert pick(0.4999, (0.5, 0.5)) == 0
    assert pick(0.5, (0.5, 0.5)) == 1  # an event with chance p fires when the number is *below* p
    assert pick(0.3, (0.3, 0.3, 0.4)) == 1
    assert pick(0.95, (0.3, 0.3, 0.3)) == 2  # chances that add up to a little less than 1: the last one
    assert pick(0.99, (0.7, 0.3)) == 1


def test_likeliest_takes_the_first_on_a_tie():
    assert likeliest((0.5, 0.5)) == 0
    assert likeliest((0.9, 0.1)) == 0
    assert likeliest((0.2, 0.5, 0.3)) == 1
    assert likeliest((0.1, 0.3, 0.3, 0.3)) == 1


# ---------------------------------------------------------------------------- effects
SIMPLE = """
scenes:
  a: {text: s, choices: [{id: x, text: X, next: end}]}
endings: {e: {title: E, text: e}}
"""


def test_effects_are_clamped_after_every_op_not_after_the_sum():
    sc = build(SIMPLE)
    rules = Rules(sc)
    s = PlayState.start(sc)
    s.meters["tegenmacht"] = 98
    ops = compile_effects(effects(tegenmacht=5), rules.ranges, part=0) + \
        compile_effects(effects(tegenmacht=-5), rules.ranges, part=1)
    trace: list = []
    apply_ops(s, ops, trace)
    assert s.meters["tegenmacht"] == 95  # 98 + 5 -> 100 (the top), then - 5
    assert trace == [0, "", "tegenmacht", 2, 1, "", "tegenmacht", -5]
    trace = []
    apply_ops(s, ops, trace, base=3)  # 95 -> 100 -> 95: the parts counted from where the log is
    assert trace == [3, "", "tegenmacht", 5, 4, "", "tegenmacht", -5]
    s.meters["tegenmacht"] = 0
    trace = []
    apply_ops(s, compile_effects(effects(tegenmacht=-3), rules.ranges), trace)
    assert s.meters["tegenmacht"] == 0 and trace == []  # nothing changed at the bottom: nothing traced


def test_actor_ops_stand_in_for_the_responding_actor_and_clamp_to_their_own_range():
    sc = build("""
actors: {corp: {name: C, power: 98, stance: -99}, kerk: {name: K, power: 2, stance: 99}}
""" + SIMPLE)
    rules = Rules(sc)
    s = PlayState.start(sc)
    eff = Effects(actors=(("*", "power", parse_change(5)), ("*", "stance", parse_change(-5))))
    trace: list = []
    apply_ops(s, compile_effects(eff, rules.ranges, actor="corp"), trace)
    assert s.actors["corp"] == {"power": 100, "stance": -100}
    assert trace == [0, "corp", "power", 2, 0, "corp", "stance", -1]
    turned = Effects(actors=(("*", "power", parse_change(-5)), ("*", "stance", parse_change(5))))
    apply_ops(s, compile_effects(turned, rules.ranges, actor="kerk"))
    assert s.actors["kerk"] == {"power": 0, "stance": 100}


# ---------------------------------------------------------------------------- the log
def test_a_turn_log_keeps_notes_by_default_and_draws_only_when_asked():
    sc = build("""
events:
  - {id: kans, text: k, chance: 0.5, effects: {relatie: 1}}
scenes:
  a: {text: s, choices: [{id: x, text: X, effects: {tegenmacht: 1}, next: b}]}
  b: {text: s, choices: [{id: y, text: Y, next: end}]}
endings: {e: {title: E, text: e}}
""")
    rules, choice = Rules(sc), sc.scenes["a"].choices[0]
    log = TurnLog()
    take(rules, PlayState.start(sc), choice, lambda ch: 0, log)
    assert [n.kind for n in log.notes] == ["choice", "event"] and log.draws is None and log.held is None
    quiet = TurnLog(notes=False)
    take(rules, PlayState.start(sc), choice, lambda ch: 0, quiet)
    assert quiet.notes is None and quiet.events == ["kans"]
    searching = TurnLog(notes=False, draws=True)
    take(rules, PlayState.start(sc), choice, lambda ch: 1, searching)
    assert searching.held == ["kans"] and searching.draws == [("event:kans", (0.5, 0.5), 1)]
    assert searching.events == []


def test_a_rule_that_changed_nothing_is_still_noted_but_an_empty_choice_is_not():
    sc = build("""
tag_rules: {polderen: {effects: {relatie: 2}, text: overleg}}
events:
  - {id: vol, text: v, effects: {relatie: 5}}
scenes:
  a: {text: s, choices: [{id: x, text: X, strategy: polderen, next: b}]}
  b: {text: s, choices: [{id: y, text: Y, next: end}]}
endings: {e: {title: E, text: e, effects: {relatie: 1}}}
""", meters="  relatie: {start: 100}\n", off=False)
    s = Story(sc).new_session(seed=1)
    step = s.choose("x")
    kinds = [(n.kind, n.source, n.meters) for n in step.notes]
    assert ("tag", "polderen", {}) in kinds and ("event", "vol", {}) in kinds  # fired, at the top already
    assert "choice" not in [k for k, _, _ in kinds]  # the choice itself has no effects: no card line
    assert [(n.kind, n.meters) for n in s.choose("y").notes][-1] == ("ending", {})


def test_only_a_late_consequence_carries_its_cause_and_turn():
    sc = build("""
actors: {corp: {name: C, motive: instrumenteel}}
responses: {instrumenteel: {polderen: {stance: 3}}}
scenes:
  a: {text: s, choices: [{id: x, text: X, strategy: polderen, effects: {tegenmacht: 1},
                          later: {turns: 1, text: later, effects: {relatie: -2}}, next: b}]}
  b: {text: s, choices: [{id: y, text: Y, next: end}]}
endings: {e: {title: E, text: e}}
""", off=False)
    s = Story(sc).new_session(seed=1)
    first = s.choose("x")
    assert [n.to_json() for n in first.notes] == [
        {"kind": "choice", "source": "a.x", "meters": {"tegenmacht": 1}},
        {"kind": "tag", "source": "polderen", "meters": {"afhankelijkheid": 3, "relatie": 2}},
        {"kind": "response", "source": "corp", "actors": {"corp": {"stance": 3}}}]
    landed = [n for n in s.choose("y").notes if n.kind == "later"]
    assert [n.to_json() for n in landed] == [
        {"kind": "later", "source": "choice:a.x/0", "meters": {"relatie": -2}, "cause": "choice:a.x", "turn": 1}]


def test_notes_are_equal_when_their_record_is():
    a = Note("tag", "polderen", meters={"relatie": 2})
    assert a == Note("tag", "polderen", meters={"relatie": 2})
    assert a != Note("tag", "polderen", meters={"relatie": 3})
    assert a != Note("tag", "coalitie", meters={"relatie": 2})
    assert a != {"kind": "tag", "source": "polderen", "meters": {"relatie": 2}}


# ---------------------------------------------------------------------------- responses
def test_a_single_response_with_a_condition_is_tested_every_time():
    sc = build("""
actors: {corp: {name: C, motive: instrumenteel}}
responses: {instrumenteel: {polderen: [{if: "relatie >= 60", stance: 5}]}}
scenes:
  a: {text: s, choices: [{id: x, text: X, strategy: polderen, next: a},
                         {id: hoog, text: H, effects: {relatie: 50}, next: a}, {id: q, text: Q, next: end}]}
endings: {e: {title: E, text: e}}
""", off=False)
    s = Story(sc).new_session(seed=1)
    s.choose("x")  # relatie 40 + 2: the only entry does not hold, the corporation does not answer
    assert s.actors["corp"]["stance"] == 0 and not [n for n in s.history[-1].notes if n.kind == "response"]
    s.choose("hoog")
    s.choose("x")
    assert s.actors["corp"]["stance"] == 5


# ---------------------------------------------------------------------------- late consequences
def test_late_consequences_due_in_the_same_turn_land_in_the_order_they_were_scheduled():
    # The sources sort the other way round (c before z would be wrong), and the queue shrinks in between.
    sc = build("""
scenes:
  z: {text: s, choices: [{id: eerst, text: E, later: [{turns: 1, text: kort, effects: {relatie: 1}},
                                                      {turns: 4, text: een, effects: {tegenmacht: "=10"}}], next: b}]}
  b: {text: s, choices: [{id: w, text: W, next: c}]}
  c: {text: s, choices: [{id: dan, text: D, later: {turns: 2, text: twee, effects: {tegenmacht: "=20"}}, next: d}]}
  d: {text: s, choices: [{id: w, text: W, next: f}]}
  f: {text: s, choices: [{id: w, text: W, next: end}]}
start: z
endings: {e: {title: E, text: e}}
""")
    s = Story(sc).new_session(seed=1)
    s.choose("z.eerst")
    assert [n.source for n in s.choose("b.w").notes if n.kind == "later"] == ["choice:z.eerst/0"]
    for key in ("c.dan", "d.w"):
        s.choose(key)
    step = s.choose("f.w")  # both due in turn 5: the one scheduled first lands first
    assert [n.source for n in step.notes if n.kind == "later"] == ["choice:z.eerst/1", "choice:c.dan/0"]
    assert s.meters["tegenmacht"] == 20


def test_events_and_tipping_points_schedule_their_own_late_consequences():
    sc = build("""
events:
  - {id: brief, text: b, if: "visited(b)", later: {turns: 1, text: gevolg, effects: {relatie: -5}}}
tipping_points:
  - {id: om, meter: tegenmacht, above: 60, text: om, later: {turns: 1, text: na, effects: {achterban: 4}}}
scenes:
  a: {text: s, choices: [{id: x, text: X, effects: {tegenmacht: 20}, next: b}]}
  b: {text: s, choices: [{id: y, text: Y, next: c}]}
  c: {text: s, choices: [{id: z, text: Z, next: end}]}
endings: {e: {title: E, text: e}}
""", meters="  tegenmacht: {start: 50}\n")
    s = Story(sc).new_session(seed=1)
    s.choose("x")
    assert s.tipped == {"om"} and "brief" in s.fired
    step = s.choose("y")
    assert {(n.cause, n.turn) for n in step.notes if n.kind == "later"} == {("event:brief", 1), ("tip:om", 1)}
    assert step.changes == {"relatie": -5, "achterban": 4}


# ---------------------------------------------------------------------------- drift
@pytest.mark.parametrize("start, by, toward, expected", [
    (10, 3, 15, [13, 15, 15]),     # up toward the target, never past it
    (20, 3, 15, [20, 20, 20]),     # above the target already: a drift up does not move it
    (20, 1, 15, [20, 20, 20]),     # (a drift of one as well)
    (20, -3, 15, [17, 15, 15]),    # down toward the target, never past it
    (10, -3, 15, [10, 10, 10]),    # below the target already: a drift down does not move it
    (98, 3, None, [100, 100, 100]),  # no target: up to the top of the range
    (2, -3, None, [0, 0, 0]),      # and down to its bottom
])
def test_drift_toward_a_target_from_either_side(start, by, toward, expected):
    target = "" if toward is None else f", toward: {toward}"
    sc = build("""
scenes:
  a: {text: s, choices: [{id: w, text: W, next: a}, {id: q, text: Q, next: end}]}
endings: {e: {title: E, text: e}}
""", meters=f"  relatie: {{start: {start}, drift: {{by: {by}{target}}}}}\n")
    s = Story(sc).new_session(seed=1)
    seen = []
    for _ in expected:
        s.choose("w")
        seen.append(s.meters["relatie"])
    assert seen == expected


# ---------------------------------------------------------------------------- tipping points
@pytest.mark.parametrize("direction, start, change, fires", [
    ("above: 60", 59, 1, True),    # from below to exactly the threshold
    ("above: 60", 60, 1, False),   # already there: not a crossing
    ("above: 60", 55, 10, True),
    ("below: 40", 41, -1, True),   # from above to exactly the threshold
    ("below: 40", 40, -1, False),
    ("below: 40", 45, 10, False),  # the wrong way
])
def test_a_tipping_point_fires_when_its_meter_crosses_the_threshold_this_turn(direction, start, change, fires):
    sc = build(f"""
tipping_points:
  - {{id: kant, meter: relatie, {direction}, text: k}}
scenes:
  a: {{text: s, choices: [{{id: x, text: X, effects: {{relatie: {change}}}, next: a}}, {{id: q, text: Q, next: end}}]}}
endings: {{e: {{title: E, text: e}}}}
""", meters=f"  relatie: {{start: {start}}}\n")
    s = Story(sc).new_session(seed=1)
    s.choose("x")
    assert (s.tipped == {"kant"}) is fires


SC_ONCE = """
tipping_points:
  - {id: kant, meter: relatie, above: 60, text: k, effects: {achterban: 1}}
scenes:
  a: {text: s, choices: [{id: op, text: O, effects: {relatie: 5}, next: a},
                         {id: neer, text: N, effects: {relatie: -5}, next: a}, {id: q, text: Q, next: end}]}
endings: {e: {title: E, text: e}}
"""


def test_a_tipping_point_that_is_not_once_fires_at_every_crossing():
    sc = build("""
tipping_points:
  - {id: kant, meter: relatie, above: 60, once: false, text: k, effects: {achterban: 1}}
scenes:
  a: {text: s, choices: [{id: op, text: O, effects: {relatie: 5}, next: a},
                         {id: neer, text: N, effects: {relatie: -5}, next: a}, {id: q, text: Q, next: end}]}
endings: {e: {title: E, text: e}}
""", meters="  relatie: {start: 58}\n")
    s = Story(sc).new_session(seed=1)
    for key in ("op", "neer", "op", "op"):
        s.choose(key)
    assert s.meters["achterban"] == 15 + 2  # 58 -> 63 tips, 58, 63 tips again, 68 is no crossing
    once = Story(build(SC_ONCE, meters="  relatie: {start: 58}\n")).new_session(seed=1)
    for key in ("op", "neer", "op", "op"):
        once.choose(key)
    assert once.meters["achterban"] == 15 + 1 and once.tipped == {"kant"}


# ---------------------------------------------------------------------------- endings
@pytest.mark.parametrize("choice, endings, expected", [
    # next: end takes the first final ending that holds, even when later ones hold too
    ("{id: x, text: X, next: end}", """
  eerste: {title: Een, text: e, if: "relatie >= 10"}
  tweede: {title: Twee, text: e, if: "relatie >= 0"}
  rest: {title: Rest, text: e}""", "eerste"),
    # of two interrupting endings that hold, the first wins
    ("{id: x, text: X, effects: {energie: -70}, next: a}", """
  leeg: {title: Leeg, text: l, if: "energie <= 0", interrupt: true}
  moe: {title: Moe, text: m, if: "energie <= 10", interrupt: true}
  e: {title: E, text: e}""", "leeg"),
])
def test_the_first_ending_that_holds_wins(choice, endings, expected):
    sc = build(f"""
scenes:
  a: {{text: s, choices: [{choice}, {{id: q, text: Q, next: end}}]}}
endings:{endings}
""")
    s = Story(sc).new_session(seed=1)
    s.choose("x")
    assert s.ending.id == expected


def test_an_event_or_tipping_point_is_noted_under_its_title_or_else_its_text():
    sc = build("""
events:
  - {id: met, title: Kop, text: lang verhaal, effects: {relatie: 1}}
  - {id: zonder, text: alleen tekst, effects: {relatie: 1}}
tipping_points:
  - {id: om, meter: tegenmacht, above: 20, title: Omslag, text: uitleg}
scenes:
  a: {text: s, choices: [{id: x, text: X, effects: {tegenmacht: 15}, next: b}]}
  b: {text: s, choices: [{id: y, text: Y, next: end}]}
endings: {e: {title: E, text: e}}
""")
    notes = {n.source: n.text.nl for n in Story(sc).new_session(seed=1).choose("x").notes}
    assert notes["met"] == "Kop" and notes["zonder"] == "alleen tekst" and notes["om"] == "Omslag"


def test_a_scenario_without_a_final_ending_stops_with_an_engine_error_not_a_crash():
    sc = build("""
scenes:
  a: {text: s, choices: [{id: x, text: X, next: end}]}
endings:
  op: {title: Op, text: o, if: "energie <= 0", interrupt: true}
  e: {title: E, text: e}
""")
    only_interrupts = dataclasses.replace(sc, endings={"op": sc.endings["op"]})
    with pytest.raises(EngineError) as err:
        take(Rules(only_interrupts), PlayState.start(only_interrupts), only_interrupts.scenes["a"].choices[0],
             lambda ch: 0)
    assert err.value.key == "engine.no-ending"


def test_take_plays_an_equal_copy_of_a_choice_like_the_choice_itself():
    sc = build(SIMPLE.replace("{id: x, text: X, next: end}", "{id: x, text: X, effects: {relatie: 4}, next: end}"))
    rules, choice = Rules(sc), sc.scenes["a"].choices[0]
    own, copied = PlayState.start(sc), PlayState.start(sc)
    take(rules, own, choice, lambda ch: 0)
    take(rules, copied, dataclasses.replace(choice), lambda ch: 0)
    assert own.to_json() == copied.to_json() and own.meters["relatie"] == 44


# ---------------------------------------------------------------------------- check follows the log
def test_check_tells_an_event_that_held_but_never_fired_from_one_that_never_held():
    sc = build("""
events:
  - {id: zelden, text: z, chance: 0.5, effects: {relatie: 1}}
  - {id: nooit, text: n, if: "relatie >= 90", effects: {relatie: 1}}
scenes:
  a: {text: s, choices: [{id: x, text: X, next: b}]}
  b: {text: s, choices: [{id: y, text: Y, next: end}]}
endings: {e: {title: E, text: e}}
""")
    res = check(sc, max_combinations=1)  # only the first plan of draws: the 50 % event never fires
    why = {m.id: m.why for m in res.missing if m.kind == "event"}
    assert why == {"zelden": "event-never", "nooit": "event-condition"}


def test_an_untitled_event_is_named_by_its_text_in_the_debrief():
    from game.play.debrief import Debrief
    sc = build("""
events:
  - {id: krant, text: Een buurman belt de krant, effects: {tegenmacht: 30, eigenaarschap: 20}}
scenes:
  a: {text: s, choices: [{id: x, text: X, next: b}]}
  b: {text: s, choices: [{id: y, text: Y, next: end}]}
endings: {e: {title: E, text: e}}
""")
    s = Story(sc).new_session(seed=1)
    s.choose("x")
    s.choose("y")
    assert any("Een buurman belt de krant (tegenmacht +30" in line for line in Debrief.of(s).lines("nl"))
