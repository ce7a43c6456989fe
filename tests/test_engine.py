"""The engine: choosing, conditions, events, endings, saving, replay."""
from __future__ import annotations

import copy
import json
import random

import pytest

from game.play.engine import Session, Story
from game.scenario.problems import EngineError, SaveError
from game.scenario.validate import validate_text

# The engine's own mechanics, one at a time: the default rules (tag rules, drift,
# motive responses) are switched off here; test_mechanics.py tests those.
MOTOR = """
id: motor
title: Motor
tag_rules: {confrontatie: {}}
meters:
  energie: {start: 20, drift: false}
  achterban: {drift: false}
actors:
  gemeente: {name: Gemeente, power: 50, stance: 0, responds: false}
scenes:
  start:
    text: Begin.
    choices:
      - id: rust
        text: Rust
        effects: {energie: 10}
        next: midden
      - id: ren
        text: Ren
        effects: {energie: -20}
        next: midden
      - id: geheim
        text: Alleen met macht
        if: "tegenmacht >= 50"
        next: midden
  midden:
    text: Midden.
    choices:
      - id: druk
        text: Zet druk
        strategy: confrontatie
        effects: {tegenmacht: 40}
        actors: {gemeente: {stance: -30, power: "%-50"}}
        next: end
      - id: hard
        text: Zet hard druk
        effects: {tegenmacht: 40, relatie: -30}
        next: end
      - id: wacht
        text: Wacht
        next: end
      - id: terug
        text: Terug
        next: start
events:
  - id: zeker
    text: Altijd, eenmaal.
    if: "visited(midden)"
    effects: {achterban: 5}
  - id: herhaal
    text: Elke keer.
    once: false
    if: "visited(midden)"
    effects: {achterban: 1}
  - id: kans
    text: Soms.
    chance: 0.5
    once: false
    effects: {afhankelijkheid: 1}
  - id: nooit
    text: Nooit.
    chance: 0
endings:
  op:
    title: Op
    if: "energie <= 0"
    interrupt: true
    text: Op.
  eerste:
    title: Eerste
    if: "tegenmacht >= 50 and relatie >= 40"
    text: Eerste.
  sterk:
    title: Sterk
    if: "tegenmacht >= 50"
    text: Sterk.
  zwak:
    title: Zwak
    text: Zwak.
"""


def build(text: str) -> Story:
    report = validate_text(text)
    assert report.scenario is not None, [p.render() for p in report.problems]
    return Story(report.scenario)


@pytest.fixture(scope="module")
def motor() -> Story:
    return build(MOTOR)


# -- choosing ---------------------------------------------------------------

def test_new_session_starts_at_the_start(story):
    s = story.new_session(seed=1)
    assert s.state == "start" and s.scene.id == "start" and s.ending is None and not s.finished
    assert s.meters == s.start_meters and s.meters["energie"] == 30 and s.meters["onrecht"] == 30
    assert s.actors == {"gemeente": {"power": 80, "stance": -20}, "kerngroep": {"power": 15, "stance": 80},
                        "moskee": {"power": 30, "stance": 10}}
    assert s.turns == 0 and s.history == [] and s.visited == {"start"}


@pytest.mark.parametrize("how", [1, "een-op-een", "start.een-op-een", "object"])
def test_choose_by_number_id_key_or_object(story, how):
    s = story.new_session(seed=0)  # onrecht drifts back to 38 before the events: 'buurtapp' (>= 40) does not hold
    if how == "object":
        how = s.available()[0]
    step = s.choose(how)
    assert step.scene == "start" and step.choice == "een-op-een" and step.next == "overleg"
    assert s.state == "overleg" and s.chosen == {"start.een-op-een"}
    # eigenaarschap 20 %+20 -> 20 + int(80 * 0.2) = 36, organiseren +2; onrecht 30 + 10, drift -2 toward 30;
    # energie 30 - 5, organiseren -2, drift +1
    assert s.meters["eigenaarschap"] == 38 and s.meters["onrecht"] == 38 and s.meters["energie"] == 26
    assert step.changes == {"eigenaarschap": 18, "onrecht": 8, "energie": -4}
    assert s.last_changes == step.changes and step.meters == s.meters
    assert s.actors["kerngroep"]["power"] == 25 and s.draws == 0 and step.events == []


@pytest.mark.parametrize("bad", [0, 3, -1, "bestaatniet", "overleg.subsidie", "start.bestaatniet"])
def test_a_choice_that_is_not_offered_raises(story, bad):
    s = story.new_session(seed=1)
    with pytest.raises(EngineError):
        s.choose(bad)
    assert s.state == "start" and s.turns == 0 and s.meters == s.start_meters


