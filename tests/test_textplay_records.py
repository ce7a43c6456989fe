"""Text play (the screen-reader route) saves and records like the window."""
from __future__ import annotations

import errno
from pathlib import Path

import pytest

import game.records.common as C
import game.records.sessions as R
from game.cli import main
from game.records.store import Store
from helpers import text_game  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = str(ROOT / "scenarios" / "voorbeeld.yaml")


def game(story, answers, store=None, lang="nl", seed=1):
    return text_game(story, answers, store, lang, seed, EXAMPLE)


@pytest.mark.parametrize("typed", ["²", "³", "⑴", "١", "1" * 10_000, "0", "-1", "1.0", " "])
def test_odd_input_gets_the_usual_sentence(story, typed):
    g, out = game(story, [typed, "q"])
    assert g.play() == 0
    text = out.getvalue()
    assert "Typ een nummer van 1 tot" in text and "Gestopt" in text and g.session.turns == 0


def test_a_choice_is_saved_and_a_stopped_game_resumes(story, tmp_path):
    store = Store(root=tmp_path)
    g, out = game(story, ["2"], store=store)  # one choice, then the input ends (like Ctrl-D)
    assert g.play() == 0 and not g.session.finished
    assert "start opnieuw om verder te spelen" in out.getvalue()
    info = store.info("autosave")
    assert info is not None and info.turns == 1 and not info.finished
    keys = g.session.choice_keys()
    again, out2 = game(story, ["j", "q"], store=Store(root=tmp_path), seed=99)
    again.play()
    text = out2.getvalue()
    assert "beurt 1" in text and "Verder met het bewaarde spel" in text
    assert again.session.choice_keys() == keys and again.session.seed == 1
    # "n" starts a new game instead
    fresh, _ = game(story, ["n", "q"], store=Store(root=tmp_path), seed=5)
    fresh.play()
    assert fresh.session.turns == 0 and fresh.session.seed == 5


def test_a_finished_text_game_is_recorded(story, tmp_path):
    store = Store(root=tmp_path)
    g, out = game(story, ["1"] * 50, store=store, lang="en")
    assert g.play() == 0 and g.session.finished
    assert "This session has been added to your played sessions." in out.getvalue()
    [row] = store.finished_sessions()
    assert row["seed"] == 1 and row["choices"] == g.session.choice_keys() and row["lang"] == "en"
    assert store.info("autosave").finished  # no resume offered for a finished game
    again, out2 = game(story, ["q"], store=Store(root=tmp_path))
    again.play()
    assert "Verder spelen?" not in out2.getvalue()


def test_a_failed_autosave_is_said_in_one_sentence(story, tmp_path, monkeypatch):
    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(C, "atomic_write", full)
    g, out = game(story, ["1", "q"], store=Store(root=tmp_path), lang="en")
    g.play()
    lines = [ln.split(": ", 1)[-1] if ln.startswith("Choose") else ln
             for ln in out.getvalue().splitlines() if "Saving automatically failed" in ln]
    assert lines == ["Saving automatically failed (the disk is full); the previous automatic save stays as it was."]
    assert "start again to continue" not in out.getvalue()  # it was not saved: no promise


def test_a_session_that_cannot_be_recorded_is_kept_and_said(story, tmp_path, monkeypatch):
    monkeypatch.setattr(R.Sessions, "_db_open", lambda self, t: (_ for _ in ()).throw(
        R.sqlite3.OperationalError("database is locked")))
    store = Store(root=tmp_path)
    g, out = game(story, ["1"] * 50, store=store, lang="en")
    g.play()
    text = out.getvalue()
    flat = " ".join(text.split())  # the sentence is wrapped at the terminal's width
    assert "in use by another program" in flat and "kept and will be recorded later" in flat
    # said after the debrief, not lost in it (only the offer to save a results file follows)
    assert text.split("r = save the result")[0].rstrip().endswith("recorded later.")
    assert [r["seed"] for r in store.pending_sessions()] == [1]


def test_play_text_from_the_command_line_saves_resumes_and_records(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("TEGENMACHT_HOME", str(tmp_path / "home"))
    answers = iter(["2"])

    def fake_input(prompt=""):
        try:
            return next(answers)
        except StopIteration:
            raise KeyboardInterrupt from None  # Ctrl-C in the middle of the game

    monkeypatch.setattr("builtins.input", fake_input)
    assert main(["play", "--text", "--seed", "3", EXAMPLE]) == 0
    assert Store().info("autosave").turns == 1
    answers = iter(["j"] + ["1"] * 50)
    assert main(["play", "--text", EXAMPLE]) == 0
    out = capsys.readouterr().out
    assert "Verder met het bewaarde spel (beurt 1, seed 3)" in out and "bijgeschreven" in out
    [row] = Store().finished_sessions()
    assert row["seed"] == 3 and len(row["choices"]) >= 2 and row["turns"] == len(row["choices"])


# -- tegenmacht records -----------------------------------------------------------------------
def test_records_lists_what_was_kept(story, monkeypatch, capsys, tmp_path):
    import json as _json

    monkeypatch.setenv("TEGENMACHT_HOME", str(tmp_path / "home"))
    assert main(["records"]) == 0
    assert "Nog geen uitgespeelde sessies" in capsys.readouterr().out
    assert main(["records", "--json"]) == 0
    assert _json.loads(capsys.readouterr().out)["sessions"] == []
    s = story.new_session(seed=8)
    while not s.finished:
        s.choose(1)
    Store().record_finished(s, EXAMPLE, replay=True)
    monkeypatch.setattr(R.Sessions, "_db_open", lambda self, t: (_ for _ in ()).throw(
        R.sqlite3.OperationalError("database or disk is full")))
    Store().record_finished(s, EXAMPLE)
    monkeypatch.undo()
    monkeypatch.setenv("TEGENMACHT_HOME", str(tmp_path / "home"))
    assert main(["records", "--json"]) == 0
    data = _json.loads(capsys.readouterr().out)
    [kept, waiting] = data["sessions"]
    assert kept["seed"] == 8 and kept["ending"] == s.state and kept["replay"] is True and kept["pending"] is False
    assert kept["scenario_id"] == "voorbeeld" and kept["scenario_version"] == str(story.scenario.version)
    assert kept["tegenmacht"] >= 0 and kept["finished_at"] and kept["choices"] == s.choice_keys()
    assert waiting["pending"] is True and waiting["id"] is None
    assert main(["--lang", "en", "records"]) == 0
    out = capsys.readouterr().out
    assert "voorbeeld" in out and "(replay)" in out and "1 still waiting" in out
    assert main(["records", "--scenario", "iets-anders", "--json"]) == 0
    assert _json.loads(capsys.readouterr().out)["sessions"] == []


def test_no_line_of_the_terminal_game_is_wider_than_its_width(story):
    """Coach rule lines, choices and locked choices wrap like the rest (a terminal would break them mid-word)."""
    from game.text.play import WIDTH

    g, out = game(story, ["1", "", "1", "", "1", "", "1", "", "q"], seed=3)
    assert g.play() == 0
    text = out.getvalue()
    assert "•" in text and "[op slot:" in text.replace("\n     ", " ")
    wide = [line for line in text.splitlines() if len(line) > WIDTH and not line.startswith("Kies ")]
    assert wide == []
