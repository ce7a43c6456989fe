"""game.records.store: settings, save slots and the SQLite file of finished sessions."""
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from game.play.engine import Session
from game.scenario.problems import SaveError
from game.records.store import Settings, SlotInfo, Store, error_text, validate_slot
from helpers import finish, one_sentence  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = str(ROOT / "scenarios" / "voorbeeld.yaml")



def all_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def damaged(root: Path, name: str) -> list[Path]:
    return sorted(root.rglob(f"{name}.damaged-*"))


# -- where the files live ----------------------------------------------------------------
def test_root_from_env_and_lazy_creation(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("TEGENMACHT_HOME", str(home))
    store = Store()
    assert store.root == home
    assert store.slots() == [] and store.latest() is None
    assert store.load_settings() == Settings()
    assert not home.exists()  # reading creates nothing


def test_default_root_is_platformdirs(monkeypatch):
    import platformdirs

    monkeypatch.delenv("TEGENMACHT_HOME", raising=False)
    assert Store().root == Path(platformdirs.user_data_dir("tegenmacht", appauthor=False))


def test_records_module_does_not_import_pygame():
    code = "import sys, game.records.store; sys.exit(1 if 'pygame' in sys.modules else 0)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


# -- saves -------------------------------------------------------------------------------
def test_save_restore_round_trip_continues_identically(tmp_path, story):
    store = Store(root=tmp_path)
    original = story.new_session(seed=11)
    original.choose(1)
    info = store.save("mijn-spel", original, EXAMPLE)
    assert isinstance(info, SlotInfo)
    assert (info.slot, info.scenario_id, info.turns, info.finished) == ("mijn-spel", "voorbeeld", 1, False)
    assert info.title_nl == story.scenario.title.nl and info.title_en == story.scenario.title.en
    assert info.scenario_path == os.path.abspath(EXAMPLE)

    restored = store.restore("mijn-spel", story)
    assert restored.to_json() == original.to_json()
    for _ in range(10):
        if original.finished:
            break
        key = original.available()[-1].key
        original.choose(key)
        restored.choose(key)
        assert restored.to_json() == original.to_json()
    assert restored.finished and restored.state == original.state


def test_save_file_layout(tmp_path, story):
    store = Store(root=tmp_path)
    s = story.new_session(seed=2)
    store.save("a", s, EXAMPLE)
    data = json.loads((tmp_path / "saves" / "a.json").read_text(encoding="utf-8"))
    assert data["format"] == 1
    assert {"saved_at", "scenario_path", "scenario_id", "title", "turns", "finished", "session"} <= set(data)
    assert data["session"] == s.to_json()
    assert data["title"] == {"nl": story.scenario.title.nl, "en": story.scenario.title.en}


def test_autosave_latest_and_several_slots_newest_first(tmp_path, story):
    store = Store(root=tmp_path)
    s = story.new_session(seed=5)
    store.save("eerste", s, EXAMPLE)
    s.choose(1)
    store.save("tweede", s, EXAMPLE)
    s.choose(1)
    s.choose(1)  # the example ends after three choices
    auto = store.autosave(s, EXAMPLE)
    assert auto.slot == "autosave" and auto.finished and auto.turns == 3
    assert [i.slot for i in store.slots()] == ["autosave", "tweede", "eerste"]
    assert store.latest() == auto
    # a fresh Store (a new start of the game) sees the same
    again = Store(root=tmp_path)
    assert [i.slot for i in again.slots()] == ["autosave", "tweede", "eerste"]
    assert again.latest().slot == "autosave"
    # overwriting a slot makes it the newest
    store.save("eerste", s, EXAMPLE)
    assert store.latest().slot == "eerste"
    assert store.delete("eerste") is True
    assert store.delete("eerste") is False
    assert [i.slot for i in store.slots()] == ["autosave", "tweede"]
    with pytest.raises(SaveError):
        store.restore("eerste", story)


@pytest.mark.parametrize("bad", ["", "../x", "a b", "a.json", "x/y", "con", "NUL", "com1", "é", "a" * 65, None])
def test_slot_names_are_validated(tmp_path, story, bad):
    store = Store(root=tmp_path)
    with pytest.raises(ValueError):
        store.save(bad, story.new_session(seed=1), EXAMPLE)
    with pytest.raises(ValueError):
        store.restore(bad, story)
    with pytest.raises(ValueError):
        store.delete(bad)
    assert not (tmp_path / "saves").exists() or list((tmp_path / "saves").iterdir()) == []


def test_good_slot_names():
    for good in ("autosave", "Slot_1", "a-b", "x" * 64):
        assert validate_slot(good) == good


def test_restore_missing_slot(tmp_path, story):
    store = Store(root=tmp_path)
    with pytest.raises(SaveError) as info:
        store.restore("niets", story)
    assert one_sentence(str(info.value))
    assert "niets" in error_text(info.value, "nl") and error_text(info.value, "nl") != error_text(info.value, "en")


def _write_slot(tmp_path, slot, text):
    p = tmp_path / "saves" / f"{slot}.json"
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize("kind", ["truncated", "not-json", "wrong-format", "not-object", "missing-field",
                                  "bad-session", "binary"])
def test_damaged_save_is_set_aside_others_intact(tmp_path, story, kind):
    store = Store(root=tmp_path)
    s = story.new_session(seed=7)
    store.save("goed", s, EXAMPLE)
    store.save("kapot", s, EXAMPLE)
    good_bytes = (tmp_path / "saves" / "goed.json").read_bytes()
    path = tmp_path / "saves" / "kapot.json"
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    if kind == "truncated":
        path.write_text(text[: len(text) // 2], encoding="utf-8")
    elif kind == "not-json":
        path.write_text("dit is geen json", encoding="utf-8")
    elif kind == "wrong-format":
        data["format"] = 99
        path.write_text(json.dumps(data), encoding="utf-8")
    elif kind == "not-object":
        path.write_text("[1, 2, 3]", encoding="utf-8")
    elif kind == "missing-field":
        del data["session"]
        path.write_text(json.dumps(data), encoding="utf-8")
    elif kind == "bad-session":
        data["session"]["play"]["meters"] = {"nope": 1}
        path.write_text(json.dumps(data), encoding="utf-8")
    elif kind == "binary":
        path.write_bytes(b"\xff\xfe\x00garbage\x80")
    before = path.read_bytes()

    with pytest.raises(SaveError) as info:
        store.restore("kapot", story)
    msg = str(info.value)
    assert one_sentence(msg), msg
    assert one_sentence(error_text(info.value, "nl"))
    assert "kapot" in msg
    assert not path.exists()
    aside = damaged(tmp_path, "kapot.json")
    assert len(aside) == 1 and aside[0].read_bytes() == before  # set aside, not lost
    assert store.warnings == []  # the SaveError carries the news; not repeated as a warning
    # the other save is untouched and still restores
    assert (tmp_path / "saves" / "goed.json").read_bytes() == good_bytes
    assert store.restore("goed", story).to_json() == s.to_json()
    assert [i.slot for i in store.slots()] == ["goed"]


def test_slots_sets_damaged_files_aside_without_raising(tmp_path, story):
    store = Store(root=tmp_path)
    store.save("goed", story.new_session(seed=1), EXAMPLE)
    _write_slot(tmp_path, "half", '{"format": 1, "saved_at": "2024-01-01T10:00')
    _write_slot(tmp_path, "oud", json.dumps({"format": 0}))
    (tmp_path / "saves" / "niet een slot.json").write_text("{}", encoding="utf-8")  # not ours: left alone
    infos = store.slots()
    assert [i.slot for i in infos] == ["goed"]
    assert len(store.warnings) == 2
    assert {p.name.split(".")[0] for p in damaged(tmp_path, "*.json")} == {"half", "oud"}
    assert (tmp_path / "saves" / "niet een slot.json").exists()
    nl, en = store.warning_texts("nl"), store.warning_texts("en")
    assert len(nl) == len(en) == 2 and nl != en
    # set aside twice in the same second: both kept
    _write_slot(tmp_path, "half", "{")
    store.slots()
    assert len(damaged(tmp_path, "half.json")) == 2


def test_save_of_another_scenario(tmp_path, story):
    store = Store(root=tmp_path)
    s = story.new_session(seed=1)
    info = store.save("ander", s, EXAMPLE)
    p = tmp_path / "saves" / "ander.json"
    data = json.loads(p.read_text(encoding="utf-8"))
    data["scenario_id"] = "een-ander-scenario"
    data["session"]["scenario"] = "een-ander-scenario"
    p.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(SaveError) as err:
        store.restore("ander", story)
    assert one_sentence(str(err.value)) and "een-ander-scenario" in str(err.value)
    assert p.exists() and not damaged(tmp_path, "ander.json")  # a good save of another scenario: kept as is
    assert [i.scenario_id for i in store.slots()] == ["een-ander-scenario"]
    assert info.scenario_id == "voorbeeld"


def test_save_from_an_older_scenario_version_is_kept(tmp_path, story):
    store = Store(root=tmp_path)
    store.save("oud", story.new_session(seed=1), EXAMPLE)
    p = tmp_path / "saves" / "oud.json"
    data = json.loads(p.read_text(encoding="utf-8"))
    data["scenario_version"] = "0.1"
    data["session"]["play"]["scene"] = "een-scene-die-weg-is"
    p.write_text(json.dumps(data), encoding="utf-8")
    # not damaged: the scenario changed since; the save replays (here: no choices yet) and is kept
    restored = store.restore("oud", story)
    assert restored.state == story.scenario.start and restored.seed == 1
    [note] = store.warning_texts("en")
    assert one_sentence(note) and "changed" in note and "0 of 0" in note
    assert p.exists() and not damaged(tmp_path, "oud.json")


def test_atomic_write_leaves_no_temp_files(tmp_path, story):
    store = Store(root=tmp_path)
    s = story.new_session(seed=1)
    for _ in range(3):
        store.save("a", s, EXAMPLE)
        store.autosave(s, EXAMPLE)
        store.save_settings(Settings(text_size="large"))
    assert all_files(tmp_path) == ["saves/a.json", "saves/autosave.json", "settings.json"]


def test_failed_write_keeps_old_file_and_no_temp(tmp_path, story, monkeypatch):
    store = Store(root=tmp_path)
    s = story.new_session(seed=1)
    store.save("a", s, EXAMPLE)
    before = (tmp_path / "saves" / "a.json").read_bytes()

    def boom(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    s.choose(1)
    with pytest.raises(SaveError) as err:
        store.save("a", s, EXAMPLE)
    assert one_sentence(str(err.value))
    monkeypatch.undo()
    assert (tmp_path / "saves" / "a.json").read_bytes() == before
    assert all_files(tmp_path) == ["saves/a.json"]


# -- settings ----------------------------------------------------------------------------
def test_settings_round_trip(tmp_path):
    store = Store(root=tmp_path)
    assert store.load_settings() == Settings(lang="nl", text_size="normal", high_contrast=False, coach=True,
                                             fullscreen=False)
    mine = Settings(lang="en", text_size="xlarge", high_contrast=True, coach=False, fullscreen=True)
    store.save_settings(mine)
    data = json.loads((tmp_path / "settings.json").read_text(encoding="utf-8"))
    assert data["format"] == 1 and data["text_size"] == "xlarge"
    assert Store(root=tmp_path).load_settings() == mine
    assert store.warnings == []


def test_settings_rejects_bad_values_in_code():
    with pytest.raises(ValueError):
        Settings(text_size="huge")
    with pytest.raises(ValueError):
        Settings(lang="de")
    with pytest.raises(ValueError):
        Settings(coach="yes")


@pytest.mark.parametrize("text", ["{", "nonsense", "[]", '{"format": 7, "lang": "en"}', "\udcff"])
def test_damaged_settings_give_defaults_and_are_set_aside(tmp_path, text):
    p = tmp_path / "settings.json"
    if text == "\udcff":
        p.write_bytes(b"\xff\xfe\x80")
    else:
        p.write_text(text, encoding="utf-8")
    store = Store(root=tmp_path)
    assert store.load_settings() == Settings()
    assert not p.exists() and len(damaged(tmp_path, "settings.json")) == 1
    assert len(store.warnings) == 1
    assert all(one_sentence(w) for w in store.warning_texts("nl") + store.warning_texts("en"))


def test_settings_with_one_bad_value_keep_the_good_ones(tmp_path):
    p = tmp_path / "settings.json"
    p.write_text(json.dumps({"format": 1, "lang": "en", "text_size": "gigantisch", "coach": False,
                             "future_setting": 3}), encoding="utf-8")
    store = Store(root=tmp_path)
    got = store.load_settings()
    assert got == Settings(lang="en", text_size="normal", coach=False)
    assert len(store.warnings) == 1 and "text_size" in store.warning_texts("en")[0]
    assert one_sentence(store.warning_texts("en")[0]) and one_sentence(store.warning_texts("nl")[0])
    # the bad value alone falls back: the file is rewritten, not set aside, so the next start is quiet
    assert not damaged(tmp_path, "settings.json")
    again = Store(root=tmp_path)
    assert again.load_settings() == got and again.warnings == []


@pytest.mark.parametrize("bad", ['"nee"', "NaN", "Infinity", "-Infinity", "1e400", "7" * 5000, "[1]"])
def test_one_bad_setting_falls_back_alone_and_the_file_is_rewritten(tmp_path, bad):
    p = tmp_path / "settings.json"
    p.write_text('{"format": 1, "lang": "en", "text_size": "large", "high_contrast": true, "coach": %s}' % bad,
                 encoding="utf-8")
    store = Store(root=tmp_path)
    got = store.load_settings()
    assert got == Settings(lang="en", text_size="large", high_contrast=True, coach=True)
    [nl], [en] = store.warning_texts("nl"), store.warning_texts("en")
    assert "coach" in en and "on" in en and "aan" in nl and one_sentence(en) and one_sentence(nl)
    assert len(en) < 300  # a 5,000-digit value is shortened in the message
    assert json.loads(p.read_text(encoding="utf-8"))["coach"] is True and not damaged(tmp_path, "settings.json")
    second = Store(root=tmp_path)
    assert second.load_settings() == got and second.warnings == []


def test_settings_repair_that_cannot_be_written_says_so(tmp_path, monkeypatch):
    import errno

    import game.records.common as C

    p = tmp_path / "settings.json"
    p.write_text('{"format": 1, "lang": "en", "coach": "nee"}', encoding="utf-8")

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(C, "atomic_write", full)
    store = Store(root=tmp_path)
    assert store.load_settings() == Settings(lang="en")
    assert "could not be repaired" in store.warning_texts("en")[0]
    assert '"nee"' in p.read_text(encoding="utf-8")  # the file is left as it was


def test_settings_missing_keys_are_defaults_without_warning(tmp_path):
    (tmp_path / "settings.json").write_text('{"format": 1, "lang": "en"}', encoding="utf-8")
    store = Store(root=tmp_path)
    assert store.load_settings() == Settings(lang="en")
    assert store.warnings == []


# -- finished sessions (SQLite) ------------------------------------------------------------
def test_record_finished_and_discovered_endings(tmp_path, story):
    from game.play.scoring import score

    store = Store(root=tmp_path)
    assert store.discovered_endings("voorbeeld") == set()
    a = finish(story.new_session(seed=1), pick=1)
    b = finish(story.new_session(seed=2), pick=2)
    store.record_finished(a, EXAMPLE)
    store.record_finished(b, EXAMPLE, replay=True)
    assert store.discovered_endings("voorbeeld") == {a.state, b.state}
    assert store.discovered_endings("iets-anders") == set()
    rows = store.finished_sessions("voorbeeld")
    assert len(rows) == 2 and store.finished_sessions() == rows and store.finished_sessions("x") == []
    r = rows[0]
    sa = score(a)
    assert r["scenario_id"] == "voorbeeld" and r["scenario_version"] == story.scenario.version
    assert r["seed"] == 1 and r["choices"] == a.choice_keys() and r["ending"] == a.state
    assert (r["tegenmacht"], r["eigenaarschap"], r["archetype"]) == (sa.tegenmacht, sa.eigenaarschap,
                                                                      sa.archetype.id)
    assert r["strategy"] == sa.strategy and r["agency"] == sa.agency and r["turns"] == a.turns
    assert r["replay"] is False and rows[1]["replay"] is True and r["finished_at"]
    # the recorded choices replay to the same ending
    again = Session.replay(story, r["seed"], r["choices"])
    assert again.state == r["ending"]
    # plain sqlite3 sees a schema version
    with sqlite3.connect(tmp_path / "records.sqlite3") as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 2
        assert db.execute("SELECT count(*) FROM finished").fetchone()[0] == 2
    # a new Store (next start of the game) reads the same
    assert Store(root=tmp_path).discovered_endings("voorbeeld") == {a.state, b.state}


def test_record_unfinished_session_is_refused(tmp_path, story):
    with pytest.raises(ValueError):
        Store(root=tmp_path).record_finished(story.new_session(seed=1), EXAMPLE)


@pytest.mark.parametrize("content", [b"dit is geen database" * 20, b"", "half"])
def test_damaged_database_is_set_aside_and_replaced(tmp_path, story, content):
    store = Store(root=tmp_path)
    s = finish(story.new_session(seed=3))
    store.save("bewaard", s, EXAMPLE)
    db = tmp_path / "records.sqlite3"
    if content == "half":
        store.record_finished(s, EXAMPLE)
        raw = db.read_bytes()
        content = raw[: len(raw) // 2] + b"\x00" * 7  # a cut-off copy
    if content == b"":
        # an empty file is a valid empty SQLite database: not damaged, just used
        db.write_bytes(content)
        fresh = Store(root=tmp_path)
        fresh.record_finished(s, EXAMPLE)
        assert fresh.discovered_endings("voorbeeld") == {s.state} and fresh.warnings == []
        return
    db.write_bytes(content)
    fresh = Store(root=tmp_path)
    assert fresh.discovered_endings("voorbeeld") == set()  # never raises
    fresh.record_finished(s, EXAMPLE)
    assert fresh.discovered_endings("voorbeeld") == {s.state}
    aside = damaged(tmp_path, "records.sqlite3")
    assert len(aside) == 1 and aside[0].read_bytes() == content
    assert len(fresh.warnings) == 1 and one_sentence(fresh.warning_texts("en")[0])
    assert one_sentence(fresh.warning_texts("nl")[0])
    # saves are not touched
    assert fresh.restore("bewaard", story).to_json() == s.to_json()


def test_foreign_sqlite_file_is_set_aside(tmp_path, story):
    with sqlite3.connect(tmp_path / "records.sqlite3") as db:
        db.execute("CREATE TABLE something (x)")
    db.close()
    store = Store(root=tmp_path)
    store.record_finished(finish(story.new_session(seed=1)), EXAMPLE)
    assert len(store.finished_sessions()) == 1
    assert damaged(tmp_path, "records.sqlite3") and store.warnings


def test_database_from_a_newer_game_is_left_alone(tmp_path, story):
    path = tmp_path / "records.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 99")
    db.close()
    before = path.read_bytes()
    store = Store(root=tmp_path)
    s = finish(story.new_session(seed=1))
    assert store.record_finished(s, EXAMPLE) == "kept"
    assert store.finished_sessions() == []
    # the session waits in the queue beside the file (and its ending counts as discovered)
    assert [r["seed"] for r in store.pending_sessions()] == [1]
    assert store.discovered_endings("voorbeeld") == {s.state}
    assert path.read_bytes() == before and not damaged(tmp_path, "records.sqlite3")
    en = store.warning_texts("en")[0]
    assert "newer" in en and "kept and will be recorded later" in en and one_sentence(en)


def test_a_records_error_is_put_into_words_late_like_every_error(tmp_path, story):
    """A SaveError of the store carries its key and fields, and renders in whichever language shows it
    (error_text and TegenmachtError.text agree; str() is English)."""
    store = Store(root=tmp_path)
    with pytest.raises(SaveError) as caught:
        store.restore("nergens", story)
    err = caught.value
    assert err.key == "store.no-such-slot" and err.params == {"slot": "nergens"}
    assert error_text(err, "nl") == err.text("nl") == "Er is geen opslag met de naam 'nergens'."
    assert error_text(err, "en") == err.text("en") == str(err) == "There is no save named 'nergens'."
