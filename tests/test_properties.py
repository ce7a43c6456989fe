"""Properties of the engine on the example and on random small scenarios (hypothesis).

No sequence of offered choices crashes the engine, no meter leaves its range,
actors' power and stance stay in range, and saving and restoring mid-game
changes nothing about how the game goes on.
"""
from __future__ import annotations

import json

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.play.engine import Session, Story
from game.scenario.model import DEFAULT_METERS
from game.scenario.validate import load_scenario, validate_text
from conftest import SCENARIOS

METERS = list(DEFAULT_METERS)
ACTORS = ["gemeente", "kerk"]
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

change = st.one_of(st.integers(-60, 60), st.builds(lambda op, n: f"{op}{n}",
                                                   st.sampled_from(["=", "%+", "%-", "+", "-"]),
                                                   st.integers(0, 100)))
# every condition can hold: meters of range 0..100 (energie is -10..50 below, so it stays out) and 1..99
condition = st.builds(lambda m, op, n: f"{m} {op} {n}",
                      st.sampled_from([m for m in METERS if m != "energie"] + [f"{a}.power" for a in ACTORS]),
                      st.sampled_from([">=", "<=", ">", "<", "!="]), st.integers(1, 99))
effects = st.dictionaries(st.sampled_from(METERS), change, max_size=3)
actor_effects = st.dictionaries(st.sampled_from(ACTORS),
                                st.fixed_dictionaries({}, optional={"power": change, "stance": change}), max_size=2)


@st.composite
def scenarios(draw) -> dict:
    n_scenes = draw(st.integers(1, 5))
    n_endings = draw(st.integers(1, 3))
    scene_ids = [f"s{i}" for i in range(n_scenes)]
    ending_ids = [f"e{i}" for i in range(n_endings)]
    targets = st.sampled_from(scene_ids + ending_ids + ["end"])
    scenes = {}
    for sid in scene_ids:
        choices = []
        for j in range(draw(st.integers(1, 3))):
            c = {"id": f"c{j}", "text": f"Keuze {j}", "next": draw(targets),
                 "strategy": draw(st.sampled_from(["polderen", "coalitie", "confrontatie"])),
                 "effects": draw(effects), "actors": draw(actor_effects)}
            if j > 0 and draw(st.booleans()):
                c["if"] = draw(condition)
            choices.append(c)
        scenes[sid] = {"text": f"Scène {sid}.", "choices": choices}
    endings = {}
    for i, eid in enumerate(ending_ids):
        e = {"title": eid, "text": f"Einde {eid}."}
        if i < n_endings - 1:
            e["if"] = draw(condition)
        endings[eid] = e
    if draw(st.booleans()):
        endings = {"op": {"title": "Op", "text": "Op.", "if": "energie <= 0", "interrupt": True}, **endings}
    events = [{"id": f"ev{i}", "text": "Er gebeurt iets.", "chance": draw(st.floats(0, 1)),
               "once": draw(st.booleans()), "effects": draw(effects), "actors": draw(actor_effects),
               **({"if": draw(condition)} if draw(st.booleans()) else {})}
              for i in range(draw(st.integers(0, 3)))]
    meters = {"energie": {"min": -10, "max": 50, "start": 30}, "eigen": {"label": "Eigen", "min": 5, "max": 9}}
    return {"id": "gegenereerd", "title": "Gegenereerd", "meters": meters,
            "actors": {a: {"name": a, "power": draw(st.integers(0, 100)), "stance": draw(st.integers(-100, 100))}
                       for a in ACTORS},
            "scenes": scenes, "events": events, "endings": endings}


def story_of(data: dict) -> Story:
    report = validate_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "gegenereerd.yaml")
    assert report.scenario is not None, [p.render() for p in report.errors]
    return Story(report.scenario)


def check_ranges(s: Session) -> None:
    for name, m in s.scenario.meters.items():
        assert m.min <= s.meters[name] <= m.max, (name, s.meters[name])
    for name, a in s.actors.items():
        assert 0 <= a["power"] <= 100 and -100 <= a["stance"] <= 100, (name, a)


def check_notes_add_up(step, actors_before: dict, actors_after: dict) -> None:
    """Every change of a turn is in exactly one of its notes: the notes add up to the turn."""
    meters: dict[str, int] = {}
    actors: dict[tuple[str, str], int] = {}
    for n in step.notes:
        for k, v in n.meters.items():
            meters[k] = meters.get(k, 0) + v
        for a, d in n.actors.items():
            for attr, v in d.items():
                actors[a, attr] = actors.get((a, attr), 0) + v
    assert {k: v for k, v in meters.items() if v} == step.changes
    moved = {(a, attr): actors_after[a][attr] - actors_before[a][attr]
             for a in actors_after for attr in ("power", "stance")}
    assert {k: v for k, v in actors.items() if v} == {k: v for k, v in moved.items() if v}


def play_randomly(story: Story, data, seed: int, max_turns: int = 25) -> None:
    s = story.new_session(seed=seed)
    check_ranges(s)
    keys: list[str] = []
    save_at = data.draw(st.integers(0, max_turns), label="save_at")
    saved = None
    while not s.finished and len(keys) < max_turns:
        if len(keys) == save_at:
            saved = Session.from_json(story, json.loads(json.dumps(s.to_json())))
            assert saved.to_json() == s.to_json()
        offered = s.available()
        if not offered:  # every choice hidden by its condition: a content problem, not a crash
            break
        pick = data.draw(st.integers(1, len(offered)), label="pick")
        keys.append(offered[pick - 1].key)
        actors_before = {a: dict(v) for a, v in s.actors.items()}
        step = s.choose(pick)
        assert step.meters == s.meters and s.turns == len(keys)
        check_ranges(s)
        check_notes_add_up(step, actors_before, s.actors)
    if saved is not None:  # continue the restored copy with the same choices
        for key in keys[save_at:]:
            saved.choose(key)
        assert saved.to_json() == s.to_json()
    assert Session.replay(story, seed, keys).to_json() == s.to_json()


_example = None


def example_story() -> Story:
    global _example
    if _example is None:
        _example = Story(load_scenario(SCENARIOS / "voorbeeld.yaml"))
    return _example


@SETTINGS
@given(data=st.data(), seed=st.integers(0, 2**31 - 1))
def test_example_random_play(data, seed):
    play_randomly(example_story(), data, seed)


@SETTINGS
@given(scenario=scenarios(), data=st.data(), seed=st.integers(0, 2**31 - 1))
def test_generated_scenarios_random_play(scenario, data, seed):
    play_randomly(story_of(scenario), data, seed)


@settings(max_examples=100, deadline=None)
@given(scenario=scenarios())
def test_generated_scenarios_validate_cleanly(scenario):
    report = validate_text(yaml.safe_dump(scenario, allow_unicode=True, sort_keys=False))
    assert report.errors == []
    assert report.stats["scenes"] == len(scenario["scenes"])


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=300))
def test_any_text_gives_problems_not_exceptions(text):
    report = validate_text(text)
    for p in report.problems:
        assert p.render("nl") and p.render("en")
