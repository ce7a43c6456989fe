"""game.records.store under faults: full disks, read-only files and folders, locks, races, tampering.

Tests run as root in CI, where chmod stops nothing: faults are injected where the store
writes (its sqlite connection, its atomic write) or made real where a test can (a read-only
SQLite connection, a lock held by another process, RLIMIT_FSIZE in a child process)."""
from __future__ import annotations

import errno
import json
import multiprocessing
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import game.records.common as C
import game.records.sessions as RS
from game.scenario.model import scenario_hash
from game.records.store import Settings, Store
from helpers import finish, one_sentence  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = str(ROOT / "scenarios" / "voorbeeld.yaml")



def damaged_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if ".damaged" in p.name)


def count_rows(root: Path) -> int:
    with sqlite3.connect(root / "records.sqlite3") as db:
        n = db.execute("SELECT count(*) FROM finished").fetchone()[0]
    db.close()
    return n


@pytest.fixture
def forty(tmp_path, story):
    """A healthy records.sqlite3 with 40 finished sessions."""
    store = Store(root=tmp_path)
    for seed in range(40):
        assert store.record_finished(finish(story.new_session(seed=seed), pick=1 + seed % 2), EXAMPLE) == "recorded"
    assert count_rows(tmp_path) == 40
    return tmp_path


def fail_writes(monkeypatch, message: str) -> None:
    """Every write connection to the database fails as SQLite would say ``message``."""
    real = RS.Sessions._db_open

    def db_open(self, timeout):
        db = real(self, timeout)

        class Refusing:
            def __init__(self, inner):
                self.inner = inner

            def execute(self, sql, *args):
                if sql.startswith("BEGIN IMMEDIATE"):
                    raise sqlite3.OperationalError(message)
                return self.inner.execute(sql, *args)

            def __getattr__(self, name):
                return getattr(self.inner, name)

        return Refusing(db)

    monkeypatch.setattr(RS.Sessions, "_db_open", db_open)


# -- disk full, read-only ---------------------------------------------------------------------
@pytest.mark.parametrize("message", ["database or disk is full", "attempt to write a readonly database",
                                     "unable to open database file", "disk I/O error"])
def test_a_fault_at_the_finish_keeps_the_database_and_the_session(forty, story, monkeypatch, message):
    before = (forty / "records.sqlite3").read_bytes()
    fail_writes(monkeypatch, message)
    store = Store(root=forty)
    s = finish(story.new_session(seed=99), pick=2)
    assert store.record_finished(s, EXAMPLE) == "kept"
    [nl], [en] = store.warning_texts("nl"), store.warning_texts("en")
    assert "kept and will be recorded later" in en and "wordt later bijgeschreven" in nl
    assert one_sentence(en) and one_sentence(nl)
    assert (forty / "records.sqlite3").read_bytes() == before and not damaged_files(forty)
    assert store.discovered_endings("voorbeeld") >= {s.state}
    assert [r["seed"] for r in store.pending_sessions()] == [99]
    # the fault goes away: the next chance (here a new start of the game) records it
    monkeypatch.undo()
    again = Store(root=forty)
    assert again.recover() == 0
    assert count_rows(forty) == 41 and again.pending_sessions() == []
    assert again.finished_sessions()[-1]["seed"] == 99
    assert "now been recorded" in again.warning_texts("en")[0]
    assert not (forty / RS.PENDING_DIR).exists()


def test_read_only_records_file_keeps_discovered_endings(forty, story, monkeypatch):
    # a real read-only connection: SQLite itself refuses the write (root cannot get around it)
    def read_only(self, timeout):
        return sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=timeout, isolation_level=None)

    monkeypatch.setattr(RS.Sessions, "_db_open", read_only)
    store = Store(root=forty)
    known = store.discovered_endings("voorbeeld")
    assert known  # read-only is not damage: the endings found so far stay found
    assert store.record_finished(finish(story.new_session(seed=7)), EXAMPLE) == "kept"
    assert "cannot be written" in store.warning_texts("en")[0]
    assert store.discovered_endings("voorbeeld") == known | {finish(story.new_session(seed=7)).state}
    assert count_rows(forty) == 40 and not damaged_files(forty)


def test_read_only_data_folder_keeps_the_session_in_memory_and_says_so(forty, story, monkeypatch):
    def refuse(*a, **k):
        raise PermissionError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(C, "atomic_write", refuse)
    fail_writes(monkeypatch, "unable to open database file")
    store = Store(root=forty)
    s = finish(story.new_session(seed=5))
    assert store.record_finished(s, EXAMPLE) == "memory"
    [en] = store.warning_texts("en")
    assert "could not be recorded nor kept aside" in en and "tries again" in en and one_sentence(en)
    assert store.pending_count == 1 and not (forty / RS.PENDING_DIR).exists()
    monkeypatch.undo()
    assert store.flush_pending() == 0 and count_rows(forty) == 41 and not damaged_files(forty)