def test_true_is_not_choice_number_one(story):
    s = story.new_session(seed=1)
    with pytest.raises(EngineError):
        s.choose(True)


def test_a_choice_object_from_another_scene_is_refused(story):
    s = story.new_session(seed=1)
    other = story.scenario.scenes["overleg"].choices[0]
    with pytest.raises(EngineError):
        s.choose(other)


def test_conditions_hide_choices(story):
    s = story.new_session(seed=1)
    s.choose("mail")  # eigenaarschap 20 - 10 = 10: coalitie needs >= 25
    assert [c.id for c in s.available()] == ["subsidie", "protest"]
    with pytest.raises(EngineError):
        s.choose("coalitie")
    s = story.new_session(seed=1)
    s.choose("een-op-een")
    assert [c.id for c in s.available()] == ["subsidie", "coalitie", "protest"]
    # the numbers follow what is offered
    assert s.choose(2).choice == "coalitie"


def test_hidden_choice_in_motor(motor):
    s = motor.new_session(seed=1)
    assert [c.id for c in s.available()] == ["rust", "ren"]


def test_no_choices_after_the_end(story):
    s = story.new_session(seed=1)
    s.choose("mail")
    s.choose("subsidie")
    s.choose("zelf-gaan")
    assert s.finished and s.scene is None and s.available() == []
    with pytest.raises(EngineError):
        s.choose(1)


def test_machine_error_is_wrapped(story):
    s = story.new_session(seed=1)
    with pytest.raises(EngineError):
        story.fire(s, "overleg__subsidie")  # a trigger that does not start in 'start'
    with pytest.raises(EngineError):
        story.fire(s, "no-such-trigger")


# -- events -------------------------------------------------------------------

def test_events_fire_once_or_every_time(motor):
    s = motor.new_session(seed=5)
    step = s.choose("rust")
    assert step.events[:2] == ["zeker", "herhaal"]
    s.choose("terug")
    step = s.choose("rust")
    assert "zeker" not in step.events and "herhaal" in step.events
    assert "nooit" not in s.fired
    assert {e.id for e in s.last_events} == set(step.events)


@pytest.mark.parametrize("seed", range(40))
def test_chance_is_drawn_from_the_seeded_rng(motor, seed):
    s = motor.new_session(seed=seed)
    step = s.choose("rust")
    # zeker and herhaal have chance 1 (no draw), kans draws once, nooit (chance 0) never draws
    expected = random.Random(seed).random() < 0.5
    assert ("kans" in step.events) == expected
    assert s.draws == 1


def test_chance_fires_about_half_the_time(motor):
    fired = sum("kans" in motor.new_session(seed=seed).choose("rust").events for seed in range(400))
    assert 140 < fired < 260


def test_event_effects_and_history(motor):
    s = motor.new_session(seed=3)
    step = s.choose("rust")
    assert s.meters["achterban"] == 15 + 5 + 1
    assert step.changes["achterban"] == 6 and step.changes["energie"] == 10


# -- endings ------------------------------------------------------------------

def test_interrupt_ending(motor):
    s = motor.new_session(seed=1)
    step = s.choose("ren")  # energie 20 - 20 = 0
    assert s.finished and s.state == "op" and s.ending.id == "op" and step.next == "op"
    assert s.history[-1].next == "op"


def test_next_end_takes_the_first_ending_that_holds(motor):
    s = motor.new_session(seed=1)
    s.choose("rust")
    s.choose("druk")  # tegenmacht 50, relatie 40: 'eerste' and 'sterk' both hold
    assert s.state == "eerste" and s.history[-1].next == "eerste"
    s = motor.new_session(seed=1)
    s.choose("rust")
    s.choose("hard")  # relatie 10: only 'sterk'
    assert s.state == "sterk"


def test_next_end_falls_back_to_the_last_ending(motor):
    s = motor.new_session(seed=1)
    s.choose("rust")
    s.choose("wacht")
    assert s.state == "zwak" and s.finished


def test_last_ending_is_fallback_even_with_a_condition():
    text = MOTOR.replace("  zwak:\n    title: Zwak\n", "  zwak:\n    title: Zwak\n    if: \"tegenmacht >= 99\"\n")
    st = build(text)
    s = st.new_session(seed=1)
    s.choose("rust")
    s.choose("wacht")
    assert s.state == "zwak"


