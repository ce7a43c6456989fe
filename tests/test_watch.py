"""Live reload: the file watcher and terminal play that follows the file."""
from __future__ import annotations

import io
import os
import re
import shutil
import sys
from pathlib import Path

import pytest

from game.text import watch
from game.cli import main
from game.play.engine import Story
from game.text.play import Restart
from game.text.watch import ScenarioWatcher, WatchingTextGame, play_text_watching


@pytest.fixture
def live(tmp_path: Path, example_path: Path) -> Path:
    p = tmp_path / "live.yaml"
    shutil.copy(example_path, p)
    return p


def edit(path: Path, old: str, new: str):
    """An action for the script: change the file (its size changes, so the watcher sees it)."""
    def run() -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")
    return run


def scripted(*steps):
    """A waiter that checks the file before each answer, like the terminal does
    while it waits. Strings are typed answers; callables are actions (an edit)."""
    todo = list(steps)

    def wait(prompt: str, tick) -> str:
        while True:
            tick()  # may raise Restart after a reload
            if not todo:
                raise EOFError
            item = todo.pop(0)
            if callable(item):
                item()
                continue
            return item
    return wait


def game_for(path: Path, *steps, seed: int = 3):
    watcher = ScenarioWatcher(path, settle=0)
    report = watcher.load()
    assert report.ok
    out = io.StringIO()
    game = WatchingTextGame(Story(report.scenario), watcher, seed=seed, out=out, wait=scripted(*steps))
    return game, out


# -- the watcher ----------------------------------------------------------------------

def test_watcher_reports_only_changes(live):
    w = ScenarioWatcher(live, settle=0)
    assert w.load().ok
    assert w.poll() is None
    edit(live, "Het hek", "Het hoge hek")()
    report = w.poll()
    assert report is not None and report.ok
    assert report.scenario.scenes["start"].title.nl == "Het hoge hek"
    assert w.poll() is None  # seen once


