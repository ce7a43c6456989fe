"""The engine: a `transitions` state machine per scenario, and the session around a play state.

* :class:`Story` wraps one loaded, read-only :class:`~game.scenario.model.Scenario`:
  its compiled :class:`~game.play.turn.Rules` and **one** ``transitions.Machine``
  (``auto_transitions=False``) that keeps the scene graph: scenes and endings
  are states, every choice is a trigger from its scene to its ``next``, the
  choice's condition is the guard, and the ``after`` callback plays the turn
  with :func:`game.play.turn.take` — the one implementation of the turn rules, which
  also settles outcomes, interrupting endings and ``next: end``.
* :class:`Session` is one playthrough: a :class:`~game.scenario.state.PlayState` plus
  the seeded random generator, the history and the language. It saves to a
  JSON-ready dict with a format version and restores from it; replaying the
  same seed and choices gives the same session, event for event.

The machine's *model* is a session's play state (``model_attribute="scene"``), never
added with ``add_model`` (that would attach a method per trigger to every state);
a turn fires ``machine.events[name].trigger(play, draw, log)``: the guard tests the
choice's condition on the play state, and the ``after`` callback plays the turn
with the session's draw and the turn's log (a :class:`Step`).
"""
from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass
from typing import Any, Iterable, Optional, Sequence

from transitions import Machine, MachineError

from game.scenario.model import END, Choice, Ending, Event, Scenario
from game.perf import no_gc
from game.scenario.problems import EngineError, SaveError
from game.scenario.state import PlayState
from game.play.turn import END_STATE, Note, Rules, TurnLog, pick, take

SAVE_FORMAT = 2
_END_STATE = END_STATE


class Step(TurnLog):
    """What one choice did: the record of a turn (the :class:`~game.play.turn.TurnLog` the
    turn wrote, and where and when it happened), as shown in history and debrief.

    ``meters`` are the meters after the turn; ``changes`` (the meter deltas of the turn)
    and ``notes`` (every rule that fired, with its changes) are worked out from the
    record the first time they are read, so a step costs little to make."""

    __slots__ = ("scene", "choice", "next", "meters", "replay", "locked", "at", "votes", "_changes", "_before")

    def __init__(self, scene: str, choice: str, next: str, events: Optional[list[str]] = None,
                 meters: Optional[dict[str, int]] = None, changes: Optional[dict[str, int]] = None,
                 replay: bool = False, outcome: Optional[int] = None, notes: Optional[list[Note]] = None,
                 locked: Sequence[str] = (), at: Optional[float] = None, votes: Optional[dict[str, int]] = None):
        self.scene, self.choice, self.next = scene, choice, next
        self.events = events if events is not None else []
        self.meters = meters if meters is not None else {}
        self.replay, self.outcome = replay, outcome
        self.locked = locked
        self.at, self.votes = at, votes  # votes: a class vote before the choice (choice id -> votes)
        self._changes, self._before = changes, None
        self.parts = self.trace = self.held = self.draws = None
        self._notes = notes if notes is not None else []

    @classmethod
    def begin(cls, scene: str, choice: str, before: dict[str, int], locked: Sequence[str], replay: bool,
              at: float, votes: Optional[dict[str, int]]) -> "Step":
        """An empty record for a turn about to be played (``before``: the meters now, not copied)."""
        step = cls.__new__(cls)
        step.scene, step.choice, step.next, step.meters = scene, choice, "", before
        step.replay, step.outcome, step.locked, step.at, step.votes = replay, None, locked, at, votes
        step._changes, step._before, step._notes = None, before, None
        step.events, step.parts, step.trace, step.held, step.draws = [], [], [], None, None
        return step

    @property
    def changes(self) -> dict[str, int]:
        """The meter deltas of the turn."""
        if self._changes is None:
            before = self._before or {}
            self._changes = {k: v - before[k] for k, v in self.meters.items() if k in before and v != before[k]}
        return self._changes

    @property
    def notes(self) -> list[Note]:  # type: ignore[override]
        """Every rule that fired in the turn, with its changes."""
        return super().notes or []

    @property
    def key(self) -> str:
        return f"{self.scene}.{self.choice}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Step) and self.to_json() == other.to_json()

    def __repr__(self) -> str:
        return f"Step({self.key!r} -> {self.next!r}, events={self.events!r}, changes={self.changes!r})"

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {"scene": self.scene, "choice": self.choice, "next": self.next,
                             "events": list(self.events), "meters": dict(self.meters), "changes": dict(self.changes)}
        if self.replay:
            d["replay"] = True
        if self.outcome is not None:
            d["outcome"] = self.outcome
        if self.notes:
            d["notes"] = [n.to_json() for n in self.notes]
        if self.locked:
            d["locked"] = list(self.locked)
        if self.at is not None:
            d["at"] = self.at
        if self.votes is not None:
            d["votes"] = dict(self.votes)
        return d

    @classmethod
    def from_json(cls, h: Any) -> "Step":
        notes = []
        for n in h.get("notes", []):
            notes.append(Note(str(n["kind"]), str(n["source"]), meters={str(k): int(v) for k, v in n.get("meters", {}).items()},
                              actors={str(a): {str(k): int(v) for k, v in d.items()} for a, d in n.get("actors", {}).items()},
                              cause=str(n.get("cause", "")), turn=int(n.get("turn", 0))))
        outcome = h.get("outcome")
        at = h.get("at")
        if at is not None and (isinstance(at, bool) or not isinstance(at, (int, float)) or not math.isfinite(at)):
            raise ValueError(f"the time of a step ({str(at)[:20]!r}) is not a number")
        votes = h.get("votes")
        if votes is not None:
            votes = {str(k): int(v) for k, v in votes.items()}
            if any(v < 0 for v in votes.values()):
                raise ValueError("a vote count is negative")
        return cls(str(h["scene"]), str(h["choice"]), str(h["next"]), [str(e) for e in h["events"]],
                   {k: int(v) for k, v in h["meters"].items()}, {k: int(v) for k, v in h.get("changes", {}).items()},
                   bool(h.get("replay", False)), None if outcome is None else int(outcome), notes,
                   [str(k) for k in h.get("locked", [])], None if at is None else float(at), votes)


