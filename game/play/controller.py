"""The play of one session, the same for every front end.

The window and the terminal both take a choice, show what it did as cards (the coach's card
with the outcome, then one card per event), save the game after every choice, record it when it
ends or is left, and go back to an earlier decision. :class:`Play` does those steps once; a front
end only draws the :class:`Moment` cards and says the sentences in its own way.

The store is passed in (anything with ``autosave``, ``record_finished`` and ``record_abandoned``,
like :class:`game.records.store.Store`), so this layer imports nothing above it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from game.errors import TegenmachtError
from game.play.engine import Session, Step
from game.scenario.model import EMPTY, Choice, Scenario, Text


@dataclass(frozen=True)
class Moment:
    """One card after a choice: the coach's (``kind="coach"``) or an event's (``kind="event"``).

    ``changes`` are the meter changes the card stands for: an event's own (from the turn's notes),
    and for the coach card what the choice did besides its events."""

    kind: str
    title: Text
    text: Text = EMPTY  # the outcome drawn (coach) or what happens (event)
    coach: Text = EMPTY
    theory: Text = EMPTY
    changes: dict[str, int] = field(default_factory=dict)
    tags: tuple[str, ...] = ()  # the choice's tags, shown after the choice, never before it
    source: str = ""  # the choice key or the event id


def moments(scenario: Scenario, step: Step) -> list[Moment]:
    """The cards of the turn ``step`` played: the coach's, then each event that fired, in order
    (from the step alone, so a restored game shows the same cards)."""
    choice = scenario.choice(step.key)
    fired = {n.source: dict(n.meters) for n in step.notes if n.kind == "event"}
    own = dict(step.changes)
    for changes in fired.values():
        for k, v in changes.items():
            own[k] = own.get(k, 0) - v
    outcome = choice.outcomes[step.outcome].text if step.outcome is not None else EMPTY
    coach = choice.coach
    out = [Moment("coach", choice.text, outcome, coach.text if coach else EMPTY, coach.theory if coach else EMPTY,
                  {k: v for k, v in own.items() if v}, tuple(choice.tags), choice.key)]
    by_id = {e.id: e for e in scenario.events}
    for eid in step.events:
        ev = by_id[eid]
        out.append(Moment("event", ev.title or EMPTY, ev.text, ev.coach.text if ev.coach else EMPTY,
                          ev.coach.theory if ev.coach else EMPTY,
                          {k: v for k, v in fired.get(eid, {}).items() if v}, (), eid))
    return out


class Play:
    """A session, where it is saved, and the steps every front end takes with it."""

    def __init__(self, session: Session, store: Any = None, scenario_path: Optional[str] = None,
                 slot: Optional[str] = None):
        self.session = session
        self.store = store
        self.scenario_path = scenario_path
        self.slot = slot  # the autosave slot (None: the store's default)

    @property
    def replayed(self) -> bool:
        """Did the player go back to an earlier decision in this session?"""
        return any(h.replay for h in self.session.history)

    def choose(self, choice: Choice, votes: Optional[dict[str, int]] = None) -> tuple[Step, list[Moment]]:
        """Take ``choice`` (raises :class:`~game.scenario.problems.EngineError` if it is not offered)."""
        step = self.session.choose(choice, votes=votes)
        return step, moments(self.session.scenario, step)

    def autosave(self) -> Optional[BaseException]:
        """Save after a choice; None when saved, else the error (the front end says it in one sentence)."""
        if self.store is None or not self.scenario_path:
            return None
        try:
            if self.slot is None:
                self.store.autosave(self.session, self.scenario_path)
            else:
                self.store.autosave(self.session, self.scenario_path, slot=self.slot)
        except (TegenmachtError, OSError, ValueError) as err:
            return err
        return None

    def record(self, background: bool = False) -> Optional[str]:
        """The session ended, or was left after a choice: keep it with the played sessions, once.
        Returns the store's answer ("recorded", "kept", "started" …) or None when there is nothing to keep."""
        s = self.session
        if self.store is None or not s.history:
            return None
        if s.finished:
            return self.store.record_finished(s, self.scenario_path, replay=self.replayed, background=background)
        return self.store.record_abandoned(s, self.scenario_path, replay=self.replayed, background=background)

    def rewind(self, turn: int) -> Session:
        """Back to decision ``turn`` (0 = the start), same seed; what follows is recorded as a replay."""
        self.session = self.session.rewind(turn)
        return self.session
