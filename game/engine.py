"""The engine: a `transitions` state machine per scenario, and the session state.

* :class:`Story` wraps one loaded, read-only :class:`~game.model.Scenario` and
  builds **one** ``transitions.Machine`` for it (``auto_transitions=False``):
  scenes and endings are states, every choice is a trigger, a choice's
  condition is the guard and its effects run as an ``after`` callback.
  A choice with ``next: end`` leads to an internal state from which the
  endings' conditions pick, in order, the first that holds.
* :class:`Session` holds everything that changes in one playthrough: scene,
  meters, actors, history, seed and number of random draws. It saves to a
  JSON-ready dict with a format version and restores from it; replaying the
  same seed and choices gives the same session, event for event.

The session is the machine's *model* but is never added to the machine with
``add_model`` (that would attach a method per trigger to every session);
triggers are fired with ``machine.events[name].trigger(session)`` instead.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any, Iterable, Optional

from transitions import Machine, MachineError

from .model import END, Choice, Effects, Ending, Event, Scenario
from .perf import no_gc
from .problems import EngineError, SaveError

SAVE_FORMAT = 1
_FINISH = "__finish__"
_COLLAPSE = "__collapse__"
_END_STATE = "__end__"
_STUCK = "__stuck__"


@dataclass
class Step:
    """What one choice did: the record of a turn, as shown in history and debrief."""

    scene: str
    choice: str
    next: str
    events: list[str] = field(default_factory=list)
    meters: dict[str, int] = field(default_factory=dict)  # after the turn
    changes: dict[str, int] = field(default_factory=dict)  # meter deltas of the turn
    replay: bool = False

    def to_json(self) -> dict[str, Any]:
        d = {"scene": self.scene, "choice": self.choice, "next": self.next, "events": list(self.events),
             "meters": dict(self.meters), "changes": dict(self.changes)}
        if self.replay:
            d["replay"] = True
        return d


class Story:
    """A scenario plus its state machine. Build once, play many sessions."""

    @no_gc
    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        states = list(scenario.scenes) + list(scenario.endings) + [_END_STATE]
        self.machine = Machine(model=[], states=states, initial=scenario.start, auto_transitions=False,
                               send_event=True, ignore_invalid_triggers=False)
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
        self.final = [e for e in scenario.endings.values() if not e.interrupt]
        for ending in self.final:
            t = {"trigger": _FINISH, "source": _END_STATE, "dest": ending.id}
            if ending.condition is not None:
                test = ending.condition.test
                t["conditions"] = [lambda ed, test=test: test(ed.model)]
            transitions.append(t)
        if self.final:  # no condition held: the last ending is the fallback (the validator warns)
            transitions.append({"trigger": _FINISH, "source": _END_STATE, "dest": self.final[-1].id})
        # Scenes whose every choice has a condition: if none holds on arrival, the
        # endings decide (the validator warns about such scenes: 'all-conditional').
        self.guarded_scenes = {s.id for s in scenario.scenes.values()
                               if s.choices and all(c.condition is not None for c in s.choices)}
        if self.guarded_scenes and self.final:
            transitions.append({"trigger": _STUCK, "source": sorted(self.guarded_scenes), "dest": _END_STATE})
        self.interrupts = [e for e in scenario.endings.values() if e.interrupt]
        self.interrupt_tests = [e.condition.test if e.condition else (lambda s: True) for e in self.interrupts]
        for ending in self.interrupts:
            test = ending.condition.test if ending.condition else (lambda s: True)
            transitions.append({"trigger": _COLLAPSE, "source": list(scenario.scenes) + [_END_STATE],
                                "dest": ending.id, "conditions": [lambda ed, test=test: test(ed.model)]})
        self.machine.add_transitions(transitions)
        self._events = self.machine.events

    @staticmethod
    def _after(choice: Choice):
        def run(event_data: Any) -> None:
            event_data.model._apply_choice(choice)
        return run

    def fire(self, session: "Session", trigger: str) -> bool:
        event = self._events.get(trigger)
        if event is None:  # e.g. `next: end` in a scenario without a (non-interrupt) ending
            raise EngineError(f"nothing can happen now: the scenario has no way on from {session.state!r}")
        try:
            return event.trigger(session)
        except MachineError as err:
            raise EngineError(str(err.value if hasattr(err, "value") else err)) from None

    def choice(self, trigger: str) -> Choice:
        return self._choices[trigger]

    def new_session(self, seed: Optional[int] = None, lang: str = "nl") -> "Session":
        return Session(self, seed=seed, lang=lang)


class Session:
    """One playthrough: all that changes. The scenario itself is never touched."""

    def __init__(self, story: Story, seed: Optional[int] = None, lang: str = "nl"):
        sc = story.scenario
        self.story = story
        self.scenario = sc
        self.seed = random.randrange(2**31) if seed is None else int(seed)
        self.lang = lang
        self._rng = random.Random(self.seed)
        self.draws = 0
        self.state = sc.start  # transitions reads and writes this attribute
        self.meters: dict[str, int] = {m.id: m.start for m in sc.meters.values()}
        self.actors: dict[str, dict[str, int]] = {a.id: {"power": a.power, "stance": a.stance}
                                                  for a in sc.actors.values()}
        self.start_meters = dict(self.meters)
        self.start_actors = {k: dict(v) for k, v in self.actors.items()}
        self.visited: set[str] = {sc.start}
        self.chosen: set[str] = set()
        self.fired: set[str] = set()
        self.history: list[Step] = []
        self.last_events: list[Event] = []
        self.last_changes: dict[str, int] = {}
        self._step: Optional[Step] = None
        self._replaying = False

    # -- reading ---------------------------------------------------------------
    @property
    def turns(self) -> int:
        return len(self.history)

    @property
    def scene(self):
        """The current scene, or None when the session has ended."""
        return self.scenario.scenes.get(self.state)

    @property
    def ending(self) -> Optional[Ending]:
        return self.scenario.endings.get(self.state)

    @property
    def finished(self) -> bool:
        return self.state in self.scenario.endings

    def available(self) -> list[Choice]:
        """The choices offered now (those whose condition holds)."""
        scene = self.scene
        if scene is None:
            return []
        return [c for c in scene.choices if c.condition is None or c.condition.test(self)]

    # -- acting ------------------------------------------------------------------
    def choose(self, choice: Choice | str | int) -> Step:
        """Take a choice (object, ``scene.choice`` key, choice id or 1-based number
        among :meth:`available`). Raises :class:`EngineError` if it is not offered."""
        if self.finished:
            raise EngineError("the session has ended; no more choices")
        picked: Optional[Choice] = None
        if isinstance(choice, Choice):  # the fast path (simulation, the window)
            if choice.scene == self.state and (choice.condition is None or choice.condition.test(self)):
                picked = choice
        elif isinstance(choice, int) and not isinstance(choice, bool):
            offered = self.available()
            if not 1 <= choice <= len(offered):
                raise EngineError(f"choice {choice} is not offered (1..{len(offered)})")
            picked = offered[choice - 1]
        elif isinstance(choice, str):
            key = choice if "." in choice else f"{self.state}.{choice}"
            picked = next((c for c in self.available() if c.key == key), None)
        if picked is None:
            raise EngineError(f"choice {choice!r} is not offered in scene {self.state!r}")
        before = dict(self.meters)
        self._step = Step(self.state, picked.id, picked.next, replay=self._replaying)
        if not self.story.fire(self, picked.trigger):  # pragma: no cover - guarded by available()
            raise EngineError(f"choice {picked.key!r} is not possible now")
        step = self._step
        self.last_events = []
        if self.state in self.scenario.scenes:
            self.visited.add(self.state)
            self._roll_events(step)
        if self.state not in self.scenario.endings and any(t(self) for t in self.story.interrupt_tests):
            self.story.fire(self, _COLLAPSE)  # the machine takes the first interrupting ending that holds
        if self.state in self.story.guarded_scenes and self.story.final and not self.available():
            self.story.fire(self, _STUCK)
        if self.state == _END_STATE:
            self.story.fire(self, _FINISH)
        ending = self.scenario.endings.get(self.state)
        if ending is not None and ending.effects:
            self._apply(ending.effects)
        step.next = self.state
        step.meters = dict(self.meters)
        step.changes = {k: v - before[k] for k, v in self.meters.items() if v != before[k]}
        self.last_changes = step.changes
        self.history.append(step)
        self._step = None
        return step

    def _apply_choice(self, choice: Choice) -> None:
        self.chosen.add(choice.key)
        self._apply(choice.effects)

    def _apply(self, effects: Effects) -> None:
        meters, sc = self.meters, self.scenario.meters
        for name, change in effects.meters:
            m = sc[name]
            meters[name] = change.apply(meters[name], m.min, m.max)
        for actor, attr, change in effects.actors:
            low, high = (0, 100) if attr == "power" else (-100, 100)
            self.actors[actor][attr] = change.apply(self.actors[actor][attr], low, high)

    def _roll_events(self, step: Step) -> None:
        for event in self.scenario.events:
            if event.once and event.id in self.fired:
                continue
            if event.condition is not None and not event.condition.test(self):
                continue
            if event.chance <= 0:
                continue
            if event.chance < 1:
                self.draws += 1
                if self._rng.random() >= event.chance:
                    continue
            self.fired.add(event.id)
            self._apply(event.effects)
            step.events.append(event.id)
            self.last_events.append(event)

    # -- saving and restoring --------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        return {
            "format": SAVE_FORMAT, "scenario": self.scenario.id, "scenario_version": self.scenario.version,
            "seed": self.seed, "draws": self.draws, "lang": self.lang, "state": self.state,
            "meters": dict(self.meters), "actors": {k: dict(v) for k, v in self.actors.items()},
            "visited": sorted(self.visited), "chosen": sorted(self.chosen), "fired": sorted(self.fired),
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
            if data.get("format") != SAVE_FORMAT:
                raise SaveError(f"save format {data.get('format')!r} is not supported (expected {SAVE_FORMAT})")
            if data.get("scenario") != sc.id:
                raise SaveError(f"the save belongs to scenario {data.get('scenario')!r}, not {sc.id!r}")
            s = cls(story, seed=int(data["seed"]), lang=str(data.get("lang", "nl")))
            draws = int(data["draws"])
            # At most one draw per event per turn: a bigger number is damage (and must not hang the restore).
            if not 0 <= draws <= len(data["history"]) * len(sc.events):
                raise SaveError(f"the save's number of random draws ({draws}) is impossible")
            for _ in range(draws):
                s._rng.random()
            s.draws = draws
            state = data["state"]
            if state not in sc.scenes and state not in sc.endings:
                raise SaveError(f"the save is in scene {state!r}, which the scenario no longer has")
            s.state = state
            meters = {k: int(v) for k, v in data["meters"].items()}
            if set(meters) != set(sc.meters):
                raise SaveError("the save's meters do not match the scenario")
            for k, v in meters.items():
                if not sc.meters[k].min <= v <= sc.meters[k].max:
                    raise SaveError(f"meter {k!r} is out of range in the save")
            s.meters = meters
            actors = {k: {"power": int(v["power"]), "stance": int(v["stance"])} for k, v in data["actors"].items()}
            if set(actors) != set(sc.actors):
                raise SaveError("the save's actors do not match the scenario")
            for k, v in actors.items():
                if not (0 <= v["power"] <= 100 and -100 <= v["stance"] <= 100):
                    raise SaveError(f"actor {k!r} is out of range in the save")
            s.actors = actors
            s.visited = set(map(str, data["visited"]))
            s.chosen = set(map(str, data["chosen"]))
            s.fired = set(map(str, data["fired"]))
            s.history = [Step(str(h["scene"]), str(h["choice"]), str(h["next"]), [str(e) for e in h["events"]],
                              {k: int(v) for k, v in h["meters"].items()},
                              {k: int(v) for k, v in h.get("changes", {}).items()}, bool(h.get("replay", False)))
                         for h in data["history"]]
            for h in s.history:
                scene = sc.scenes.get(h.scene)
                if scene is None or not any(c.id == h.choice for c in scene.choices):
                    raise SaveError(f"the save's choice '{h.scene}.{h.choice}' is not in the scenario")
            s._replaying = bool(data.get("replaying", False))
            return s
        except SaveError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            raise SaveError(f"the save is damaged ({type(err).__name__}: {err})") from None

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
            raise EngineError(f"turn {turn} is outside 0..{len(self.history)}")
        s = Session.replay(self.story, self.seed, self.choice_keys()[:turn], self.lang, replay_from=turn)
        for i, h in enumerate(s.history):
            h.replay = self.history[i].replay
        return s