def test_actor_effects_are_clamped_and_fairmath(motor):
    s = motor.new_session(seed=1)
    s.choose("rust")
    s.choose("druk")
    assert s.actors["gemeente"] == {"power": 25, "stance": -30}


# -- saving, restoring, replay ------------------------------------------------

def play(story: Story, seed: int, keys: list[str]) -> Session:
    s = story.new_session(seed=seed)
    for k in keys:
        s.choose(k)
    return s


def test_same_seed_and_choices_give_the_same_session(motor, story):
    keys = ["start.rust", "midden.terug", "start.rust", "midden.terug", "start.rust", "midden.wacht"]
    for seed in range(10):
        assert play(motor, seed, keys).to_json() == play(motor, seed, keys).to_json()
        assert Session.replay(motor, seed, keys).to_json() == play(motor, seed, keys).to_json()
    a = play(story, 7, ["start.een-op-een", "overleg.protest", "actie.bewoners-aan-tafel"])
    assert a.to_json() == play(story, 7, a.choice_keys()).to_json()


def test_to_json_is_json(motor):
    s = play(motor, 2, ["rust", "terug", "rust"])
    data = s.to_json()
    assert json.loads(json.dumps(data)) == data
    assert data["format"] == 2 and data["scenario"] == "motor" and data["seed"] == 2


def test_save_restore_round_trip(motor):
    s = play(motor, 11, ["rust", "terug", "rust"])
    data = json.loads(json.dumps(s.to_json()))
    r = Session.from_json(motor, data)
    assert r.to_json() == s.to_json()
    assert r.turns == s.turns and r.state == s.state and r.draws == s.draws
    for k in ["terug", "rust", "terug", "rust", "wacht"]:
        s.choose(k)
        r.choose(k)
    assert r.to_json() == s.to_json()


def test_restore_a_finished_session(story):
    s = play(story, 1, ["mail", "subsidie", "zelf-gaan"])
    r = Session.from_json(story, s.to_json())
    assert r.finished and r.ending.id == s.ending.id == "opgeslokt"


def _damaged(story):
    good = play(story, 3, ["mail", "subsidie"]).to_json()  # the grant's late condition is still pending
    assert good["play"]["pending"]

    def change(**kw):
        d = copy.deepcopy(good)
        d.update(kw)
        return d

    def change_play(**kw):
        d = copy.deepcopy(good)
        d["play"].update(kw)
        return d

    drop = copy.deepcopy(good)
    del drop["play"]["meters"]
    history_bad_choice = copy.deepcopy(good)
    history_bad_choice["history"][0]["choice"] = "bestaatniet"
    play_state = good["play"]
    sc = story.scenario  # at most one draw per event and tipping point and one per uncertain choice, per turn
    draw_bound = len(good["history"]) * (len(sc.events) + len(sc.tipping_points) + 1)
    return [
        None, [], "save", 42, {}, {"format": 1}, {"format": 2}, change(play=None), change(play=[]),
        change(format=3), change(scenario="ander"), change(seed="x"), change(seed=2**64), change(seed=-1),
        change(draws=-1), change(draws=10**12), change(draws=draw_bound + 1), change(history=good["history"][:1]),
        change_play(scene="nergens"), change_play(scene=["a"]), change_play(meters=[]),
        change_play(meters={"tegenmacht": 5}), change_play(meters={**play_state["meters"], "tegenmacht": 500}),
        change_play(meters={**play_state["meters"], "tegenmacht": 1.5}),
        change_play(actors={"gemeente": 5}),
        change_play(actors={**play_state["actors"], "gemeente": {"power": 900, "stance": 0}}),
        change_play(turns=5), change_play(turns=-1), change_play(counts={**play_state["counts"], "polderen": 9}),
        change_play(pending=[[9, "choice:overleg.bestaatniet", 0]]), change_play(pending=[[9, "choice:overleg.subsidie", 3]]),
        change_play(pending=[1]), change_play(visited=None),
        change(history=[1]), change(history=[{"scene": "start"}]), drop,
        history_bad_choice,
    ]


def test_damaged_saves_raise_save_error_with_one_sentence(story):
    for bad in _damaged(story):
        with pytest.raises(SaveError) as info:
            Session.from_json(story, bad)
        message = str(info.value)
        assert message and "\n" not in message and "Traceback" not in message, (bad, message)