def test_watcher_same_size_new_mtime(live):
    w = ScenarioWatcher(live, settle=0)
    w.load()
    edit(live, "Het hek", "Het HEK")()  # same length
    st = os.stat(live)
    os.utime(live, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    report = w.poll()
    assert report is not None and report.scenario.scenes["start"].title.nl == "Het HEK"


def test_watcher_broken_and_missing_file(live):
    w = ScenarioWatcher(live, settle=0)
    w.load()
    edit(live, "strategy: confrontatie", "strategy: confrontatiee")()
    report = w.poll()
    assert report is not None and not report.ok
    assert any(p.code == "bad-value" for p in report.errors)
    live.unlink()
    report = w.poll()
    assert report is not None and not report.ok
    assert w.poll() is None


def test_watcher_is_pygame_free():
    import subprocess

    code = "import sys, game.text.watch, game.tools.graph, game.tools.stats; sys.exit('pygame' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parent.parent).returncode == 0


# -- play while the file changes -------------------------------------------------------

def test_reload_keeps_position_and_shows_new_text(live):
    game, out = game_for(live, "1", edit(live, "De gemeente nodigt 'een afvaardiging' uit voor overleg.",
                                          "De gemeente nodigt VANDAAG iemand uit."), "q")
    assert game.play() == 0
    text = out.getvalue()
    assert "Scenario opnieuw geladen: 1 van 1 keuzes opnieuw gespeeld." in text
    after = text.split("Scenario opnieuw geladen")[1]
    assert "Scène 2: Een uitnodiging" in after and "VANDAAG" in after.replace("\n", " ")
    assert game.session.choice_keys() == ["start.een-op-een"]
    assert game.session.state == "overleg"
    assert game.reloads == 1


def test_reload_replays_same_seed(live):
    game, _ = game_for(live, "1", "3", edit(live, "Het hek", "Het hoge hek"), "q", seed=11)
    game.play()
    assert game.session.seed == 11
    again = Story(game.story.scenario).new_session(seed=11)
    for key in ["start.een-op-een", "overleg.protest"]:
        again.choose(key)
    assert game.session.meters == again.meters and game.session.fired == again.fired


def test_removed_choice_stops_the_replay_there(live):
    rename = edit(live, "- id: protest", "- id: picknick")
    fix_event = edit(live, "chose(overleg.protest)", "chose(overleg.picknick)")

    def both() -> None:
        rename()
        fix_event()

    game, out = game_for(live, "1", "3", both, "q")
    game.play()
    text = out.getvalue()
    assert "1 van 2 keuzes opnieuw gespeeld" in text
    assert "'overleg.protest' bestaat niet meer" in text
    assert game.session.state == "overleg" and game.session.turns == 1


PICNIC = "strategy: confrontatie\n        agency: mobiliseren"  # the picnic's tags (the council is confrontatie too)


def test_broken_file_shows_problems_and_play_continues(live):
    game, out = game_for(live, "1",
                         edit(live, PICNIC, PICNIC.replace("confrontatie", "confrontatiee")),
                         "3",  # still the old version: the picnic works
                         edit(live, PICNIC.replace("confrontatie", "confrontatiee"), PICNIC),
                         "q")
    game.play()
    text = out.getvalue()
    assert "Het bestand heeft nu 1 fout" in text
    assert re.search(r"live\.yaml:\d+:\d+: error: 'confrontatiee'", text)
    assert game.session.choice_keys() == ["start.een-op-een", "overleg.protest"]
    assert "2 van 2 keuzes opnieuw gespeeld" in text  # the fix was picked up
    assert game.session.state == "actie"


def test_reload_at_the_ending_shows_it_again_and_r_restarts(live):
    # one-to-ones, the coalition, preparing Fatima and two neighbours: the fence opens
    game, out = game_for(live, "1", "2", "1",
                         edit(live, "De speeltuin gaat open, en Fatima", "DE SPEELTUIN GAAT OPEN, en Fatima"),
                         "r", "q")
    game.play()
    text = out.getvalue()
    assert text.count("Einde: Het hek gaat open") == 2
    assert "DE SPEELTUIN GAAT OPEN" in text.split("Scenario opnieuw geladen")[1]
    assert game.session.turns == 0 and game.session.state == "start"  # 'r' started again


def test_check_raises_restart_only_on_a_good_reload(live):
    game, _ = game_for(live)
    assert game.check() is False
    edit(live, "strategy: confrontatie", "strategy: confrontatiee")()
    assert game.check() is True  # problems printed: repeat the prompt
    edit(live, "strategy: confrontatiee", "strategy: confrontatie")()
    with pytest.raises(Restart):
        game.check()


def test_play_text_watching_broken_file_exit_1(live, capsys):
    edit(live, "strategy: confrontatie", "strategy: confrontatiee")()
    assert play_text_watching(str(live), "nl", 1, wait=scripted()) == 1
    err = capsys.readouterr().err
    assert re.search(r"live\.yaml:\d+:\d+: error:", err) and "Error:" in err


def test_cli_play_watch_broken_file(live, capsys):
    edit(live, "next: overleg\n", "next: overlegg\n")()
    assert main(["play", str(live), "--text", "--watch"]) == 1
    assert "Traceback" not in capsys.readouterr().err


def test_play_text_watching_runs_and_quits(live):
    out = io.StringIO()
    assert play_text_watching(str(live), "en", 5, out=out, wait=scripted("2", "q")) == 0
    text = out.getvalue()
    assert "Live: save live.yaml" in text and "Stopped." in text


# -- the line readers ----------------------------------------------------------------

@pytest.mark.skipif(os.name != "posix", reason="select() on pipes is POSIX")
def test_select_reader_checks_while_waiting(monkeypatch):
    r, w = os.pipe()
    stdin = os.fdopen(r, "r")
    monkeypatch.setattr(sys, "stdin", stdin)
    ticks = []

    def tick() -> bool:
        ticks.append(1)
        if len(ticks) == 3:
            os.write(w, b"2\n")
            return True  # pretend problems were printed: the prompt is shown again
        return False

    out = io.StringIO()
    try:
        assert watch._wait_select("Kies: ", tick, out, 0.01) == "2"
    finally:
        os.close(w)
        stdin.close()
    assert len(ticks) >= 3
    assert out.getvalue().count("Kies: ") == 2


@pytest.mark.skipif(os.name != "posix", reason="select() on pipes is POSIX")
def test_select_reader_eof(monkeypatch):
    r, w = os.pipe()
    os.close(w)
    stdin = os.fdopen(r, "r")
    monkeypatch.setattr(sys, "stdin", stdin)
    with pytest.raises(EOFError):
        watch._wait_select("> ", lambda: False, io.StringIO(), 0.01)
    stdin.close()


def test_plain_reader_checks_between_prompts(monkeypatch):
    calls = []
    monkeypatch.setattr("builtins.input", lambda prompt: calls.append(prompt) or "1")
    waiter = watch._wait_plain
    assert waiter("> ", lambda: calls.append("tick") or False, io.StringIO(), 0.5) == "1"
    assert calls == ["tick", "> "]
