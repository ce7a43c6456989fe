"""records.sqlite3 schema 1 -> 2: abandoned sessions and results documents, and no row lost.

``tests/data/records-v1.sqlite`` was made by the code of main before schema 2 (four finished
sessions of voorbeeld, seeds 1-4, seed 3 a replay), and ``records-v1-pending.json`` is a queue
file that code left behind (seed 5), as it does when the database is locked at the finish.
"""
import shutil
import sqlite3
from pathlib import Path

import pytest

import game.records.sessions as R
from game.records import results
from game.records.store import Store
from helpers import finish, one_sentence  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
EXAMPLE = str(Path(__file__).resolve().parent.parent / "scenarios" / "voorbeeld.yaml")
V1_ROWS = [(1, 1, "wachten", 0), (2, 2, "voor-ons", 0), (3, 3, "wachten", 1), (4, 4, "voor-ons", 0)]



def v1_folder(tmp_path: Path, pending: bool = False) -> Path:
    shutil.copy(DATA / "records-v1.sqlite", tmp_path / "records.sqlite3")
    if pending:
        (tmp_path / R.PENDING_DIR).mkdir()
        shutil.copy(DATA / "records-v1-pending.json", tmp_path / R.PENDING_DIR / "20261123-191342-old.json")
    return tmp_path


def raw(path: Path, sql: str) -> list:
    db = sqlite3.connect(path / "records.sqlite3")
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def version(path: Path) -> int:
    return raw(path, "PRAGMA user_version")[0][0]


def test_the_fixture_is_a_schema_1_file():
    folder = DATA
    db = sqlite3.connect(f"file:{folder / 'records-v1.sqlite'}?mode=ro", uri=True)
    try:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 1
        assert tuple(r[1] for r in db.execute("PRAGMA table_info(finished)")) == R._COLUMNS_V1
        assert db.execute("SELECT id, seed, ending, replay FROM finished ORDER BY id").fetchall() == V1_ROWS
    finally:
        db.close()


def test_an_old_file_is_read_as_it_is_before_any_write(tmp_path):
    folder = v1_folder(tmp_path)
    before = (folder / "records.sqlite3").read_bytes()
    store = Store(root=folder)
    rows = store.finished_sessions()
    assert [(r["id"], r["seed"], r["ending"], int(r["replay"])) for r in rows] == V1_ROWS
    assert all(r["status"] == "finished" and r["result"] is None and r["session_id"] is None for r in rows)
    assert store.discovered_endings("voorbeeld") == {"wachten", "voor-ons"}
    assert store.sessions(status="abandoned") == []
    assert (folder / "records.sqlite3").read_bytes() == before and store.warnings == []  # reading changes nothing


def test_the_first_write_migrates_and_every_old_row_survives(tmp_path, story):
    folder = v1_folder(tmp_path, pending=True)
    old = raw(folder, "SELECT * FROM finished ORDER BY id")
    store = Store(root=folder)
    s = finish(story.new_session(seed=9), pick=2)
    assert store.record_finished(s, EXAMPLE) == "recorded"
    assert version(folder) == R.SCHEMA_VERSION == 2
    assert tuple(r[1] for r in raw(folder, "PRAGMA table_info(finished)")) == R._COLUMNS
    new = raw(folder, "SELECT * FROM finished ORDER BY id")
    # the four old rows, column for column, with the defaults of the new columns
    assert [r[:len(R._COLUMNS_V1)] for r in new[:4]] == old
    assert [r[len(R._COLUMNS_V1):] for r in new[:4]] == [("finished", None, None, "", "solo", None)] * 4
    # the old queue file (an older game left it) is recorded too, then this session
    assert [r[3] for r in new] == [1, 2, 3, 4, 5, 9]
    assert not (folder / R.PENDING_DIR).exists()
    last = store.finished_sessions()[-1]
    assert last["result"]["id"] == results.session_id(s) and last["session_id"] == results.session_id(s)
    results.check(last["result"])  # a sealed, complete results document
    assert store.warnings == [] or "now been recorded" in store.warning_texts("en")[0]
    assert raw(folder, "PRAGMA integrity_check") == [("ok",)]
    # a second Store (the next start) sees schema 2 and the same rows
    assert len(Store(root=folder).finished_sessions()) == 6


@pytest.mark.parametrize("message, words", [("database or disk is full", "disk is full"),
                                            ("attempt to write a readonly database", "cannot be written")])
