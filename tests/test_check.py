"""The exhaustive checker: witnesses really reach their endings, unreachable items are explained."""
from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pytest

from game import cli
from game.tools.check import check, find_seed
from game.scenario.state import PlayState
from game.play.turn import TurnLog, pick, take
from game.play.engine import Session, Story
from game.scenario.validate import load_scenario, validate_text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from gen_scenario import generate  # noqa: E402

CHANCE = """\
format: 1
id: kans
title: {nl: "Kans"}
start: a
scenes:
  a:
    text: {nl: "A"}
    choices:
      - {id: ga, text: {nl: "Ga"}, next: b}
  b:
    text: {nl: "B"}
    choices:
      - {id: wacht, text: {nl: "Wacht"}, next: c}
  c:
    text: {nl: "C"}
    choices:
      - {id: klaar, text: {nl: "Klaar"}, next: end}
      - {id: geheim, text: {nl: "Geheim"}, if: "fired(storm) and fired(zon)", effects: {tegenmacht: 10}, next: schat}
      - {id: nooit, text: {nl: "Nooit"}, if: "tegenmacht >= 90", next: end}
events:
  - id: storm
    text: {nl: "Storm"}
    chance: 0.3
    effects: {tegenmacht: 20}
  - id: zon
    text: {nl: "Zon"}
    if: "fired(storm)"
    chance: 0.5
    effects: {tegenmacht: 10}
  - id: wonder
    text: {nl: "Wonder"}
    if: "achterban >= 99"
endings:
  hoog:
    title: {nl: "Hoog"}
    if: "tegenmacht >= 30"
    text: {nl: "Hoog."}
  ook-hoog:
    title: {nl: "Ook hoog"}
    if: "tegenmacht >= 40"
    text: {nl: "Ook hoog."}
  schat:
    title: {nl: "Schat"}
    if: "fired(zon)"
    text: {nl: "Schat."}
  laag:
    title: {nl: "Laag"}
    text: {nl: "Laag."}
"""

FULL = """\
format: 1
id: vol
title: {nl: "Vol"}
start: a
scenes:
  a:
    text: {nl: "A"}
    choices:
      - {id: goed, text: {nl: "Goed"}, effects: {tegenmacht: 40}, next: end}
      - {id: matig, text: {nl: "Matig"}, next: b}
  b:
    text: {nl: "B"}
    choices:
      - {id: moe, text: {nl: "Moe"}, effects: {energie: -100}, next: end}
      - {id: rust, text: {nl: "Rust"}, next: end}
events:
  - {id: regen, text: {nl: "Regen"}, chance: 0.5}
endings:
  op: {title: {nl: "Op"}, if: "energie <= 0", interrupt: true, text: {nl: "Op."}}
  hoog: {title: {nl: "Hoog"}, if: "tegenmacht >= 40", text: {nl: "Hoog."}}
  laag: {title: {nl: "Laag"}, text: {nl: "Laag."}}
"""