def test_rewind_marks_replay(story):
    s = play(story, 4, ["een-op-een", "protest", "bewoners-aan-tafel"])
    r = s.rewind(1)
    assert r.turns == 1 and r.state == "overleg" and r.seed == s.seed
    assert r.history[0].to_json() == s.history[0].to_json() and not r.history[0].replay
    step = r.choose("coalitie")
    assert step.replay and r.history[-1].to_json()["replay"] is True
    assert not any(h.replay for h in s.history)  # the original is untouched
    with pytest.raises(EngineError):
        s.rewind(4)
    with pytest.raises(EngineError):
        s.rewind(-1)
    start = s.rewind(0)
    assert start.state == "start" and start.turns == 0 and start.meters == start.start_meters


def test_a_rewound_session_keeps_replaying_after_save_and_restore(story):
    s = play(story, 4, ["een-op-een", "protest", "bewoners-aan-tafel"]).rewind(1)
    r = Session.from_json(story, json.loads(json.dumps(s.to_json())))
    assert s.choose("protest").replay and r.choose("protest").replay
    assert r.to_json() == s.to_json()


def test_the_scenario_is_never_changed(story):
    before = repr(story.scenario)
    play(story, 1, ["een-op-een", "protest", "bewoners-aan-tafel"])
    assert repr(story.scenario) == before


def test_next_end_without_any_final_ending_is_refused_by_the_validator():
    """Only interrupt endings and a `next: end`: play would have nowhere to go, so it is an error."""
    from game.scenario.validate import validate_text

    report = validate_text(MOTOR.split("  eerste:")[0])
    assert report.scenario is None
    assert "no-ending" in [p.code for p in report.errors]


def test_a_scene_whose_choices_are_all_hidden_goes_to_an_ending():
    st = build("""
id: vast
title: T
scenes:
  a:
    text: a
    choices:
      - {text: ga, effects: {energie: -60}, next: b}
  b:
    text: b
    choices:
      - {text: alleen met energie, if: "energie > 50", next: a}
endings:
  rust:
    title: R
    text: r
""")
    s = st.new_session(seed=1)
    s.choose(1)
    assert s.finished and s.ending.id == "rust" and s.history[-1].next == "rust"


def test_an_ending_applies_its_effects_when_reached(story):
    # one-to-ones (energie 30 -3 -2 organiseren +1 rest = 26), the picnic in the rain with seed 0
    # (-12 -3 confrontatie -5 rain +1 rest = 7), preparing residents (-6 -2 organiseren -> 0): the group falls apart
    s = story.new_session(seed=0)
    for key in ("start.een-op-een", "overleg.protest", "actie.bewoners-aan-tafel"):
        s.choose(key)
    assert s.history[1].outcome == 1
    assert s.ending.id == "uitgeput"
    # before the ending: tegenmacht 30, eigenaarschap 58; "%-50" and "%-40" take half and two fifths of the way to 0
    assert s.meters["tegenmacht"] == 15 and s.meters["eigenaarschap"] == 35
    assert s.history[-1].changes["tegenmacht"] == 10 - 15
    ending = s.history[-1].notes[-1]
    assert (ending.kind, ending.source, ending.meters) == ("ending", "uitgeput", {"tegenmacht": -15, "eigenaarschap": -23})


def _ticking(monkeypatch, start=1000.0):
    t = [start]

    def clock():
        t[0] += 1.5
        return t[0]

    monkeypatch.setattr(Session, "clock", staticmethod(clock))


def test_each_step_keeps_when_it_was_chosen_and_the_class_vote(motor, monkeypatch):
    _ticking(monkeypatch)
    s = Session(motor, seed=4)
    assert s.started == 1001.5
    s.choose("rust")
    s.choose("terug", votes={"terug": 12, "wacht": 0})
    assert [h.at for h in s.history] == [1003.0, 1004.5]
    assert s.history[0].votes is None and s.history[1].votes == {"terug": 12, "wacht": 0}
    r = Session.from_json(motor, json.loads(json.dumps(s.to_json())))
    assert r.started == 1001.5
    assert [(h.at, h.votes) for h in r.history] == [(1003.0, None), (1004.5, {"terug": 12, "wacht": 0})]
    back = r.rewind(1)
    assert back.started == 1001.5 and back.history[0].at == 1003.0


@pytest.mark.parametrize("bad", [{"at": "noon"}, {"at": True}, {"at": float("nan")}, {"votes": {"a": -1}},
                                 {"votes": {"a": "x"}}, {"votes": ["a"]}])