def test_a_migration_that_fails_halfway_leaves_the_old_file_whole(tmp_path, story, monkeypatch, message, words):
    folder = v1_folder(tmp_path)
    before = raw(folder, "SELECT * FROM finished ORDER BY id")
    real = R.Sessions._db_open

    def db_open(self, timeout):
        db = real(self, timeout)

        class FailsAtTheLastColumn:
            def execute(self, sql, *args):
                if sql.startswith("ALTER TABLE finished ADD COLUMN result"):
                    raise sqlite3.OperationalError(message)
                return db.execute(sql, *args)

            def __getattr__(self, name):
                return getattr(db, name)

        return FailsAtTheLastColumn()

    monkeypatch.setattr(R.Sessions, "_db_open", db_open)
    store = Store(root=folder)
    s = finish(story.new_session(seed=9))
    assert store.record_finished(s, EXAMPLE) == "kept"
    [en], [nl] = store.warning_texts("en"), store.warning_texts("nl")
    assert words in en and "kept and will be recorded later" in en and one_sentence(en) and one_sentence(nl)
    # the transaction rolled back: still schema 1, every row, no column half added
    assert version(folder) == 1 and raw(folder, "SELECT * FROM finished ORDER BY id") == before
    assert tuple(r[1] for r in raw(folder, "PRAGMA table_info(finished)")) == R._COLUMNS_V1
    assert store.discovered_endings("voorbeeld") == {"wachten", "voor-ons"}
    monkeypatch.undo()
    assert Store(root=folder).recover() == 0
    assert version(folder) == 2 and [r[3] for r in raw(folder, "SELECT * FROM finished ORDER BY id")] == [1, 2, 3,
                                                                                                          4, 9]


def test_a_read_only_old_file_is_read_and_not_migrated(tmp_path, story, monkeypatch):
    folder = v1_folder(tmp_path)
    before = (folder / "records.sqlite3").read_bytes()

    def read_only(self, timeout):
        return sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=timeout, isolation_level=None)

    monkeypatch.setattr(R.Sessions, "_db_open", read_only)
    store = Store(root=folder)
    assert store.record_finished(finish(story.new_session(seed=9)), EXAMPLE) == "kept"
    assert "cannot be written" in store.warning_texts("en")[0]
    assert len(store.finished_sessions()) == 4 and len(store.pending_sessions()) == 1
    assert (folder / "records.sqlite3").read_bytes() == before