@dataclass(frozen=True)
class Option:
    """A choice as the player sees it now: offered, or shown locked with its reason."""

    choice: Choice
    available: bool

    @property
    def reason(self):
        return self.choice.show_locked


class Story:
    """A scenario, its compiled rules and its state machine. Build once, play many sessions."""

    @no_gc
    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self.rules = Rules(scenario)
        states = list(scenario.scenes) + list(scenario.endings) + [_END_STATE]
        # The machine's model is a session's play state: its ``scene`` is the machine's state.
        self.machine = Machine(model=[], states=states, initial=scenario.start, auto_transitions=False,
                               send_event=True, ignore_invalid_triggers=False, model_attribute="scene")
        self._choices: dict[str, Choice] = {}
        transitions: list[dict[str, Any]] = []
        for scene in scenario.scenes.values():
            for choice in scene.choices:
                self._choices[choice.trigger] = choice
                t: dict[str, Any] = {"trigger": choice.trigger, "source": scene.id,
                                     "dest": _END_STATE if choice.next == END else choice.next,
                                     "after": [self._after(choice)]}
                if choice.condition is not None:
                    test = choice.condition.test
                    t["conditions"] = [lambda ed, test=test: test(ed.model)]
                transitions.append(t)
        self.machine.add_transitions(transitions)
        self._events = self.machine.events
        self._event_of = {id(c): self._events[c.trigger] for c in self._choices.values()}
        # choices that are shown locked when their condition fails, per scene
        self.lockable = {s.id: [c for c in s.choices if c.show_locked is not None and c.condition is not None]
                         for s in scenario.scenes.values()}
        self.lockable = {k: v for k, v in self.lockable.items() if v}

    def _after(self, choice: Choice):
        rules = self.rules

        def run(event_data: Any) -> None:  # the trigger's arguments: the session's draw and the turn's log
            draw, log = event_data.args
            take(rules, event_data.model, choice, draw, log)
        return run

    def fire(self, session: "Session", trigger: str, log: Optional[TurnLog] = None) -> bool:
        """Fire ``trigger`` on the session's play state (False: its guard does not hold)."""
        event = self._events.get(trigger)
        if event is None:
            raise EngineError(key="engine.no-way-on", scene=session.state)
        try:
            return event.trigger(session.play, session._draw, log)
        except MachineError as err:
            raise EngineError(str(err.value if hasattr(err, "value") else err)) from None

    def choice(self, trigger: str) -> Choice:
        return self._choices[trigger]

    def new_session(self, seed: Optional[int] = None, lang: str = "nl") -> "Session":
        return Session(self, seed=seed, lang=lang)


