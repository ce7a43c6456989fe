"""The simulator: counts add up, seeds make it reproducible, players follow their strategy."""
from __future__ import annotations

import json

import pytest

from game import cli
from game.tools.simulate import STRATEGY_NAMES, Player, run_seeds, simulate
from game.scenario.validate import load_scenario

RUNS = 200

TAGGED = """\
format: 1
id: tags
title: {nl: "Tags"}
start: a
scenes:
  a:
    text: {nl: "A"}
    choices:
      - {id: p, text: {nl: "P"}, strategy: polderen, effects: {relatie: 5}, next: b}
      - {id: c, text: {nl: "C"}, strategy: coalitie, agency: organiseren, effects: {eigenaarschap: 10}, next: b}
      - {id: x, text: {nl: "X"}, strategy: confrontatie, effects: {tegenmacht: 5}, next: b}
      - {id: o, text: {nl: "O"}, agency: overnemen, effects: {tegenmacht: 2}, next: b}
  b:
    text: {nl: "B"}
    choices:
      - {id: p, text: {nl: "P"}, strategy: polderen, next: end}
      - {id: c, text: {nl: "C"}, strategy: coalitie, effects: {tegenmacht: 30, eigenaarschap: 20}, next: end}
      - {id: x, text: {nl: "X"}, strategy: confrontatie, next: end}
endings:
  goed:
    title: {nl: "Goed"}
    if: "tegenmacht >= 40"
    text: {nl: "Goed."}
  anders:
    title: {nl: "Anders"}
    text: {nl: "Anders."}
"""


@pytest.fixture
def tagged(tmp_path):
    p = tmp_path / "tags.yaml"
    p.write_text(TAGGED, encoding="utf-8")
    return p


def test_counts_add_up(example_path):
    rep = simulate(example_path, runs=RUNS, seed=1)
    assert list(rep["strategies"]) == list(STRATEGY_NAMES)
    for name, r in rep["strategies"].items():
        assert r["runs"] == RUNS
        assert sum(r["endings"].values()) == RUNS, name
        assert r["scenes"]["start"] == RUNS  # every run starts there
        assert sum(r["archetypes"].values()) == pytest.approx(1.0, abs=0.01)
        for axis in ("tegenmacht", "eigenaarschap"):
            d = r[axis]
            assert 0 <= d["p10"] <= d["p50"] <= d["p90"] <= 100
        # every run makes exactly one choice in each scene it visits (no loops in the example)
        sc = load_scenario(example_path)
        for sid, scene in sc.scenes.items():
            assert sum(r["choices"][c.key] for c in scene.choices) == r["scenes"][sid]


def test_same_seed_same_report_whatever_the_processes(example_path):
    one = simulate(example_path, runs=RUNS, seed=7, jobs=1)
    two = simulate(example_path, runs=RUNS, seed=7, jobs=2)
    assert json.dumps(one, sort_keys=True) == json.dumps(two, sort_keys=True)
    other = simulate(example_path, runs=RUNS, seed=8, jobs=1)
    assert other["strategies"]["random"] != one["strategies"]["random"]


def test_run_seeds_are_stable_and_distinct():
    assert run_seeds(0, "random", 0) == run_seeds(0, "random", 0)
    assert run_seeds(0, "random", 0) != run_seeds(0, "random", 1)
    assert run_seeds(0, "random", 0) != run_seeds(0, "best", 0)


def test_pure_strategies_pick_their_tag(tagged):
    rep = simulate(tagged, runs=RUNS, seed=3, strategies=["polderen", "coalitie", "confrontatie", "overnemen"])
    s = rep["strategies"]
    assert s["polderen"]["choices"]["a.p"] == RUNS and s["polderen"]["choices"]["b.p"] == RUNS
    assert s["coalitie"]["choices"]["a.c"] == RUNS and s["coalitie"]["endings"]["goed"] == RUNS
    assert s["confrontatie"]["choices"]["b.x"] == RUNS
    assert s["overnemen"]["choices"]["a.o"] == RUNS
    # no overnemen choice in b: the player falls back to any choice, all of them used
    assert all(s["overnemen"]["choices"][k] > 0 for k in ("b.p", "b.c", "b.x"))


def test_balanced_spreads_tags(tagged):
    import random

    from game.play.engine import Story

    sc = load_scenario(tagged)
    story = Story(sc)
    s = story.new_session(seed=1)
    player = Player("balanced", random.Random(1), story)
    first = player.pick(s, s.available())
    s.choose(first)
    second = player.pick(s, s.available())
    assert first.strategy and second.strategy and first.strategy != second.strategy