def test_a_damaged_step_time_or_vote_is_a_save_error(motor, bad):
    data = json.loads(json.dumps(play(motor, 2, ["rust"]).to_json()))
    data["history"][0].update(bad)
    with pytest.raises(SaveError):
        Session.from_json(motor, data)


def test_an_engine_error_is_put_into_words_in_the_language_of_whoever_shows_it(story):
    s = Session(story, seed=1)
    with pytest.raises(EngineError) as err:
        s.choose(99)
    n = len(s.available())
    assert str(err.value) == f"choice 99 is not offered (1..{n})"  # English for logs and tracebacks
    assert err.value.text("nl") == f"keuze 99 wordt niet aangeboden (1..{n})"
    assert err.value.text("en") == str(err.value)
    with pytest.raises(EngineError) as err:
        s.rewind(5)
    assert err.value.text("nl") == "beurt 5 ligt buiten 0..0"
    plain = EngineError("no key")
    assert plain.text("nl") == plain.text("en") == "no key"


# -- the record of a turn, and the edges of choosing ------------------------------------

def test_a_choice_object_whose_condition_fails_is_refused_by_the_machines_guard(story):
    s = story.new_session(seed=1)
    s.choose("mail")  # eigenaarschap drops below what 'coalitie' needs
    coalitie = next(c for c in story.scenario.scenes["overleg"].choices if c.id == "coalitie")
    before = s.to_json()
    with pytest.raises(EngineError) as err:
        s.choose(coalitie)
    assert err.value.key == "engine.not-offered" and s.to_json() == before


def test_choosing_after_the_end_says_the_game_has_ended(story):
    s = story.new_session(seed=3)
    while not s.finished:
        s.choose(1)
    assert s.offered() == [] and s.available() == []
    with pytest.raises(EngineError) as err:
        s.choose(1)
    assert err.value.key == "engine.ended"


def test_a_step_keeps_the_locked_choices_and_compares_by_its_record(story):
    s = play(story, 3, ["een-op-een", "subsidie"])  # dependence 68: the council is shown locked
    step = s.choose("bewoners-aan-tafel")
    assert step.locked == ["actie.raad"] and step.to_json()["locked"] == ["actie.raad"]
    again = type(step).from_json(json.loads(json.dumps(step.to_json())))
    assert again == step and again.notes == step.notes and again.changes == step.changes
    again.votes = {"a": 3}
    assert again != step and step != step.to_json()


def test_the_changes_of_a_turn_count_from_the_meters_it_started_with(motor):
    s = motor.new_session(seed=1)
    s.choose("rust")
    s.play.meters["tegenmacht"] = 45  # moved between turns (a reloaded scenario, a trainer's tool)
    step = s.choose("druk")
    assert step.changes["tegenmacht"] == 40 and s.history[0].meters["tegenmacht"] == 10


def test_last_events_are_those_of_the_last_turn(motor):
    s = motor.new_session(seed=2)
    s.choose("rust")  # arrives in 'midden': zeker and herhaal fire
    assert {"zeker", "herhaal"} <= {e.id for e in s.last_events}
    s.choose("terug")  # back at the start: no event there holds
    s.choose("rust")
    assert "zeker" not in {e.id for e in s.last_events} and "herhaal" in {e.id for e in s.last_events}
    assert s.last_changes == s.history[-1].changes


def test_rewind_to_the_current_turn_is_a_copy_that_goes_on_alike(story):
    s = play(story, 4, ["een-op-een", "protest"])
    r = s.rewind(2)
    assert r.turns == 2 and r.meters == s.meters and r.state == s.state


def test_the_session_shows_its_play_state_and_one_trigger_per_choice(story):
    s = story.new_session(seed=1)
    for name in ("meters", "actors", "visited", "chosen", "fired", "counts", "last", "motives", "pending", "tipped"):
        assert getattr(s, name) is getattr(s.play, name), name
    choices = list(story.scenario.all_choices())
    assert sorted(story.machine.events) == sorted(c.trigger for c in choices)  # no to_<state> triggers
    assert all(story.choice(c.trigger) is c for c in choices)


def test_a_restored_session_draws_the_same_chances_as_the_one_it_was_saved_from(motor):
    s = motor.new_session(seed=5)
    s.choose("rust")
    r = Session.from_json(motor, json.loads(json.dumps(s.to_json())))
    assert r.draws == s.draws > 0
    for key in ("terug", "rust", "terug", "rust", "terug", "rust"):
        assert r.choose(key).events == s.choose(key).events
    assert r.to_json() == s.to_json() and r.draws == s.draws