class Session:
    """One playthrough: a play state, the seeded random generator and the history.
    The scenario itself is never touched."""

    #: where the time of each choice comes from (Unix seconds); tests may set their own clock
    clock = staticmethod(time.time)

    def __init__(self, story: Story, seed: Optional[int] = None, lang: str = "nl"):
        sc = story.scenario
        self.story = story
        self.scenario = sc
        self.seed = random.randrange(2**31) if seed is None else int(seed)
        self.lang = lang
        self._rng = random.Random(self.seed)
        self.draws = 0
        self.play = PlayState.start(sc)
        self.start_meters = dict(self.play.meters)
        self.start_actors = {k: dict(v) for k, v in self.play.actors.items()}
        self.history: list[Step] = []
        self._replaying = False
        self._draw_fn = self._draw  # bound once: passed to the machine with every turn
        self.started: float = self.clock()  # when the session began (Unix seconds)

    # -- the play state, as attributes (conditions, the UI and transitions read these) ---------
    @property
    def state(self) -> str:
        return self.play.scene

    meters = property(lambda self: self.play.meters)
    actors = property(lambda self: self.play.actors)
    visited = property(lambda self: self.play.visited)
    chosen = property(lambda self: self.play.chosen)
    fired = property(lambda self: self.play.fired)
    counts = property(lambda self: self.play.counts)
    last = property(lambda self: self.play.last)
    motives = property(lambda self: self.play.motives)
    pending = property(lambda self: self.play.pending)
    tipped = property(lambda self: self.play.tipped)

    @property
    def turns(self) -> int:
        return self.play.turns

    @property
    def scene(self):
        """The current scene, or None when the session has ended."""
        return self.scenario.scenes.get(self.play.scene)

    @property
    def ending(self) -> Optional[Ending]:
        return self.scenario.endings.get(self.play.scene)

    @property
    def finished(self) -> bool:
        return self.play.scene in self.scenario.endings

    def available(self) -> list[Choice]:
        """The choices offered now (those whose condition holds)."""
        return self.play.available()

    def offered(self) -> list[Option]:
        """What the player sees now: the offered choices and, greyed, the ones
        whose condition fails but that say ``show_locked`` (with the reason)."""
        scene = self.scene
        if scene is None:
            return []
        out = []
        for c in scene.choices:
            ok = c.condition is None or c.condition.test(self.play)
            if ok or c.show_locked is not None:
                out.append(Option(c, ok))
        return out

    # -- acting ------------------------------------------------------------------
    def _draw(self, chances) -> int:
        self.draws += 1
        return pick(self._rng.random(), chances)

    def choose(self, choice: Choice | str | int, votes: Optional[dict[str, int]] = None) -> Step:
        """Take a choice (object, ``scene.choice`` key, choice id or 1-based number
        among :meth:`available`). Raises :class:`EngineError` if it is not offered.

        ``votes`` is a class vote that decided it (choice id -> number of votes), kept in the step."""
        play = self.play
        if play.scene in self.scenario.endings:
            raise EngineError(key="engine.ended")
        picked: Optional[Choice] = None
        if isinstance(choice, Choice):  # the fast path (simulation, the window): the machine checks scene and guard
            picked = choice
        elif isinstance(choice, int) and not isinstance(choice, bool):
            offered = self.available()
            if not 1 <= choice <= len(offered):
                raise EngineError(key="engine.not-offered-number", n=choice, last=len(offered))
            picked = offered[choice - 1]
        elif isinstance(choice, str):
            key = choice if "." in choice else f"{play.scene}.{choice}"
            picked = next((c for c in self.available() if c.key == key), None)
        if picked is None:
            raise EngineError(key="engine.not-offered", choice=choice if isinstance(choice, str) else
                              getattr(choice, "key", str(choice)), scene=play.scene)
        scene_id = play.scene
        lockable = self.story.lockable.get(scene_id)
        locked = [c.key for c in lockable if not c.condition.test(play)] if lockable else ()
        history = self.history
        before = history[-1].meters if history else self.start_meters
        if before != play.meters:  # the first turn after restoring a damaged save, say: copy
            before = dict(play.meters)
        step = Step.begin(scene_id, picked.id, before, locked, self._replaying, self.clock(),
                          dict(votes) if votes is not None else None)
        event = self.story._event_of.get(id(picked))
        try:
            ok = event.trigger(play, self._draw_fn, step) if event is not None else \
                self.story.fire(self, picked.trigger, step)
        except MachineError:  # a choice of another scene
            ok = False
        if not ok:  # not offered here: nothing happened
            raise EngineError(key="engine.not-offered", choice=picked.key, scene=scene_id)
        step.next, step.meters = play.scene, dict(play.meters)
        history.append(step)
        return step

    @property
    def last_changes(self) -> dict[str, int]:
        """The meter deltas of the last turn."""
        return self.history[-1].changes if self.history else {}

    @property
    def last_events(self) -> list[Event]:
        """The events that fired in the last turn."""
        fired = self.history[-1].events if self.history else ()
        return [e for e in self.scenario.events if e.id in fired] if fired else []

    # -- saving and restoring --------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        return {
            "format": SAVE_FORMAT, "scenario": self.scenario.id, "scenario_version": self.scenario.version,
            "seed": self.seed, "draws": self.draws, "lang": self.lang, "started": self.started,
            "play": self.play.to_json(),
            "history": [s.to_json() for s in self.history],
            **({"replaying": True} if self._replaying else {}),  # a rewound game: later steps are replays
        }

    @classmethod
    def from_json(cls, story: Story, data: Any) -> "Session":
        """Restore a saved session; raises :class:`SaveError` if it does not fit."""
        sc = story.scenario
        try:
            if not isinstance(data, dict):
                raise SaveError("the save is not a JSON object")
            if data.get("scenario") != sc.id:
                raise SaveError(f"the save belongs to scenario {data.get('scenario')!r}, not {sc.id!r}")
            if data.get("format") == 1:
                return cls._from_format_1(story, data)
            if data.get("format") != SAVE_FORMAT:
                raise SaveError(f"save format {data.get('format')!r} is not supported (expected {SAVE_FORMAT})")
            seed = data["seed"]
            if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**64:
                raise SaveError(f"the save's seed {str(seed)[:20]!r} is not a valid seed")
            s = cls(story, seed=seed, lang=str(data.get("lang", "nl")))
            history = [Step.from_json(h) for h in data["history"]]
            draws = int(data["draws"])
            # At most one draw per event and one per uncertain choice per turn: a bigger number
            # is damage (and must not hang the restore).
            if not 0 <= draws <= len(history) * (len(sc.events) + len(sc.tipping_points) + 1):
                raise SaveError(f"the save's number of random draws ({draws}) is impossible")
            for _ in range(draws):
                s._rng.random()
            s.draws = draws
            s.play = PlayState.from_json(sc, data["play"], story.rules.laters)
            if s.play.turns != len(history):
                raise SaveError("the save's history does not match its number of turns")
            for h in history:
                scene = sc.scenes.get(h.scene)
                if scene is None or not any(c.id == h.choice for c in scene.choices):
                    raise SaveError(f"the save's choice '{h.scene}.{h.choice}' is not in the scenario")
            s.history = history
            s._replaying = bool(data.get("replaying", False))
            started = data.get("started")
            if isinstance(started, (int, float)) and not isinstance(started, bool) and math.isfinite(started):
                s.started = float(started)
            return s
        except SaveError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as err:
            raise SaveError(f"the save is damaged ({type(err).__name__}: {err})") from None

    @classmethod
    def _from_format_1(cls, story: Story, data: dict) -> "Session":
        """A save of the first format: replayed from its seed and choices under today's rules."""
        try:
            keys = [f"{h['scene']}.{h['choice']}" for h in data["history"]]
            flags = [bool(h.get("replay", False)) for h in data["history"]]
            s = cls.replay(story, int(data["seed"]), keys, str(data.get("lang", "nl")))
        except EngineError as err:
            raise SaveError(f"this save was made by an older version and no longer replays ({err})") from None
        for h, flag in zip(s.history, flags):
            h.replay, h.at = flag, None  # the first format kept no times
        s._replaying = bool(data.get("replaying", False))
        return s

    # -- replay ----------------------------------------------------------------
    def choice_keys(self) -> list[str]:
        return [f"{h.scene}.{h.choice}" for h in self.history]

    @classmethod
    def replay(cls, story: Story, seed: int, choices: Iterable[str], lang: str = "nl",
               replay_from: Optional[int] = None) -> "Session":
        """A new session that takes ``choices`` (``scene.choice`` keys) from ``seed``.

        With ``replay_from`` the steps from that index on are marked as a replay
        (terugspoelen: the player went back to an earlier decision)."""
        s = cls(story, seed=seed, lang=lang)
        for key in choices:
            s.choose(key)
        if replay_from is not None:
            s._replaying = True
        return s

    def rewind(self, turn: int) -> "Session":
        """A new session back at decision ``turn`` (0 = the start), same seed;
        its later choices are recorded as a replay."""
        if not 0 <= turn <= len(self.history):
            raise EngineError(key="engine.turn-outside", turn=turn, last=len(self.history))
        s = Session.replay(self.story, self.seed, self.choice_keys()[:turn], self.lang, replay_from=turn)
        s.started = self.started
        for i, h in enumerate(s.history):
            old = self.history[i]
            h.replay, h.at, h.votes = old.replay, old.at, old.votes
        return s