def test_disk_full_for_real_in_a_child_process(tmp_path, story):
    """RLIMIT_FSIZE makes the database file unable to grow (EFBIG): a real write fault."""
    resource = pytest.importorskip("resource")
    store = Store(root=tmp_path)
    store.record_finished(finish(story.new_session(seed=1)), EXAMPLE)
    size = (tmp_path / "records.sqlite3").stat().st_size
    s = finish(story.new_session(seed=2), pick=2)
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()

    def child():
        import signal

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
        st = Store(root=tmp_path)
        for seed in range(3, 60):  # fill the last page until the file would have to grow
            if st.record_finished(finish(story.new_session(seed=seed)), EXAMPLE) != "recorded":
                break
        out.put((st.record_finished(s, EXAMPLE), st.warning_texts("en")))

    p = ctx.Process(target=child)
    p.start()
    result, texts = out.get(timeout=30)
    p.join(30)
    assert result == "kept" and any("kept and will be recorded later" in t for t in texts)
    assert not damaged_files(tmp_path)
    before = count_rows(tmp_path)
    fresh = Store(root=tmp_path)
    fresh.recover()
    assert count_rows(tmp_path) > before and fresh.finished_sessions()[-1]["seed"] == 2
    assert fresh.pending_sessions() == []


# -- locks ---------------------------------------------------------------------------------------
HOLD = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.readline()  # hold the lock until the test says so
db.execute("ROLLBACK")
"""


@pytest.fixture
def lock_holder(forty):
    """Another program holding an exclusive lock on records.sqlite3 until ``release()``.

    The issue asks for a lock held 10 s; the mechanism is the same for any length, so the
    test holds it only as long as it needs (the store's wait is set shorter than the hold)."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(forty / "records.sqlite3")],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"

    def release():
        if proc.poll() is None:
            proc.stdin.write("\n")
            proc.stdin.flush()
            proc.wait(10)

    yield release
    release()


def test_a_lock_held_by_another_program_keeps_the_session_until_it_is_released(forty, story, lock_holder):
    store = Store(root=forty)
    store.busy_timeout = 0.2  # shorter than the lock is held: the same path as a 10 s lock
    s = finish(story.new_session(seed=77))
    assert store.record_finished(s, EXAMPLE) == "kept"
    assert "in use by another program" in store.warning_texts("en")[0]
    assert store.finished_sessions() == []  # the exclusive lock blocks reading too: no hang, no damage
    lock_holder()
    assert store.flush_pending() == 0
    assert count_rows(forty) == 41 and not damaged_files(forty)


def test_recording_in_the_background_returns_at_once_while_locked(forty, story, lock_holder):
    store = Store(root=forty)
    store.busy_timeout = 0.3
    s = finish(story.new_session(seed=78))
    t0 = time.perf_counter()
    assert store.record_finished(s, EXAMPLE, background=True) == "started"
    assert time.perf_counter() - t0 < 0.1 + 0.2  # writing the queue file only (generous for slow CI)
    assert store.wait(5)
    assert "kept and will be recorded later" in store.warning_texts("en")[0]
    lock_holder()
    store.flush_async()
    assert store.wait(5) and count_rows(forty) == 41


# -- races -----------------------------------------------------------------------------------------
def _finish_in_child(root, session, barrier, out):
    barrier.wait()
    store = Store(root=root)
    out.put((session.seed, store.record_finished(session, EXAMPLE), store.warning_texts("en")))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forks four processes at once")
def test_four_processes_finishing_at_once_on_a_fresh_folder(tmp_path, story):
    sessions = [finish(story.new_session(seed=seed), pick=1 + seed % 2) for seed in range(4)]
    ctx = multiprocessing.get_context("fork")
    for round_ in range(20):
        root = tmp_path / f"round-{round_}"
        barrier, out = ctx.Barrier(4), ctx.Queue()
        procs = [ctx.Process(target=_finish_in_child, args=(root, s, barrier, out)) for s in sessions]
        for p in procs:
            p.start()
        results = sorted(out.get(timeout=30) for _ in procs)
        for p in procs:
            p.join(30)
        assert [(seed, r, w) for seed, r, w in results] == [(seed, "recorded", []) for seed in range(4)], round_
        assert sorted(r["seed"] for r in Store(root=root).finished_sessions()) == [0, 1, 2, 3], round_
        assert not damaged_files(root) and not (root / RS.PENDING_DIR).exists(), round_


# -- damage ------------------------------------------------------------------------------------------
def test_a_damaged_database_is_set_aside_but_its_journal_is_not_touched(tmp_path, story):
    db = tmp_path / "records.sqlite3"
    db.write_bytes(b"dit is geen database" * 50)
    journal = tmp_path / "records.sqlite3-journal"
    journal.write_bytes(b"")  # an empty journal: SQLite treats it as not hot
    store = Store(root=tmp_path)
    assert store.record_finished(finish(story.new_session(seed=1)), EXAMPLE) == "recorded"
    assert [p.name.split(".damaged")[0] for p in damaged_files(tmp_path)] == ["records.sqlite3"]
    assert "set aside" in store.warning_texts("en")[0]


def test_an_orphaned_claim_is_recorded_once(tmp_path, story):
    """A process that died between claiming a queued session and deleting it: the session is
    recorded by the next one, and not twice if the dead one had committed it."""
    store = Store(root=tmp_path)
    s = finish(story.new_session(seed=3))
    store.record_finished(s, EXAMPLE)
    row = {k: v for k, v in store.finished_sessions()[0].items() if k not in ("id", "pending")}
    for key in ("choices", "strategy", "agency"):
        row[key] = json.dumps(row[key])
    row["replay"] = int(row["replay"])
    row["result"] = json.dumps(row["result"], ensure_ascii=False, sort_keys=True)  # as the queue holds it
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    folder = tmp_path / RS.PENDING_DIR
    folder.mkdir()
    (folder / f"a.json.busy-{dead.pid}").write_text(json.dumps({"format": 1, "row": row}), encoding="utf-8")
    other = dict(row, seed=4)
    (folder / f"b.json.busy-{dead.pid}").write_text(json.dumps({"format": 1, "row": other}), encoding="utf-8")
    again = Store(root=tmp_path)
    assert again.recover() == 0
    assert sorted(r["seed"] for r in again.finished_sessions()) == [3, 4]
    assert not folder.exists()


def test_a_damaged_queue_file_is_set_aside_and_the_others_recorded(tmp_path, story):
    folder = tmp_path / RS.PENDING_DIR
    folder.mkdir(parents=True)
    (folder / "kapot.json").write_text('{"format": 1, "row": {"seed": Infinity}}', encoding="utf-8")
    store = Store(root=tmp_path)
    assert store.record_finished(finish(story.new_session(seed=1)), EXAMPLE) == "recorded"
    assert [r["seed"] for r in store.finished_sessions()] == [1]
    assert [p.name.split(".damaged")[0] for p in damaged_files(tmp_path)] == ["kapot.json"]
    assert any("damaged" in t for t in store.warning_texts("en"))


# -- tampered saves ------------------------------------------------------------------------------------
def _tamper(root: Path, slot: str, change) -> None:
    p = root / "saves" / f"{slot}.json"
    text = p.read_text(encoding="utf-8")
    p.write_text(change(text), encoding="utf-8")


@pytest.mark.parametrize("change", [
    lambda t: t.replace('"seed": 1,', '"seed": Infinity,'),
    lambda t: t.replace('"seed": 1,', '"seed": 1e400,'),
    lambda t: t.replace('"seed": 1,', '"seed": NaN,'),
    lambda t: t.replace('"seed": 1,', '"seed": ' + "9" * 5000 + ","),
    lambda t: t.replace('"energie": ', '"energie": -Infinity, "x": ', 1),
    lambda t: t.replace('"turns": 2', '"turns": ' + "1" * 5000),
], ids=["inf", "1e400", "nan", "5000-digits", "meter-minus-inf", "turns-5000-digits"])
def test_a_tampered_save_is_set_aside_and_never_hides_the_others(tmp_path, story, change):
    store = Store(root=tmp_path)
    s = story.new_session(seed=1)
    s.choose(1)
    s.choose(1)
    store.save("goed", story.new_session(seed=2), EXAMPLE)
    store.save("kapot", s, EXAMPLE)
    original = (tmp_path / "saves" / "kapot.json").read_text(encoding="utf-8")
    _tamper(tmp_path, "kapot", change)
    assert (tmp_path / "saves" / "kapot.json").read_text(encoding="utf-8") != original
    fresh = Store(root=tmp_path)
    assert [i.slot for i in fresh.slots()] == ["goed"]
    [en] = fresh.warning_texts("en")
    assert "kapot" in en and "set aside" in en and one_sentence(en) and len(en) < 300
    assert fresh.latest().slot == "goed"
    assert fresh.restore("goed", story).seed == 2


def test_a_save_without_offset_or_at_the_edge_of_time(tmp_path, story):
    store = Store(root=tmp_path)
    store.save("naief", story.new_session(seed=1), EXAMPLE)
    store.save("oeroud", story.new_session(seed=2), EXAMPLE)
    store.save("gewoon", story.new_session(seed=3), EXAMPLE)
    _tamper(tmp_path, "naief", lambda t: json.dumps(dict(json.loads(t), saved_at="2030-01-01T10:00:00")))
    _tamper(tmp_path, "oeroud", lambda t: json.dumps(dict(json.loads(t), saved_at="0001-01-01T00:00:00")))
    fresh = Store(root=tmp_path)
    slots = fresh.slots()
    # a naive time is taken as local time (not damage). Year 1 lies at the edge of the clock: west
    # of Greenwich it sorts last, east of it the conversion overflows and it is set aside with a word.
    names = [i.slot for i in slots]
    assert names[:2] == ["naief", "gewoon"]
    assert names[2:] == ["oeroud"] or ("oeroud" in fresh.warning_texts("en")[0] and damaged_files(tmp_path))
    assert all(i.saved_datetime.tzinfo is not None for i in slots)
    assert fresh.restore("naief", story).seed == 1


def test_a_fifo_among_the_saves_does_not_hang(tmp_path, story):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    store = Store(root=tmp_path)
    store.save("goed", story.new_session(seed=2), EXAMPLE)
    os.mkfifo(tmp_path / "saves" / "pijp.json")
    fresh = Store(root=tmp_path)
    assert [i.slot for i in fresh.slots()] == ["goed"]
    assert "pijp" in fresh.warning_texts("en")[0] and "FIFO" in fresh.warning_texts("en")[0]


# -- the scenario changed since the save -------------------------------------------------------------------
def _changed_story(tmp_path: Path, edit):
    from game.play.engine import Story
    from game.scenario.validate import load_scenario

    path = tmp_path / "scenario" / "voorbeeld.yaml"
    path.parent.mkdir()
    path.write_text(edit(Path(EXAMPLE).read_text(encoding="utf-8")), encoding="utf-8")
    return Story(load_scenario(path))


def test_a_save_from_before_the_scenario_was_edited_replays_as_far_as_it_goes(tmp_path, story):
    store = Store(root=tmp_path)
    s = story.new_session(seed=4)
    s.choose(1)
    s.choose(1)
    keys = s.choice_keys()
    store.autosave(s, EXAMPLE)
    second = keys[1].split(".")[1]
    # the second choice is renamed (same version): the first replays, the game goes on from there
    renamed = _changed_story(tmp_path, lambda t: t.replace(f"- id: {second}\n", f"- id: {second}-nieuw\n", 1))
    assert str(renamed.scenario.version) == str(story.scenario.version)
    restored = store.restore("autosave", renamed)
    assert restored.choice_keys() == keys[:1] and restored.seed == 4
    [en] = store.warning_texts("en")
    assert "changed" in en and "1 of 2" in en and keys[1] in en and "damaged" not in en and one_sentence(en)
    [nl] = store.warning_texts("nl")
    assert "veranderd" in nl and one_sentence(nl)
    assert (tmp_path / "saves" / "autosave.json").exists() and not damaged_files(tmp_path)


def test_a_save_from_before_a_meter_was_added_replays_fully(tmp_path, story):
    store = Store(root=tmp_path)
    s = story.new_session(seed=4)
    s.choose(2)
    store.save("les", s, EXAMPLE)
    added = _changed_story(tmp_path, lambda t: t.replace(
        "meters:\n", "meters:\n  geduld: {label: Geduld, min: 0, max: 10, start: 5}\n", 1))
    assert "geduld" in added.scenario.meters
    restored = store.restore("les", added)
    assert restored.choice_keys() == s.choice_keys() and restored.meters["geduld"] == 5
    assert "1 of 1 choice was replayed" in store.warning_texts("en")[0]


def test_a_typo_fixed_in_a_text_keeps_the_save_as_it_was(tmp_path, story):
    store = Store(root=tmp_path)
    s = story.new_session(seed=4)
    s.choose(1)
    store.save("les", s, EXAMPLE)
    title = story.scenario.title.nl
    fixed = _changed_story(tmp_path, lambda t: t.replace(title, title + " (herzien)", 1))
    assert fixed.scenario.title.nl != title
    assert scenario_hash(fixed.scenario) == scenario_hash(story.scenario)
    assert store.restore("les", fixed).to_json() == s.to_json() and store.warnings == []