def test_a_locked_old_file_waits_and_migrates_later(tmp_path, story):
    folder = v1_folder(tmp_path)
    holder = sqlite3.connect(folder / "records.sqlite3", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        store = Store(root=folder)
        store.busy_timeout = 0.1
        assert store.record_finished(finish(story.new_session(seed=9)), EXAMPLE) == "kept"
        assert "in use by another program" in store.warning_texts("en")[0]
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert version(folder) == 1
    assert store.flush_pending() == 0 and version(folder) == 2
    assert [r["seed"] for r in store.finished_sessions()] == [1, 2, 3, 4, 9]


def test_a_damaged_old_file_is_set_aside_whole(tmp_path, story):
    folder = v1_folder(tmp_path)
    data = bytearray((folder / "records.sqlite3").read_bytes())
    for page in range(1, len(data) // 4096):  # scribble over the head of every page but the first
        data[page * 4096: page * 4096 + 12] = b"\xff" * 12
    (folder / "records.sqlite3").write_bytes(bytes(data))
    store = Store(root=folder)
    assert store.record_finished(finish(story.new_session(seed=9)), EXAMPLE) == "recorded"
    aside = sorted(folder.glob("records.sqlite3.damaged-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == bytes(data)  # kept as it was, for whoever wants it
    [en], [nl] = store.warning_texts("en"), store.warning_texts("nl")
    assert "set aside" in en and aside[0].name in en and one_sentence(en) and one_sentence(nl)
    assert [r["seed"] for r in store.finished_sessions()] == [9]


def test_an_old_file_with_a_strange_table_is_damage_not_a_migration(tmp_path, story):
    folder = v1_folder(tmp_path)
    db = sqlite3.connect(folder / "records.sqlite3")
    db.execute("ALTER TABLE finished ADD COLUMN something TEXT")
    db.commit()
    db.close()
    store = Store(root=folder)
    assert store.record_finished(finish(story.new_session(seed=9)), EXAMPLE) == "recorded"
    assert len(sorted(folder.glob("records.sqlite3.damaged-*"))) == 1


def test_a_newer_file_stays_untouched(tmp_path, story):
    folder = v1_folder(tmp_path)
    db = sqlite3.connect(folder / "records.sqlite3")
    db.execute("PRAGMA user_version = 3")
    db.commit()
    db.close()
    before = (folder / "records.sqlite3").read_bytes()
    store = Store(root=folder)
    assert store.record_finished(finish(story.new_session(seed=9)), EXAMPLE) == "kept"
    assert store.record_abandoned(left_halfway(story), EXAMPLE) == "kept"
    assert (folder / "records.sqlite3").read_bytes() == before
    assert "newer" in store.warning_texts("en")[0]


# -- abandoned sessions ---------------------------------------------------------------------------
def left_halfway(story, seed=21, turns=1):
    s = story.new_session(seed=seed)
    for _ in range(turns):
        s.choose(1)
    assert not s.finished
    return s


def test_an_abandoned_session_is_recorded_but_discovers_nothing(tmp_path, story):
    store = Store(root=tmp_path)
    s = left_halfway(story)
    assert store.record_abandoned(s, EXAMPLE) == "recorded"
    assert store.finished_sessions() == [] and store.discovered_endings("voorbeeld") == set()
    [row] = store.sessions(status="abandoned")
    assert row["status"] == "abandoned" and row["ending"] == "" and row["turns"] == 1
    doc = row["result"]
    results.check(doc)
    assert doc["status"] == "abandoned" and doc["ending"] is None and len(doc["steps"]) == 1
    assert doc["steps"][0]["meters"] == s.history[0].meters
    assert row["scenario_hash"] == doc["scenario"]["hash"] and row["nickname"] == "" and row["mode"] == "solo"


def test_abandoned_needs_a_choice_and_an_unfinished_session(tmp_path, story):
    store = Store(root=tmp_path)
    with pytest.raises(ValueError):
        store.record_abandoned(story.new_session(seed=1), EXAMPLE)
    with pytest.raises(ValueError):
        store.record_abandoned(finish(story.new_session(seed=1)), EXAMPLE)
    with pytest.raises(ValueError):
        store.record_finished(left_halfway(story), EXAMPLE)
    assert not store.db_path.exists()


def test_leaving_the_same_session_again_keeps_one_row_and_finishing_replaces_it(tmp_path, story):
    store = Store(root=tmp_path)
    s = left_halfway(story, turns=1)
    store.record_abandoned(s, EXAMPLE)
    store.record_abandoned(s, EXAMPLE)  # left twice at the same point: still one
    s.choose(1)
    if not s.finished:
        store.record_abandoned(s, EXAMPLE)  # taken up again, left again later: the later state
        [row] = store.sessions(status="abandoned")
        assert row["turns"] == 2
    assert len(store.sessions(status="abandoned")) == 1
    finish(s)
    store.record_finished(s, EXAMPLE)
    assert store.sessions(status="abandoned") == []
    assert [r["status"] for r in store.sessions()] == ["finished"]
    other = left_halfway(story, seed=22)
    store.record_abandoned(other, EXAMPLE)  # another session is another row
    assert [r["status"] for r in store.sessions()] == ["finished", "abandoned"]


def test_an_abandoned_session_waits_in_the_queue_like_a_finished_one(tmp_path, story, monkeypatch):
    folder = v1_folder(tmp_path)

    def read_only(self, timeout):
        return sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=timeout, isolation_level=None)

    monkeypatch.setattr(R.Sessions, "_db_open", read_only)
    store = Store(root=folder)
    assert store.record_abandoned(left_halfway(story), EXAMPLE) == "kept"
    assert store.pending_sessions() == [] and len(store.pending_sessions(status="abandoned")) == 1
    assert store.discovered_endings("voorbeeld") == {"wachten", "voor-ons"}  # the queued one found nothing
    monkeypatch.undo()
    assert Store(root=folder).recover() == 0
    assert [r["status"] for r in Store(root=folder).sessions()] == ["finished"] * 4 + ["abandoned"]


def test_a_session_whose_document_cannot_be_built_is_still_recorded(tmp_path, story, monkeypatch):
    def broken(*a, **k):
        raise RuntimeError("a bug in the results document")

    monkeypatch.setattr(results, "build", broken)
    store = Store(root=tmp_path)
    s = finish(story.new_session(seed=2))
    assert store.record_finished(s, EXAMPLE) == "recorded"
    [row] = store.finished_sessions()
    assert row["result"] is None and row["ending"] == s.state and row["session_id"] == results.session_id(s)