def test_best_beats_pure_strategies_on_the_example(example_path):
    rep = simulate(example_path, runs=RUNS, seed=0)
    b = rep["balance"]
    assert b["ok"] and b["complete"]
    for p in ("polderen", "coalitie", "confrontatie"):
        assert b["pure"][p]["margin"] > 0
        assert rep["strategies"]["best"]["total"]["mean"] > rep["strategies"][p]["total"]["mean"]


def test_never_reached_is_reported(tagged):
    rep = simulate(tagged, runs=50, seed=0, strategies=["polderen"])
    never = rep["strategies"]["polderen"]["never"]
    assert "a.c" in never["choices"] and "goed" in never["endings"]
    assert rep["balance"] is None


def test_cli_human_and_json(example_path, capsys):
    assert cli.main(["simulate", str(example_path), "--runs", "50", "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert "Balans" in out and "Strategie: best" in out
    assert cli.main(["--lang", "en", "simulate", str(example_path), "--runs", "50", "--jobs", "1",
                     "--strategy", "random", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data["strategies"]) == ["random"] and data["runs"] == 50
    assert cli.main(["simulate", str(example_path), "--runs", "20", "--jobs", "1", "--lang", "en"]) == 0
    assert "Balance" in capsys.readouterr().out


def test_cli_usage_errors(example_path, capsys):
    assert cli.main(["simulate", str(example_path), "--runs", "0"]) == 2
    assert "--runs" in capsys.readouterr().err
    assert cli.main(["simulate", str(example_path), "--strategy", "lui"]) == 2
    assert "lui" in capsys.readouterr().err


def test_cli_refuses_broken_scenario(tmp_path, capsys):
    bad = tmp_path / "kapot.yaml"
    bad.write_text("format: 1\nid: kapot\ntitle: {nl: x}\nstart: nergens\nscenes: {}\nendings: {}\n", encoding="utf-8")
    assert cli.main(["simulate", str(bad), "--runs", "10"]) == 1
    err = capsys.readouterr().err
    assert "kapot.yaml" in err and "Traceback" not in err


def test_work_is_handed_out_lazily_so_a_huge_run_count_starts_at_once(example):
    """A billion runs: the first chunk reports progress without a task list of all runs being built."""
    import time as _time

    from game.tools import simulate as sim
    seen = []

    def stop(done, total):
        seen.append((done, total))
        raise KeyboardInterrupt

    t0 = _time.process_time()
    with pytest.raises(KeyboardInterrupt):
        sim.simulate(example, runs=10**9, strategies=["random"], jobs=1, progress=stop)
    assert seen == [(500, 10**9)]
    assert _time.process_time() - t0 < 30  # generous: building 2 million task tuples alone took longer
    assert hasattr(sim._tasks(["random"], 0, 10**9, 500), "__next__")  # a generator, not a list


def test_jobs_are_clamped_to_the_cores_and_give_the_same_report(example_path, monkeypatch):
    from game.tools import simulate as sim
    monkeypatch.setattr(sim.os, "cpu_count", lambda: 2)
    pools = []
    real = sim.multiprocessing.get_context

    class Ctx:
        def __init__(self, method):
            self.ctx = real(method)

        def Pool(self, n, **kw):  # noqa: N802 - the multiprocessing name
            pools.append(n)
            return self.ctx.Pool(n, **kw)

    monkeypatch.setattr(sim.multiprocessing, "get_context", lambda method=None: Ctx(method))
    many = sim.simulate(str(example_path), runs=60, strategies=["random", "best"], jobs=500)
    one = sim.simulate(str(example_path), runs=60, strategies=["random", "best"], jobs=1)
    assert pools == [2]
    assert json.dumps(many, sort_keys=True) == json.dumps(one, sort_keys=True)


def test_ctrl_c_stops_simulate_with_one_line(example_path, monkeypatch, capsys):
    from game.tools import simulate as sim

    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(sim, "simulate", interrupted)
    assert cli.main(["simulate", str(example_path), "--runs", "10"]) == 130
    err = capsys.readouterr().err
    assert err.strip() == "Gestopt (Ctrl-C)." and "Traceback" not in err


def test_scores_are_kept_as_counts_not_one_number_per_run(example):
    from game.tools.simulate import run_chunk
    from game.play.engine import Story
    part = run_chunk(Story(example), "random", 0, 0, 300)
    assert sum(part["total"].values()) == 300 and len(part["total"]) < 300