def _scenario(tmp_path, text, name="s.yaml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return load_scenario(p)


def test_example_witnesses_replay_to_their_endings(example, story):
    res = check(example)
    assert not res.truncated and res.missing == []
    assert set(res.witnesses) == {"uitgeput", "opgeslokt", "voor-ons", "open", "wachten"}
    for eid, w in res.witnesses.items():
        assert w.verified
        s = Session.replay(story, w.seed, w.choices)
        assert s.state == eid
    # exhaustion takes the picnic and then preparing residents: the picnic's outcome is drawn (rain costs
    # energy too), and the witness comes with a seed that reproduces it
    assert res.witnesses["uitgeput"].choices == ["start.een-op-een", "overleg.protest", "actie.bewoners-aan-tafel"]
    assert res.witnesses["uitgeput"].chance and res.witnesses["uitgeput"].verified


def test_chance_paths_get_a_reproducing_seed(tmp_path):
    sc = _scenario(tmp_path, CHANCE)
    story = Story(sc)
    res = check(sc)
    assert res.exhausted
    w = res.witnesses["hoog"]  # needs storm (0.3) to fire
    assert w.chance and w.seed is not None and w.verified
    assert Session.replay(story, w.seed, w.choices).state == "hoog"
    w = res.witnesses["schat"]  # needs storm (0.3) and then zon (0.5) to fire
    assert w.choices[-1] == "c.geheim" and w.seed is not None and w.verified
    s = Session.replay(story, w.seed, w.choices)
    assert s.state == "schat" and {"storm", "zon"} <= s.fired
    assert res.choices["c.geheim"] > 0  # only offered after both chance events
    lw = res.witnesses["laag"]
    assert Session.replay(story, lw.seed, lw.choices).state == "laag"


def test_unreachable_items_have_reasons(tmp_path):
    sc = _scenario(tmp_path, CHANCE)
    res = check(sc)
    missing = {(m.kind, m.id): m.reason[1] for m in res.missing}
    assert "never held" in missing[("choice", "c.nooit")] and "tegenmacht >= 90" in missing[("choice", "c.nooit")]
    assert "never held on arrival" in missing[("event", "wonder")]
    assert "earlier ending" in missing[("ending", "ook-hoog")]  # 'hoog' always comes first
    assert not res.ok


def test_unreached_scene_and_truncation(tmp_path):
    text = CHANCE.replace("      - {id: wacht, text: {nl: \"Wacht\"}, next: c}",
                          "      - {id: wacht, text: {nl: \"Wacht\"}, next: c}\n"
                          "      - {id: weg, text: {nl: \"Weg\"}, if: \"tegenmacht >= 95\", next: d}")
    text = text.replace("events:", "  d:\n    text: {nl: \"D\"}\n    choices:\n"
                        "      - {id: terug, text: {nl: \"Terug\"}, next: end}\nevents:")
    sc = _scenario(tmp_path, text)
    res = check(sc)
    missing = {(m.kind, m.id): m.reason[1] for m in res.missing}
    assert missing[("scene", "d")] == "no path reaches this scene — proven unreachable: the search was complete"
    assert "scene 'd' is never reached" in missing[("choice", "d.terug")]
    small = check(sc, max_states=1)
    assert small.truncated
    assert all("cut off" in m.reason[1] for m in small.missing if m.kind != "event" or "chance" not in m.reason[1])


EDGES = """
id: randen
title: Randgevallen
events:
  - {id: kans, text: k, chance: 0.5, once: false, effects: {energie: -10}}
scenes:
  a:
    text: a
    choices:
      - {id: moe, text: m, effects: {energie: -30}, next: b}
      - {id: fris, text: f, next: b}
  b:
    text: b
    choices:
      - {id: alleen-fris, text: x, if: "energie > 50", next: a}
      - {id: ook-fris, text: y, if: "energie > 60", next: end}
endings:
  op:
    title: Op
    text: op
    if: "energie <= 0"
    interrupt: true
    effects: {tegenmacht: "%-50", eigenaarschap: -10}
  klaar:
    title: K
    text: k
    effects: {eigenaarschap: 5}
"""


def test_check_simulate_and_session_run_the_same_turn_code(example, story):
    """There is one implementation of a turn: a bare PlayState stepped with
    game.play.turn.take (as check and simulate do) and the engine's Session (machine
    plus callbacks) end in the same state, draw for draw, including interrupting
    endings, a scene whose every choice is hidden, and ending effects."""
    scenarios = [example, validate_text(generate(25, seed=2), "gen.yaml").scenario,
                 validate_text(generate(25, seed=2, rules=False), "gen-zonder.yaml").scenario,
                 validate_text(EDGES, "randen.yaml").scenario]
    for scenario in scenarios:
        st = Story(scenario)
        for seed in range(40):
            rng = random.Random(seed)
            s = st.new_session(seed=seed)
            p = PlayState.start(scenario)
            dice = random.Random(seed)
            while not s.finished:
                c = rng.choice(s.available())
                assert [x.key for x in p.available()] == [x.key for x in s.available()]
                step = s.choose(c)
                log = TurnLog(notes=False)
                take(st.rules, p, c, lambda ch: pick(dice.random(), ch), log)
                assert log.events == step.events and log.outcome == step.outcome
                assert p.to_json() == s.play.to_json()
            assert p.finished


def test_find_seed_matches_the_engine_rule():
    draws = [[("a", (0.5, 0.5), 0)], [("b", (0.25, 0.75), 1), ("c", (0.9, 0.1), 0)]]
    seed = find_seed(draws)
    r = random.Random(seed)
    assert r.random() < 0.5 and r.random() >= 0.25 and r.random() < 0.9
    assert find_seed([]) == 0
    assert find_seed([[("x", (0.001, 0.999), 0)] * 5], tries=10) is None
    three = [[("o", (0.2, 0.3, 0.5), 1)]]  # an uncertain choice: its middle outcome
    u = random.Random(find_seed(three)).random()
    assert 0.2 <= u < 0.5


def test_the_benchmark_scenario_can_switch_the_default_rules_off():
    """bench/gen_scenario.py's like-for-like variant: no tag rules, responses or drift, and valid."""
    with_rules = validate_text(generate(30, seed=1), "met.yaml")
    without = validate_text(generate(30, seed=1, rules=False), "zonder.yaml")
    assert with_rules.ok and without.ok and not without.warnings
    assert with_rules.scenario.tag_rules and any(m.drift for m in with_rules.scenario.meters.values())
    assert not without.scenario.tag_rules and not any(without.scenario.responses.values())
    assert not any(m.drift for m in without.scenario.meters.values())
    assert list(without.scenario.scenes) == list(with_rules.scenario.scenes)


def test_generated_scenario_is_covered_with_verified_witnesses():
    rep = validate_text(generate(30, seed=1), "gen30.yaml")
    assert not rep.errors
    res = check(rep.scenario)
    assert res.expanded <= 10_000
    assert res.endings and any(res.endings.values())
    story = Story(rep.scenario)
    for eid, w in res.witnesses.items():
        if w.seed is not None:
            assert Session.replay(story, w.seed, w.choices).state == eid


def test_cli_exit_codes(tmp_path, example_path, capsys):
    full = tmp_path / "vol.yaml"
    full.write_text(FULL, encoding="utf-8")
    assert cli.main(["check", str(full)]) == 0, capsys.readouterr()
    assert "Alles is bereikbaar" in capsys.readouterr().out
    assert cli.main(["check", str(example_path), "--json", "--lang", "en"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is True and set(data["witnesses"]) == {"uitgeput", "opgeslokt", "voor-ons", "open", "wachten"}
    calm = tmp_path / "rustig.yaml"  # the example with its energy costs removed: exhaustion cannot happen
    calm.write_text(example_path.read_text(encoding="utf-8").replace("energie: -", "energie: +"), encoding="utf-8")
    assert cli.main(["check", str(calm), "--json", "--lang", "en"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is False and data["unreachable"][0]["id"] == "uitgeput"
    assert cli.main(["check", str(example_path), "--max-states", "0"]) == 2
    bad = tmp_path / "kapot.yaml"
    bad.write_text("format: 1\nid: kapot\n", encoding="utf-8")
    assert cli.main(["check", str(bad)]) == 1
    assert "Traceback" not in capsys.readouterr().err
