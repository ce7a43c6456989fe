"""The window: "Save result" on the end screen, and games left halfway recorded as abandoned."""
from __future__ import annotations

import errno
from pathlib import Path

import pytest

pygame = pytest.importorskip("pygame")
pytest.importorskip("pygame_gui")

import game.records.export as E  # noqa: E402
from game.records import results  # noqa: E402
from game.ui.app import App  # noqa: E402
from helpers import make_app, play_to_the_end  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = str(ROOT / "scenarios" / "voorbeeld.yaml")


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("TEGENMACHT_HOME", str(tmp_path / "home"))
    yield tmp_path / "home"
    pygame.display.quit()


make = make_app


def saved(home: Path) -> list[Path]:
    folder = home / "resultaten"
    return sorted(folder.iterdir()) if folder.exists() else []


@pytest.mark.parametrize("size", [(1280, 720), (1024, 600), (800, 600)])
def test_the_end_screen_has_save_result_in_both_languages(size):
    app = make(path=EXAMPLE, size=size)
    play_to_the_end(app)
    assert app.screen.name == "debrief"
    labels = {b["id"]: b for b in app.screen.buttons()}
    assert "result" in labels and "Resultaat opslaan" in labels["result"]["label"]
    w, h = size
    for b in app.screen.btns:  # every action fits in the window
        if b.id in ("result", "png", "again", "history", "title") and app.screen.in_sight(b):
            assert 0 <= b.rect.left and b.rect.right <= w and b.rect.bottom <= h
    app.change_setting("lang", "en")
    assert any("Save result" in b["label"] for b in app.screen.buttons())


def test_save_result_with_a_nickname_from_the_end_screen(home):
    app = make(path=EXAMPLE)
    play_to_the_end(app)
    app.key(pygame.K_e)
    assert app.screen.name == "result"
    shown = "".join(" ".join(app.screen.visible_texts()).split())  # a long path breaks after a /
    assert str(home / "resultaten") in shown  # where, before saving
    app.type_text("Vos")
    app.key(pygame.K_RETURN)
    [path] = saved(home)
    doc = results.load(path).doc
    assert doc["nickname"] == "Vos" and doc["status"] == "finished" and doc["id"] == results.session_id(app.session)
    assert app.notice_text == f"Resultaat opgeslagen: {path}" and app.screen.message == app.notice_text
    # saved again: the same file, not a second one
    app.screen.press("save_result")
    assert saved(home) == [path] and "al opgeslagen" in app.notice_text
    app.key(pygame.K_ESCAPE)
    assert app.screen.name == "debrief"


def test_no_nickname_is_fine(home):
    app = make(path=EXAMPLE)
    play_to_the_end(app)
    app.show_save_result()
    app.screen.press("save_result")
    [path] = saved(home)
    assert results.load(path).doc["nickname"] == ""


def test_a_nickname_that_is_too_long_is_cut_and_said(home):
    app = make(path=EXAMPLE, lang="en")
    play_to_the_end(app)
    msg = app.save_result("x" * 60)
    [path] = saved(home)
    assert results.load(path).doc["nickname"] == "x" * 40
    assert msg.startswith("The nickname was shortened to 40 characters. Result saved: ")


def test_a_failed_save_says_so_and_leaves_nothing(home, monkeypatch):
    app = make(path=EXAMPLE, lang="en")
    play_to_the_end(app)

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(E, "write_new", full)
    msg = app.save_result("")
    assert msg == app.notice_text
    assert msg.startswith("The result could not be saved in") and "disk is full" in msg and msg.endswith(".")
    assert msg.count(". ") == 0 and saved(home) == []


# -- abandoned ------------------------------------------------------------------------------------------
def abandoned(app: App) -> list[dict]:
    assert app.store.wait(5)
    return app.store.sessions(status="abandoned")


def test_back_to_title_after_a_choice_records_one_abandoned_session(home):
    app = make(path=EXAMPLE)
    app.choose(1)
    app.to_title()
    app.to_title()  # again, same point: not twice
    [row] = abandoned(app)
    assert row["turns"] == 1 and row["result"]["status"] == "abandoned"
    assert app.store.finished_sessions() == [] and app.store.discovered_endings("voorbeeld") == set()


def test_no_choice_no_record_and_a_finished_game_is_not_abandoned(home):
    app = make(path=EXAMPLE)
    app.to_title()
    assert abandoned(app) == []
    app.start(EXAMPLE)
    play_to_the_end(app)
    app.to_title()
    app.quit()
    assert abandoned(app) == [] and len(app.store.finished_sessions()) == 1


def test_another_scenario_or_closing_the_window_records_it(home):
    app = make(path=EXAMPLE)
    app.choose(1)
    app.start(EXAMPLE, seed=2)  # another game (here the same scenario anew; the tests' clock stands still)
    assert len(abandoned(app)) == 1
    app.choose(1)
    app.choose(1)
    app.handle(pygame.event.Event(pygame.QUIT))
    assert not app.running
    rows = abandoned(app)
    assert sorted(r["turns"] for r in rows) == [1, 2]


def test_continue_and_leave_again_replaces_the_row(home):
    app = make(path=EXAMPLE)
    app.choose(1)
    app.to_title()
    assert len(abandoned(app)) == 1
    app.resume_latest()
    assert app.session.turns == 1
    app.choose(1)
    if not app.session.finished:
        app.to_title()
        [row] = abandoned(app)
        assert row["turns"] == 2
