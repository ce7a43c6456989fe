"""Text play: a stopped game is recorded once as abandoned; at the end a results file can be saved."""
from __future__ import annotations

from pathlib import Path

import pytest

import game.records.export as E
from game.records import results
from game.records.store import Store
from helpers import text_game  # noqa: E402

EXAMPLE = str(Path(__file__).resolve().parent.parent / "scenarios" / "voorbeeld.yaml")


def game(story, answers, store=None, lang="nl", seed=1):
    return text_game(story, answers, store, lang, seed, EXAMPLE)


def turns_to_end(story, seed=1, pick="1") -> list[str]:
    s = story.new_session(seed=seed)
    answers = []
    while not s.finished:
        s.choose(int(pick))
        answers.append(pick)
    return answers


@pytest.mark.parametrize("leave", [["q"], []], ids=["q", "end of input"])
def test_a_stopped_game_is_recorded_once_as_abandoned(story, tmp_path, leave):
    store = Store(root=tmp_path)
    g, out = game(story, ["1"] + leave, store=store)
    assert g.play() == 0
    assert "bijgeschreven bij je gespeelde sessies (als gestopt)" in " ".join(out.getvalue().split())
    [row] = store.sessions(status="abandoned")
    assert row["turns"] == 1 and row["result"]["status"] == "abandoned"
    assert store.finished_sessions() == [] and store.discovered_endings("voorbeeld") == set()
    # continued and stopped again: still one abandoned row, at the later state
    again, _ = game(story, ["j", "1", "q"], store=Store(root=tmp_path))
    again.play()
    if not again.session.finished:
        [row] = Store(root=tmp_path).sessions(status="abandoned")
        assert row["turns"] == 2


def test_stopping_before_any_choice_records_nothing(story, tmp_path):
    store = Store(root=tmp_path)
    g, out = game(story, ["q"], store=store)
    g.play()
    assert store.sessions() == [] and "gestopt)" not in out.getvalue()


@pytest.mark.parametrize("nickname, expected", [("  De  Vos ", "De Vos"), ("", ""), (None, "")],
                         ids=["nickname", "empty", "input ends"])
def test_save_the_result_at_the_end(story, tmp_path, nickname, expected):
    store = Store(root=tmp_path)
    answers = turns_to_end(story) + ["r"] + ([] if nickname is None else [nickname])
    g, out = game(story, answers, store=store)
    assert g.play() == 0 and g.session.finished
    text = out.getvalue()
    assert "r = resultaat opslaan" in text and "Resultaat opgeslagen: " in text
    [path] = (tmp_path / "resultaten").iterdir()
    doc = results.load(path).doc
    assert doc["nickname"] == expected and doc["status"] == "finished"
    assert doc["id"] == store.finished_sessions()[0]["session_id"]


def test_enter_at_the_end_saves_nothing(story, tmp_path):
    g, out = game(story, turns_to_end(story) + [""], store=Store(root=tmp_path))
    g.play()
    assert not (tmp_path / "resultaten").exists() and "Resultaat opgeslagen" not in out.getvalue()


def test_a_long_nickname_is_cut_and_said(story, tmp_path):
    g, out = game(story, turns_to_end(story) + ["r", "x" * 41], store=Store(root=tmp_path), lang="en")
    g.play()
    assert "shortened to 40 characters" in out.getvalue()
    [path] = (tmp_path / "resultaten").iterdir()
    assert results.load(path).doc["nickname"] == "x" * 40


def test_a_failed_save_says_so_in_one_sentence(story, tmp_path, monkeypatch):
    def refuse(*a, **k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(E, "write_new", refuse)
    g, out = game(story, turns_to_end(story) + ["r", ""], store=Store(root=tmp_path), lang="en")
    assert g.play() == 0
    last = out.getvalue().strip().splitlines()[-1]
    assert "The result could not be saved in" in last and "nothing was left half-written" in last
    assert list((tmp_path / "resultaten").iterdir()) == []
