"""The play of a session the window and the terminal share (game.play.controller)."""
from __future__ import annotations

import json

import pytest

from game.errors import TegenmachtError
from game.play.controller import Play, moments
from game.play.engine import Session
from game.scenario.problems import EngineError


def played_with_event(story):
    """A game whose second choice fires an event (the example: protest -> tegenreactie)."""
    s = Session(story, seed=7)
    p = Play(s)
    p.choose(s.available()[0])
    step, cards = p.choose(next(c for c in s.available() if c.id == "protest"))
    return s, step, cards


def test_the_cards_of_a_turn_are_the_coach_then_each_event_with_its_own_changes(story):
    s, step, cards = played_with_event(story)
    assert [c.kind for c in cards] == ["coach"] + ["event"] * len(step.events) and step.events
    event_notes = {n.source: n.meters for n in step.notes if n.kind == "event"}
    for card in cards[1:]:
        assert card.changes == {k: v for k, v in event_notes[card.source].items() if v}
    total = {}
    for card in cards:
        for k, v in card.changes.items():
            total[k] = total.get(k, 0) + v
    assert total == {k: v for k, v in step.changes.items() if v}  # the cards add up to the turn
    assert cards[0].source == step.key and cards[0].tags == tuple(story.scenario.choice(step.key).tags)


def test_a_restored_game_shows_the_same_cards(story):
    s, step, cards = played_with_event(story)
    again = Session.from_json(story, json.loads(json.dumps(s.to_json())))
    assert moments(again.scenario, again.history[-1]) == cards


def test_a_choice_not_on_offer_is_refused(story):
    s = Session(story, seed=1)
    other = next(c for c in story.scenario.all_choices() if c.scene != s.state)
    with pytest.raises(EngineError):
        Play(s).choose(other)


class Store:
    def __init__(self, fail=None):
        self.fail, self.calls = fail, []

    def autosave(self, session, path, slot=None):
        if self.fail:
            raise self.fail
        self.calls.append(("autosave", path, slot))

    def record_finished(self, session, path, replay=False, background=False):
        self.calls.append(("finished", replay, background))
        return "recorded"

    def record_abandoned(self, session, path, replay=False, background=False):
        self.calls.append(("abandoned", replay, background))
        return "recorded"


def test_saving_and_recording_go_to_the_store_and_failures_come_back(story):
    s = Session(story, seed=2)
    store = Store()
    p = Play(s, store, "voorbeeld.yaml", slot="autosave-voorbeeld")
    assert p.record() is None  # nothing chosen yet: nothing to keep
    p.choose(s.available()[0])
    assert p.autosave() is None and store.calls[-1] == ("autosave", "voorbeeld.yaml", "autosave-voorbeeld")
    assert p.record(background=True) == "recorded" and store.calls[-1] == ("abandoned", False, True)
    while not s.finished:
        p.choose(s.available()[0])
    p.record()
    assert store.calls[-1] == ("finished", False, False)
    err = TegenmachtError("schijf vol")
    assert Play(s, Store(fail=err), "x.yaml").autosave() is err
    assert Play(s, None, "x.yaml").autosave() is None and Play(s, Store(), None).autosave() is None


def test_going_back_marks_what_follows_as_a_replay(story):
    s = Session(story, seed=2)
    p = Play(s)
    p.choose(s.available()[0])
    p.choose(p.session.available()[0])
    assert not p.replayed
    back = p.rewind(1)
    assert p.session is back and back.turns == 1
    p.choose(back.available()[-1])
    assert p.replayed
