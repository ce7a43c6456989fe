"""Played sessions, finished and abandoned: ``records.sqlite3`` (SQLite, schema 2, an older
file migrated on the first write) and the crash-safe queue ``records-pending/`` in front of it,
flushed in the background; a locked, full or read-only database keeps sessions waiting, only
real damage sets it aside.

No pygame here.
"""
from __future__ import annotations

import json
import math
import os
import sqlite3
import threading
import time
import uuid
from contextlib import closing
from pathlib import Path
from typing import Any, Optional, Union

from game.records import common
from game.records.common import FORMAT, Part, Say, _Damaged, _now, _os_reason, _read_json, as_is, say, say_n
from game.scenario.model import scenario_hash

SCHEMA_VERSION = 2  # 1: the first release; 2: abandoned sessions, results documents
DB_FILE = "records.sqlite3"
PENDING_DIR = "records-pending"
BUSY_TIMEOUT = 3.0  # seconds a write waits for another program's lock (off the frame loop in the window)
READ_TIMEOUT = 0.1  # seconds a read waits (reads are rarely blocked: only during another's commit)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS finished (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    scenario_id      TEXT    NOT NULL,
    scenario_version TEXT    NOT NULL,
    seed             INTEGER NOT NULL,
    choices          TEXT    NOT NULL,   -- JSON list of "scene.choice" keys
    ending           TEXT    NOT NULL,   -- '' for an abandoned session
    tegenmacht       REAL    NOT NULL,   -- 0..100
    eigenaarschap    REAL    NOT NULL,   -- 0..100
    archetype        TEXT    NOT NULL,
    strategy         TEXT    NOT NULL,   -- JSON {polderen, coalitie, confrontatie, neutraal: share}
    agency           TEXT    NOT NULL,   -- JSON {organiseren, mobiliseren, overnemen, neutraal: share}
    turns            INTEGER NOT NULL,
    finished_at      TEXT    NOT NULL,   -- ISO 8601, local time with offset (when it ended or was left)
    replay           INTEGER NOT NULL DEFAULT 0,
    lang             TEXT    NOT NULL DEFAULT 'nl',
    status           TEXT    NOT NULL DEFAULT 'finished',   -- finished | abandoned (schema 2)
    session_id       TEXT,               -- results.session_id (NULL: recorded before schema 2)
    scenario_hash    TEXT,               -- model.scenario_hash (NULL: before schema 2)
    nickname         TEXT    NOT NULL DEFAULT '',
    mode             TEXT    NOT NULL DEFAULT 'solo',       -- solo | class
    result           TEXT                -- the results document (game.results) as JSON, NULL before schema 2
);
CREATE INDEX IF NOT EXISTS finished_scenario ON finished (scenario_id);
CREATE INDEX IF NOT EXISTS finished_status ON finished (status, scenario_hash);
CREATE INDEX IF NOT EXISTS finished_session ON finished (session_id);
"""
_SCHEMA_STATEMENTS = [part.strip() for part in _SCHEMA.split(";") if part.strip()]
_COLUMNS_V1 = ("id", "scenario_id", "scenario_version", "seed", "choices", "ending", "tegenmacht", "eigenaarschap",
               "archetype", "strategy", "agency", "turns", "finished_at", "replay", "lang")
_NEW_IN_V2 = {"status": "finished", "session_id": None, "scenario_hash": None, "nickname": "", "mode": "solo",
              "result": None}  # the columns schema 2 added, with the value an older row gets
_COLUMNS = _COLUMNS_V1 + tuple(_NEW_IN_V2)
_COLUMNS_OF = {1: _COLUMNS_V1, 2: _COLUMNS}
# From schema N to N + 1, run in the same IMMEDIATE transaction as the write that found the old file:
# either every statement and the new user_version land, or nothing does.
_MIGRATIONS = {
    1: ["ALTER TABLE finished ADD COLUMN status TEXT NOT NULL DEFAULT 'finished'",
        "ALTER TABLE finished ADD COLUMN session_id TEXT",
        "ALTER TABLE finished ADD COLUMN scenario_hash TEXT",
        "ALTER TABLE finished ADD COLUMN nickname TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE finished ADD COLUMN mode TEXT NOT NULL DEFAULT 'solo'",
        "ALTER TABLE finished ADD COLUMN result TEXT",
        "CREATE INDEX IF NOT EXISTS finished_status ON finished (status, scenario_hash)",
        "CREATE INDEX IF NOT EXISTS finished_session ON finished (session_id)"],
}
STATUSES = ("finished", "abandoned")


def _table_sql(version: int) -> str:
    """What to read from for a file of schema ``version``: the table itself, or (an older file
    that cannot be migrated now, e.g. read-only) the table with the newer columns filled in."""
    if version >= SCHEMA_VERSION:
        return "finished"
    extra = ", ".join(f"{'NULL' if v is None else repr(v)} AS {k}" for k, v in _NEW_IN_V2.items())
    return f"(SELECT *, {extra} FROM finished)"



class Sessions(Part):
    """The played sessions: the database and its queue."""

    def __init__(self, shared: common.Shared):
        super().__init__(shared)
        self._db_checked = False
        self._db_blocked: Optional[Say] = None  # the file cannot be used this run (why)
        self.busy_timeout = BUSY_TIMEOUT
        self.read_timeout = READ_TIMEOUT
        self.last_problem: Optional[Say] = None  # why the last flush left sessions waiting
        self._memory: list[dict[str, Any]] = []  # finished sessions even the queue could not hold
        self._memory_lock = threading.Lock()
        self._flush_lock = threading.Lock()
        self._thread_lock = threading.Lock()
        self._thread: Optional[threading.Thread] = None
        self._announce: Optional[tuple[Optional[Path], dict[str, Any]]] = None
        self._rerun = False
        self._owed = 0  # sessions the player was told are kept and will be recorded

    @property
    def db_path(self) -> Path:
        return self.root / DB_FILE

    # -- finished sessions (SQLite + a pending queue) ----------------------------------
    #
    # A finished session is first written as one small JSON file in records-pending/
    # (atomically), then moved into records.sqlite3 in one transaction. Whatever goes
    # wrong with the database (locked by another program, a full disk, a read-only
    # file or folder, a file that cannot be opened) leaves the session in the queue,
    # and the next attempt (the next finished session, the next start, or the window's
    # periodic retry) records it. Only real damage (not a database, a failed integrity
    # check, tables that are not ours) sets the database aside.

    def _db_open(self, timeout: float) -> sqlite3.Connection:
        """A connection in autocommit mode (transactions are begun by hand)."""
        return sqlite3.connect(self.db_path, timeout=timeout, isolation_level=None)

    def _db_check(self, db: sqlite3.Connection, write: bool) -> int:
        """Check the schema (inside the caller's transaction when ``write``), creating it if
        the file is new and migrating an older one to :data:`SCHEMA_VERSION` (writes only).
        Returns the file's schema version (0: there is nothing to read yet; a read of an
        older file that is not migrated yet gets its version, see :func:`_table_sql`).
        Raises _DbDamaged/_DbNewer."""
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise _DbNewer(version)
        if version >= 1:
            if not self._db_checked or version < SCHEMA_VERSION:
                cols = [r[1] for r in db.execute("PRAGMA table_info(finished)")]
                if tuple(cols) != _COLUMNS_OF.get(version):
                    raise _DbDamaged(say("store.db-table-wrong"))
                check = db.execute("PRAGMA quick_check").fetchone()[0]
                if check != "ok":
                    raise _DbDamaged(say("store.db-check-fails", check=check))
                self._db_checked = version == SCHEMA_VERSION
            if version < SCHEMA_VERSION and write:
                self._db_migrate(db, version)
                version = SCHEMA_VERSION
                self._db_checked = True
            return version
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if tables - {"sqlite_sequence"}:
            # Version 0 with tables: someone else's database. (Ours gets its tables and its
            # version in one transaction, so another Tegenmacht never looks like this.)
            raise _DbDamaged(say("store.db-foreign-tables"))
        if not write:
            return 0
        for statement in _SCHEMA_STATEMENTS:
            db.execute(statement)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        self._db_checked = True
        return SCHEMA_VERSION

    @staticmethod
    def _db_migrate(db: sqlite3.Connection, version: int) -> None:
        """Bring a file of schema ``version`` up to date, inside the caller's IMMEDIATE transaction
        (a failure rolls every step back: the file stays as it was, with all its rows)."""
        while version < SCHEMA_VERSION:
            for statement in _MIGRATIONS[version]:
                db.execute(statement)
            version += 1
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _db_damaged(self, err: "_DbDamaged") -> None:
        """Set the damaged database aside (only the file itself: a journal or WAL beside it
        may belong to another program's open connection, and SQLite ignores a stale one
        next to a new, empty database)."""
        self._db_checked = False
        moved = self._set_aside(self.db_path) if self.db_path.exists() else None
        reason = err.reason
        if moved is None:
            self._db_blocked = say("store.db-damaged-blocked", file=DB_FILE, reason=reason)
            self._warn(say("store.db-damaged-kept", file=DB_FILE, reason=reason, pending=PENDING_DIR))
            return
        self._warn(say("store.db-damaged-moved", reason=reason, moved=moved.name))

    def _db_session(self, work, write: bool, timeout: float):
        """Run ``work(db)`` in one IMMEDIATE transaction when ``write`` (an older file is migrated
        first), else ``work(db, version)`` (the file's schema version). Returns its result, or
        None when the file does not exist yet (reads only). Raises _DbUnavailable for a fault
        that keeps the file (locked, full, read-only, cannot open, newer schema); a damaged
        file is set aside and the work retried once on a fresh one."""
        if self._db_blocked is not None:
            raise _DbUnavailable(self._db_blocked)
        for attempt in (1, 2):
            if not write and not self.db_path.exists():
                return None
            try:
                if write:
                    self.root.mkdir(parents=True, exist_ok=True)
                with closing(self._db_open(timeout)) as db:
                    if write:
                        db.execute("BEGIN IMMEDIATE")
                        try:
                            self._db_check(db, write=True)
                            result = work(db)
                            db.execute("COMMIT")
                        except BaseException:
                            if db.in_transaction:
                                try:
                                    db.execute("ROLLBACK")
                                except sqlite3.Error:
                                    pass
                            raise
                        return result
                    version = self._db_check(db, write=False)
                    if not version:
                        return None
                    return work(db, version)
            except _DbNewer as err:
                self._db_blocked = say("store.db-newer", file=DB_FILE, version=err.version)
                raise _DbUnavailable(self._db_blocked) from None
            except _DbDamaged as err:
                if attempt == 2:
                    raise _DbUnavailable(err.reason) from None
                self._db_damaged(err)
                if self._db_blocked is not None:
                    raise _DbUnavailable(self._db_blocked) from None
            except sqlite3.Error as err:
                kind = _classify(err)
                if kind == "damaged":
                    if attempt == 2:
                        raise _DbUnavailable(_db_reason(err)) from None
                    self._db_damaged(_DbDamaged(as_is(str(err))))
                    if self._db_blocked is not None:
                        raise _DbUnavailable(self._db_blocked) from None
                    continue
                raise _DbUnavailable(_db_reason(err)) from None
            except OSError as err:
                raise _DbUnavailable(_os_reason(err)) from None
        raise _DbUnavailable(say("store.db-stays-unusable"))  # pragma: no cover

    # -- the pending queue --
    @property
    def pending_dir(self) -> Path:
        return self.root / PENDING_DIR

    def _queue(self, row: dict[str, Any]) -> Optional[Path]:
        """Write one finished session into the queue and return its file; None if the disk
        refuses (then it is kept in memory)."""
        name = f"{_now().strftime('%Y%m%d-%H%M%S-%f')}-{os.getpid()}-{uuid.uuid4().hex[:8]}.json"
        text = json.dumps({"format": FORMAT, "row": row}, ensure_ascii=False, allow_nan=False) + "\n"
        path = self.pending_dir / name
        try:
            common.atomic_write(path, text)
        except OSError:
            with self._memory_lock:
                self._memory.append(row)
            return None
        return path

    def _waiting(self, file: Optional[Path], row: dict[str, Any]) -> bool:
        """Is this session still waiting? (Its queue file is there, or its row is in memory.)
        A file another running process has claimed is being recorded by it: not waiting."""
        if file is None:
            with self._memory_lock:
                return any(r is row for r in self._memory)
        if file.exists():
            return True
        return any(p.name.startswith(file.name + ".busy-") for p in self._orphans())

    def _pending_files(self) -> list[Path]:
        try:
            return sorted(p for p in self.pending_dir.glob("*.json") if not p.name.startswith("."))
        except OSError:
            return []

    def _orphans(self) -> list[Path]:
        """Claimed queue files of a process that is gone (it stopped between claim and delete)."""
        out = []
        try:
            claimed = sorted(self.pending_dir.glob("*.json.busy-*"))
        except OSError:
            return []
        for p in claimed:
            try:
                pid = int(p.name.rsplit("-", 1)[1])
            except ValueError:
                continue
            if pid == os.getpid() or not _pid_alive(pid, p):
                out.append(p)
        return out

    def _read_pending(self, path: Path) -> Optional[dict[str, Any]]:
        """The row in one queue file, or None (a damaged one is set aside with a warning)."""
        try:
            data = _read_json(path)
            row = _upgrade_row(data.get("row") if isinstance(data, dict) and data.get("format") == FORMAT else None)
            if not _row_ok(row):
                raise _Damaged(say("store.not-a-session"))
            return row
        except _Damaged as err:
            moved = self._set_aside(path, path.name.split(".busy-")[0])
            if moved:
                self._warn(say("store.pending-damaged-moved", pending=PENDING_DIR, reason=err.reason, moved=moved.name))
            else:
                self._warn(say("store.pending-damaged-kept", pending=PENDING_DIR, reason=err.reason))
        except OSError:
            pass  # another process took it, or it cannot be read now: try again later
        return None

    def pending_sessions(self, status: Optional[str] = "finished") -> list[dict[str, Any]]:
        """Sessions waiting in the queue (not yet in the database), oldest first: finished ones,
        or those of ``status`` ("abandoned"; None: both)."""
        with self._memory_lock:
            rows = list(self._memory)
        for p in self._pending_files() + self._orphans():
            try:
                data = _read_json(p)
            except (_Damaged, OSError):
                continue
            row = _upgrade_row(data.get("row") if isinstance(data, dict) else None)
            if _row_ok(row):
                rows.append(row)
        return [_decode_row(dict(r, id=None), pending=True) for r in rows
                if status is None or r["status"] == status]

    @property
    def pending_count(self) -> int:
        """How many finished sessions this Store knows are waiting (memory + queue files)."""
        with self._memory_lock:
            n = len(self._memory)
        return n + len(self._pending_files())

    def flush_pending(self, timeout: Optional[float] = None) -> int:
        """Move every queued session into the database; returns how many are still waiting.

        Never raises for a disk or database problem: a session that cannot be recorded now
        stays in the queue. Safe with other processes doing the same: each queue file is
        claimed by renaming it while this process holds the database's write lock."""
        timeout = self.busy_timeout if timeout is None else timeout
        with self._flush_lock:
            self.last_problem = None
            with self._memory_lock:
                memory = list(self._memory)
            if not memory and not self._pending_files() and not self._orphans():
                self._owed = 0
                return 0
            claimed: list[Path] = []

            def work(db: sqlite3.Connection) -> int:
                # Under the write lock: claim the files nobody else is recording.
                rows: list[tuple[dict[str, Any], bool]] = [(r, False) for r in memory]
                for p in self._orphans():
                    row = self._read_pending(p)
                    if row is not None:
                        claimed.append(p)
                        rows.append((row, True))  # it may have been recorded before the crash
                for p in self._pending_files():
                    mine = p.with_name(f"{p.name}.busy-{os.getpid()}")
                    try:
                        os.replace(p, mine)
                    except OSError:
                        continue  # another process claimed it
                    claimed.append(mine)
                    row = self._read_pending(mine)
                    if row is None:
                        claimed.remove(mine)
                        continue
                    rows.append((row, False))
                cols = ", ".join(_COLUMNS[1:])
                marks = ", ".join("?" * (len(_COLUMNS) - 1))
                same = " AND ".join(f"{c} IS ?" for c in _COLUMNS[1:])
                for row, maybe_done in rows:
                    values = tuple(row[c] for c in _COLUMNS[1:])
                    if maybe_done and db.execute(f"SELECT 1 FROM finished WHERE {same} LIMIT 1", values).fetchone():
                        continue
                    if row["session_id"] is not None:
                        # a session left earlier and taken up again: its later state replaces the
                        # abandoned row (a session is recorded as abandoned once, at its last state)
                        db.execute("DELETE FROM finished WHERE session_id = ? AND status = 'abandoned'",
                                   (row["session_id"],))
                    db.execute(f"INSERT INTO finished ({cols}) VALUES ({marks})", values)
                return len(rows)

            try:
                done = self._db_session(work, write=True, timeout=timeout)
            except _DbUnavailable as err:
                self.last_problem = err.reason
                for p in claimed:  # give the claimed files back to the queue
                    try:
                        os.replace(p, p.with_name(p.name.rsplit(".busy-", 1)[0]))
                    except OSError:
                        pass
                return self.pending_count
            with self._memory_lock:
                del self._memory[:len(memory)]
            for p in claimed:
                try:
                    p.unlink()
                except OSError:
                    pass
            try:
                self.pending_dir.rmdir()  # only when empty
            except OSError:
                pass
            left = self.pending_count
            if self._owed and left == 0:
                n, self._owed = self._owed, 0
                self._warn(say_n("store.kept-recorded", n, file=DB_FILE), once=False)
            return left

    def recover(self, background: bool = False) -> int:
        """At the start of the game: record the sessions an earlier run left in the queue.
        Returns how many are waiting (before a background flush ends: all of them)."""
        waiting = self.pending_count + len(self._orphans())
        if not waiting:
            return 0
        self._owed = max(self._owed, waiting)
        if background:
            self.flush_async()
            return waiting
        return self.flush_pending()

    def flush_async(self) -> Optional[threading.Thread]:
        """Run :meth:`flush_pending` in a background thread (None if one is already running).
        Its news lands in :attr:`warnings`, as always."""
        with self._thread_lock:
            if self._thread is not None and self._thread.is_alive():
                self._rerun = True  # it goes round once more before it ends
                return None
            self._rerun = False
            self._thread = threading.Thread(target=self._flush_and_report, name="tegenmacht-records", daemon=True)
            self._thread.start()
            return self._thread

    @property
    def flushing(self) -> bool:
        t = self._thread
        return t is not None and t.is_alive()

    def wait(self, timeout: Optional[float] = None) -> bool:
        """Wait for a background flush to end; True if none is running any more."""
        t = self._thread
        if t is not None:
            t.join(timeout)
        return not self.flushing

    def _flush_and_report(self) -> None:
        while True:
            try:
                self.flush_pending()
            except Exception as err:  # pragma: no cover - a bug must not kill the window silently
                self.last_problem = as_is(str(err))
            self._report_record()
            with self._thread_lock:
                if not self._rerun:
                    return
                self._rerun = False

    def _report_record(self) -> bool:
        """After recording a finished session: one sentence if it is (still) waiting. True: recorded."""
        if self._announce is None:
            return True
        file, row = self._announce
        self._announce = None
        if not self._waiting(file, row):
            return True
        kept_on_disk = file is not None
        reason = self.last_problem or say("store.unknown-cause")
        self._owed += 1
        if kept_on_disk:
            self._warn(say("store.session-kept", reason=reason), once=False)
        else:
            self._warn(say("store.session-in-memory", reason=reason), once=False)
        return False

    def record_finished(self, session: Any, scenario_path: Union[str, os.PathLike, None] = None,
                        replay: bool = False, background: bool = False, mode: Optional[str] = None) -> str:
        """Record one finished session; ValueError if the session has not ended.

        The session is queued first (a small file in ``records-pending/``), then moved into
        the database. Returns ``"recorded"``, ``"kept"`` (waiting in the queue: the database
        was locked, full, read-only ...; a sentence is in :attr:`warnings`), ``"memory"``
        (not even the queue could be written) or, with ``background=True`` (the window:
        never wait on another program's lock), ``"started"``. Never raises for a disk or
        database problem."""
        if not session.finished:
            raise ValueError("only a finished session can be recorded")
        return self._record(self._row(session, replay, "finished", mode), background)

    def record_abandoned(self, session: Any, scenario_path: Union[str, os.PathLike, None] = None,
                         replay: bool = False, background: bool = False, mode: Optional[str] = None) -> str:
        """Record a session the player left before its end (status ``"abandoned"``); ValueError
        if it has ended or no choice was made. A session left again later (after "continue")
        replaces its earlier abandoned row; finishing it replaces it too. Returns as
        :meth:`record_finished`."""
        if session.finished:
            raise ValueError("a finished session is recorded with record_finished")
        if not session.history:
            raise ValueError("a session without a choice is not recorded")
        return self._record(self._row(session, replay, "abandoned", mode), background)

    def _record(self, row: dict[str, Any], background: bool) -> str:
        file = self._queue(row)
        self._announce = (file, row)
        if background:
            self.flush_async()
            return "started"
        self.flush_pending()
        if self._report_record():
            return "recorded"
        return "kept" if file is not None else "memory"

    @staticmethod
    def _row(session: Any, replay: bool, status: str = "finished", mode: Optional[str] = None) -> dict[str, Any]:
        from game.play.scoring import score
        from game.records import results
        from game.records.export import session_mode

        mode = mode or session_mode(session)  # "class" when a class vote decided a choice
        s = score(session)
        try:
            text: Optional[str] = json.dumps(results.build(session, status=status, mode=mode), ensure_ascii=False,
                                             sort_keys=True, allow_nan=False)
        except Exception:  # noqa: BLE001 - the session is recorded anyway, only without its document
            text = None
        try:
            sid: Optional[str] = results.session_id(session)
        except Exception:  # noqa: BLE001
            sid = None
        values = (session.scenario.id, str(session.scenario.version), int(session.seed),
                  json.dumps(session.choice_keys()), session.state if status == "finished" else "",
                  float(s.tegenmacht), float(s.eigenaarschap),
                  s.archetype.id, json.dumps(s.strategy), json.dumps(s.agency), int(session.turns),
                  _now().isoformat(timespec="seconds"), int(bool(replay)), str(session.lang),
                  status, sid, scenario_hash(session.scenario), "", mode, text)
        return dict(zip(_COLUMNS[1:], values))

    def _read_db(self, sql: str, args: tuple = ()) -> list[tuple]:
        """Rows of ``sql``, in which ``{finished}`` stands for the table (read as schema 2 even in
        a file that is not migrated yet)."""
        try:
            return self._db_session(lambda db, version: db.execute(sql.format(finished=_table_sql(version)),
                                                                   args).fetchall(),
                                    write=False, timeout=self.read_timeout) or []
        except _DbUnavailable as err:
            self._warn(say("store.sessions-unreadable", reason=err.reason))
            return []

    def discovered_endings(self, scenario_id: str) -> set[str]:
        """The ending ids reached in ``scenario_id`` so far (replays and queued sessions included;
        abandoned sessions reached none)."""
        rows = self._read_db("SELECT DISTINCT ending FROM {finished} WHERE scenario_id = ? AND status = 'finished'",
                             (scenario_id,))
        found = {r[0] for r in rows}
        found.update(r["ending"] for r in self.pending_sessions() if r["scenario_id"] == scenario_id)
        return found

    def finished_sessions(self, scenario_id: Optional[str] = None) -> list[dict[str, Any]]:
        """Finished sessions in the database, oldest first, as dicts (JSON columns decoded,
        replay as bool). Queued ones are in :meth:`pending_sessions`."""
        return self.sessions(scenario_id, status="finished")

    def sessions(self, scenario_id: Optional[str] = None, status: Optional[str] = None) -> list[dict[str, Any]]:
        """Sessions in the database, oldest first: ``status`` "finished", "abandoned" or None (both).
        ``result`` is the results document (a dict), or None for a row from before schema 2."""
        sql = f"SELECT {', '.join(_COLUMNS)} FROM {{finished}}"
        where, args = [], []
        if scenario_id is not None:
            where.append("scenario_id = ?")
            args.append(scenario_id)
        if status is not None:
            where.append("status = ?")
            args.append(status)
        if where:
            sql += " WHERE " + " AND ".join(where)
        rows = self._read_db(sql + " ORDER BY id", tuple(args))
        return [_decode_row(dict(zip(_COLUMNS, r))) for r in rows]


class _DbDamaged(Exception):
    """Real damage: not a database, a failed integrity check, tables that are not ours."""

    def __init__(self, reason: Say):
        super().__init__(reason.render("en"))
        self.reason = reason


class _DbNewer(Exception):
    def __init__(self, version: int):
        super().__init__(version)
        self.version = version


class _DbUnavailable(Exception):
    """The database cannot be used now, but the file is kept: ``reason`` says why (a Say)."""

    def __init__(self, reason: Say):
        super().__init__(reason.render("en"))
        self.reason = reason


_SQLITE_DAMAGE = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
_SQLITE_BUSY = {5, 6}      # SQLITE_BUSY, SQLITE_LOCKED


def _classify(err: sqlite3.Error) -> str:
    """'damaged', 'busy' or 'unavailable' (full, read-only, cannot open, I/O ...)."""
    code = getattr(err, "sqlite_errorcode", None)
    if isinstance(code, int):
        primary = code & 0xFF
        if primary in _SQLITE_DAMAGE:
            return "damaged"
        if primary in _SQLITE_BUSY:
            return "busy"
        return "unavailable"
    msg = str(err).lower()
    if "not a database" in msg or "malformed" in msg:
        return "damaged"
    if "locked" in msg or "busy" in msg:
        return "busy"
    return "unavailable"


def _db_reason(err: sqlite3.Error) -> Say:
    code = getattr(err, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    msg = str(err).lower()
    if _classify(err) == "busy":
        return say("store.db-busy")
    if primary == 13 or "full" in msg:
        return say("store.disk-full")
    if primary in (8, 3) or "readonly" in msg or "read-only" in msg:
        return say("store.db-read-only", file=DB_FILE)
    if primary == 14 or "unable to open" in msg:
        return say("store.db-cannot-open", file=DB_FILE)
    return say("store.db-error", file=DB_FILE, error=str(err))



def _pid_alive(pid: int, path: Path) -> bool:
    if os.name == "posix":
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except OSError:
            return True
        return True
    try:  # elsewhere: a claim older than ten minutes is abandoned
        return time.time() - path.stat().st_mtime < 600
    except OSError:
        return False


_ROW_TYPES = {"scenario_id": str, "scenario_version": str, "seed": int, "choices": str, "ending": str,
              "tegenmacht": (int, float), "eigenaarschap": (int, float), "archetype": str, "strategy": str,
              "agency": str, "turns": int, "finished_at": str, "replay": int, "lang": str,
              "status": str, "session_id": (str, type(None)), "scenario_hash": (str, type(None)), "nickname": str,
              "mode": str, "result": (str, type(None))}


def _upgrade_row(row: Any) -> Any:
    """A queued row written before schema 2 (an older Tegenmacht left it in the queue) gets the
    newer columns' defaults; anything else is returned as it is."""
    if isinstance(row, dict) and set(row) == set(_COLUMNS_V1[1:]):
        return {**row, **_NEW_IN_V2}
    return row


def _row_ok(row: Any) -> bool:
    if not isinstance(row, dict) or set(row) != set(_COLUMNS[1:]):
        return False
    if row["status"] not in STATUSES:
        return False
    for key, types in _ROW_TYPES.items():
        value = row[key]
        if isinstance(value, bool) or not isinstance(value, types):
            return False
        if isinstance(value, float) and not math.isfinite(value):
            return False
        if isinstance(value, int) and abs(value) >= 2**63:
            return False
    return True


def _decode_row(d: dict[str, Any], pending: bool = False) -> dict[str, Any]:
    for key in ("choices", "strategy", "agency"):
        try:
            d[key] = json.loads(d[key])
        except (TypeError, ValueError, RecursionError):
            d[key] = None
    d["replay"] = bool(d["replay"])
    try:
        result = json.loads(d["result"]) if d.get("result") else None
    except (TypeError, ValueError, RecursionError):
        result = None
    d["result"] = result if isinstance(result, dict) else None
    d["pending"] = pending
    return d
