"""The player's records: settings, saved games (slots) and finished sessions.

Everything lives in one folder, the user's data directory
(``platformdirs.user_data_dir("tegenmacht", appauthor=False)``), or in
``$TEGENMACHT_HOME`` when that is set, or in the ``root`` given to
:class:`Store`::

    settings.json          Settings (JSON, "format": 1)
    saves/<slot>.json      one saved game per slot; "autosave" is the automatic one
    records.sqlite3        finished sessions and discovered endings (SQLite, PRAGMA user_version)

Rules this module keeps:

* **Atomic writes.** A file is written to a temporary file in the same folder,
  flushed and fsync'ed, then moved over the old one with :func:`os.replace`;
  a crash leaves either the old or the new file, never half of one.
* **Nothing is lost.** A damaged file is never deleted: it is *set aside*
  (renamed to ``<name>.damaged-<stamp>``) with a warning in
  :attr:`Store.warnings`, and the rest carries on. Other saves are untouched.
* **No tracebacks.** Reading never raises for a damaged file (settings fall
  back to defaults, a damaged slot is skipped, a damaged database is replaced
  by a fresh one). :meth:`Store.restore` and the write methods raise
  :class:`~game.problems.SaveError` with one sentence; the sentence in each
  language is on ``err.texts`` (``(nl, en)``), see :func:`error_text`.

No pygame here: the window (``game/ui``) builds on this module.
"""
from __future__ import annotations

import json
import os
import re
import sqlite3
import tempfile
import time
from contextlib import closing
from dataclasses import asdict, dataclass, fields
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Optional, Union

from .problems import SaveError

FORMAT = 1
SCHEMA_VERSION = 1
AUTOSAVE = "autosave"
SETTINGS_FILE = "settings.json"
SAVES_DIR = "saves"
DB_FILE = "records.sqlite3"
ENV_HOME = "TEGENMACHT_HOME"

TEXT_SIZES = ("normal", "large", "xlarge")
LANGS = ("nl", "en")

_SLOT_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")
# Names Windows refuses as file names, whatever the extension.
_RESERVED = {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(1, 10)} | {f"lpt{i}" for i in range(1, 10)}

Warning_ = tuple[str, str]  # (nl, en)


def _err(nl: str, en: str) -> SaveError:
    """A SaveError whose message is the English sentence; ``texts`` holds both."""
    err = SaveError(en)
    err.texts = (nl, en)  # type: ignore[attr-defined]
    return err


def error_text(err: BaseException, lang: str = "nl") -> str:
    """The one-sentence message of a SaveError from this module in ``lang``."""
    texts = getattr(err, "texts", None)
    if texts:
        return texts[0] if lang == "nl" else texts[1]
    return str(err)


def validate_slot(slot: str) -> str:
    """Return ``slot`` if it is a valid slot name, else raise ValueError.

    Valid: 1-64 letters, digits, ``-`` or ``_``, and not a name Windows
    reserves (``con``, ``nul``, ``com1`` ...)."""
    if not isinstance(slot, str) or not _SLOT_RE.fullmatch(slot) or slot.lower() in _RESERVED:
        raise ValueError(f"invalid save slot name {slot!r}: use 1-64 letters, digits, '-' or '_'")
    return slot


def _now() -> datetime:
    return datetime.now().astimezone()


def _stamp() -> str:
    return _now().strftime("%Y%m%d-%H%M%S")


def atomic_write(path: Path, data: Union[str, bytes]) -> None:
    """Write ``data`` to ``path`` atomically (temp file in the same folder, fsync, os.replace)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        for attempt in range(5):  # Windows: a virus scanner may hold the target for a moment
            try:
                os.replace(tmp, path)
                break
            except PermissionError:
                if attempt == 4:
                    raise
                time.sleep(0.05 * (attempt + 1))
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable where the platform allows it (not on Windows)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# -- settings -------------------------------------------------------------------------
@dataclass
class Settings:
    """What the player chose in the settings screen."""

    lang: str = "nl"
    text_size: str = "normal"  # normal | large | xlarge
    high_contrast: bool = False
    coach: bool = True
    fullscreen: bool = False
    window_w: int = 0  # the window's last size (0: fit the screen)
    window_h: int = 0
    show_tags: bool = False  # trainers: show each choice's strategy and agency before it is chosen

    def __post_init__(self) -> None:
        for f in fields(self):
            ok, _ = _check_setting(f.name, getattr(self, f.name))
            if not ok:
                raise ValueError(f"invalid setting {f.name}={getattr(self, f.name)!r}")

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, **asdict(self)}


def _check_setting(name: str, value: Any) -> tuple[bool, Any]:
    if name == "lang":
        return value in LANGS, value
    if name == "text_size":
        return value in TEXT_SIZES, value
    if name in ("window_w", "window_h"):
        return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 100_000, value
    return isinstance(value, bool), value


# -- slots ----------------------------------------------------------------------------
@dataclass(frozen=True)
class SlotInfo:
    """What a save slot holds, for the "Verder spelen" and load screens."""

    slot: str
    scenario_id: str
    scenario_path: str
    title_nl: str
    title_en: str
    saved_at: str  # ISO 8601 with the local UTC offset
    turns: int
    finished: bool

    def title(self, lang: str = "nl") -> str:
        return (self.title_nl or self.title_en) if lang == "nl" else (self.title_en or self.title_nl)

    @property
    def saved_datetime(self) -> datetime:
        return datetime.fromisoformat(self.saved_at)


class _Damaged(Exception):
    """A file that cannot be used: ``reason`` is an (nl, en) pair."""

    def __init__(self, nl: str, en: str):
        super().__init__(en)
        self.reason = (nl, en)


def _read_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise _Damaged("het is geen tekstbestand", "it is not a text file") from None
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        raise _Damaged("het is geen geldige JSON", "it is not valid JSON") from None


def _slot_info(slot: str, data: Any) -> SlotInfo:
    """Check a save's envelope and return its SlotInfo; raise _Damaged if it does not fit."""
    if not isinstance(data, dict):
        raise _Damaged("het is geen JSON-object", "it is not a JSON object")
    if data.get("format") != FORMAT:
        raise _Damaged(f"het formaat {data.get('format')!r} is onbekend (verwacht {FORMAT})",
                       f"its format {data.get('format')!r} is unknown (expected {FORMAT})")
    title = data.get("title")
    checks = [
        ("scenario_id", isinstance(data.get("scenario_id"), str) and data.get("scenario_id")),
        ("scenario_path", isinstance(data.get("scenario_path"), str)),
        ("title", isinstance(title, dict) and all(isinstance(title.get(k, ""), str) for k in LANGS)),
        ("turns", isinstance(data.get("turns"), int) and not isinstance(data.get("turns"), bool)
         and data["turns"] >= 0),
        ("finished", isinstance(data.get("finished"), bool)),
        ("session", isinstance(data.get("session"), dict)),
    ]
    saved_at = data.get("saved_at")
    try:
        datetime.fromisoformat(saved_at)  # type: ignore[arg-type]
        checks.append(("saved_at", True))
    except (TypeError, ValueError):
        checks.append(("saved_at", False))
    for name, ok in checks:
        if not ok:
            raise _Damaged(f"het veld '{name}' ontbreekt of klopt niet", f"the field '{name}' is missing or wrong")
    return SlotInfo(slot, data["scenario_id"], data["scenario_path"], title.get("nl", ""), title.get("en", ""),
                    saved_at, data["turns"], data["finished"])


def _sort_key(info: SlotInfo) -> tuple[float, str]:
    dt = info.saved_datetime
    if dt.tzinfo is None:
        dt = dt.astimezone()
    return (dt.timestamp(), info.slot)


# -- the store ------------------------------------------------------------------------
_SCHEMA = """
CREATE TABLE IF NOT EXISTS finished (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    scenario_id      TEXT    NOT NULL,
    scenario_version TEXT    NOT NULL,
    seed             INTEGER NOT NULL,
    choices          TEXT    NOT NULL,   -- JSON list of "scene.choice" keys
    ending           TEXT    NOT NULL,
    tegenmacht       REAL    NOT NULL,   -- 0..100
    eigenaarschap    REAL    NOT NULL,   -- 0..100
    archetype        TEXT    NOT NULL,
    strategy         TEXT    NOT NULL,   -- JSON {polderen, coalitie, confrontatie, neutraal: share}
    agency           TEXT    NOT NULL,   -- JSON {organiseren, mobiliseren, overnemen, neutraal: share}
    turns            INTEGER NOT NULL,
    finished_at      TEXT    NOT NULL,   -- ISO 8601, local time with offset
    replay           INTEGER NOT NULL DEFAULT 0,
    lang             TEXT    NOT NULL DEFAULT 'nl'
);
CREATE INDEX IF NOT EXISTS finished_scenario ON finished (scenario_id);
"""
_COLUMNS = ("id", "scenario_id", "scenario_version", "seed", "choices", "ending", "tegenmacht", "eigenaarschap",
            "archetype", "strategy", "agency", "turns", "finished_at", "replay", "lang")


class Store:
    """The player's records in one folder. Cheap to create; touches the disk only when used."""

    def __init__(self, root: Union[str, os.PathLike, None] = None):
        if root is None:
            env = os.environ.get(ENV_HOME)
            if env:
                root = env
            else:
                import platformdirs

                root = platformdirs.user_data_dir("tegenmacht", appauthor=False)
        self.root = Path(root).expanduser()
        self.warnings: list[Warning_] = []
        self._last_saved: Optional[datetime] = None
        self._db_checked = False
        self._db_readonly = False

    # -- paths and warnings -----------------------------------------------------------
    @property
    def settings_path(self) -> Path:
        return self.root / SETTINGS_FILE

    @property
    def saves_dir(self) -> Path:
        return self.root / SAVES_DIR

    @property
    def db_path(self) -> Path:
        return self.root / DB_FILE

    def slot_path(self, slot: str) -> Path:
        return self.saves_dir / f"{validate_slot(slot)}.json"

    def warning_texts(self, lang: str = "nl") -> list[str]:
        i = 0 if lang == "nl" else 1
        return [w[i] for w in self.warnings]

    def _warn(self, nl: str, en: str) -> None:
        if (nl, en) not in self.warnings:
            self.warnings.append((nl, en))

    def _set_aside(self, path: Path) -> Optional[Path]:
        """Rename a damaged file to ``<name>.damaged-<stamp>``; None if even that fails."""
        base = f"{path.name}.damaged-{_stamp()}"
        target = path.with_name(base)
        n = 2
        while target.exists():
            target = path.with_name(f"{base}-{n}")
            n += 1
        try:
            os.replace(path, target)
        except OSError:
            return None
        return target

    # -- settings ---------------------------------------------------------------------
    def load_settings(self) -> Settings:
        """The saved settings; defaults when there are none. Never raises for a bad file:
        damaged values fall back to their defaults, with a warning, and the file is set aside."""
        path = self.settings_path
        if not path.exists():
            return Settings()
        try:
            data = _read_json(path)
            if not isinstance(data, dict):
                raise _Damaged("het is geen JSON-object", "it is not a JSON object")
            if data.get("format") != FORMAT:
                raise _Damaged(f"het formaat {data.get('format')!r} is onbekend",
                               f"its format {data.get('format')!r} is unknown")
        except (_Damaged, OSError) as err:
            nl, en = err.reason if isinstance(err, _Damaged) else ("het kan niet gelezen worden",
                                                                    "it cannot be read")
            self._settings_damaged(path, nl, en, all_defaults=True)
            return Settings()
        values: dict[str, Any] = {}
        bad: list[str] = []
        for f in fields(Settings):
            if f.name not in data:
                continue  # an older file without this setting: the default, no fuss
            ok, value = _check_setting(f.name, data[f.name])
            if ok:
                values[f.name] = value
            else:
                bad.append(f.name)
        if bad:
            names = ", ".join(bad)
            self._settings_damaged(path, f"de waarde van {names} klopt niet", f"the value of {names} is wrong",
                                   all_defaults=False)
        return Settings(**values)

    def _settings_damaged(self, path: Path, nl: str, en: str, all_defaults: bool) -> None:
        moved = self._set_aside(path)
        where_nl = f"het oude bestand staat opzij als {moved.name}" if moved else "het oude bestand is blijven staan"
        where_en = f"the old file was set aside as {moved.name}" if moved else "the old file was left in place"
        what_nl = "de standaardinstellingen worden gebruikt" if all_defaults else "daarvoor geldt de standaardwaarde"
        what_en = "the default settings are used" if all_defaults else "the default is used for it"
        self._warn(f"Het bestand met instellingen was beschadigd ({nl}), dus {what_nl} en {where_nl}.",
                   f"The settings file was damaged ({en}), so {what_en} and {where_en}.")

    def save_settings(self, settings: Settings) -> None:
        """Write the settings atomically; SaveError (one sentence) if the disk refuses."""
        settings.__post_init__()  # a caller may have changed a field to something invalid
        text = json.dumps(settings.to_json(), ensure_ascii=False, indent=2) + "\n"
        try:
            atomic_write(self.settings_path, text)
        except OSError as err:
            raise _err(f"De instellingen konden niet bewaard worden ({err.strerror or err}).",
                       f"The settings could not be saved ({err.strerror or err}).") from None

    # -- saves ------------------------------------------------------------------------
    def _next_saved_at(self) -> str:
        now = _now()
        if self._last_saved is not None and now <= self._last_saved:
            now = self._last_saved + timedelta(microseconds=1)  # keep "newest first" strict
        self._last_saved = now
        return now.isoformat(timespec="microseconds")

    def save(self, slot: str, session: Any, scenario_path: Union[str, os.PathLike]) -> SlotInfo:
        """Save ``session`` in ``slot`` (overwriting it atomically) and return its SlotInfo.

        Raises ValueError for an invalid slot name and SaveError if the disk refuses."""
        path = self.slot_path(slot)
        sc = session.scenario
        data = {
            "format": FORMAT,
            "saved_at": self._next_saved_at(),
            "scenario_path": os.path.abspath(os.fspath(scenario_path)),
            "scenario_id": sc.id,
            "scenario_version": sc.version,
            "title": {"nl": sc.title.nl or "", "en": sc.title.en or ""},
            "turns": session.turns,
            "finished": bool(session.finished),
            "session": session.to_json(),
        }
        text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
        try:
            atomic_write(path, text)
        except OSError as err:
            raise _err(f"Het spel kon niet bewaard worden in '{slot}' ({err.strerror or err}).",
                       f"The game could not be saved in '{slot}' ({err.strerror or err}).") from None
        return _slot_info(slot, data)

    def autosave(self, session: Any, scenario_path: Union[str, os.PathLike], slot: Optional[str] = None) -> SlotInfo:
        """Save in the slot ``autosave`` (or ``slot``: the window keeps one per scenario)."""
        return self.save(slot or AUTOSAVE, session, scenario_path)

    def _slot_damaged(self, slot: str, path: Path, reason: tuple[str, str], warn: bool = True) -> tuple[str, str]:
        moved = self._set_aside(path)
        if moved:
            nl = f"De opslag '{slot}' was beschadigd ({reason[0]}) en staat nu opzij als {moved.name}."
            en = f"The save '{slot}' was damaged ({reason[1]}) and has been set aside as {moved.name}."
        else:
            nl = f"De opslag '{slot}' is beschadigd ({reason[0]}) en kon niet opzij gezet worden."
            en = f"The save '{slot}' is damaged ({reason[1]}) and could not be set aside."
        if warn:
            self._warn(nl, en)
        return nl, en

    def slots(self) -> list[SlotInfo]:
        """All usable saves, newest first. Damaged ones are set aside with a warning."""
        folder = self.saves_dir
        if not folder.is_dir():
            return []
        found: list[SlotInfo] = []
        for path in sorted(folder.glob("*.json")):
            slot = path.stem
            try:
                validate_slot(slot)
            except ValueError:
                continue  # not ours (a file a user put there): leave it alone
            try:
                found.append(_slot_info(slot, _read_json(path)))
            except _Damaged as err:
                self._slot_damaged(slot, path, err.reason)
            except OSError:
                self._warn(f"De opslag '{slot}' kan niet gelezen worden en wordt overgeslagen.",
                           f"The save '{slot}' cannot be read and is skipped.")
        found.sort(key=_sort_key, reverse=True)
        return found

    def latest(self) -> Optional[SlotInfo]:
        """The most recent save (for "Verder spelen"), or None."""
        found = self.slots()
        return found[0] if found else None

    def info(self, slot: str) -> Optional[SlotInfo]:
        """The SlotInfo of one slot, or None if it is missing or damaged (damaged: set aside)."""
        return next((i for i in self.slots() if i.slot == validate_slot(slot)), None)

    def restore(self, slot: str, story: Any) -> Any:
        """The session saved in ``slot``, restored for ``story``.

        Raises SaveError (one sentence) if the slot is missing, damaged (then it is
        set aside; other saves stay as they are) or belongs to another scenario.
        The error carries the news; it is not repeated in :attr:`warnings`."""
        from .engine import Session

        path = self.slot_path(slot)
        sc = story.scenario
        if not path.exists():
            raise _err(f"Er is geen opslag met de naam '{slot}'.", f"There is no save named '{slot}'.")
        try:
            data = _read_json(path)
            _slot_info(slot, data)
        except _Damaged as err:
            raise _err(*self._slot_damaged(slot, path, err.reason, warn=False)) from None
        except OSError as err:
            raise _err(f"De opslag '{slot}' kan niet gelezen worden ({err.strerror or err}).",
                       f"The save '{slot}' cannot be read ({err.strerror or err}).") from None
        if data["scenario_id"] != sc.id:
            raise _err(f"De opslag '{slot}' hoort bij scenario '{data['scenario_id']}', niet bij '{sc.id}'.",
                       f"The save '{slot}' belongs to scenario '{data['scenario_id']}', not to '{sc.id}'.")
        try:
            return Session.from_json(story, data["session"])
        except SaveError as err:
            version = data.get("scenario_version")
            if version is not None and str(version) != str(sc.version):
                # Not damaged: the scenario changed since. Keep the file where it is.
                raise _err(f"De opslag '{slot}' is gemaakt met versie {version} van het scenario en past niet "
                           f"bij versie {sc.version} ({err}).",
                           f"The save '{slot}' was made with version {version} of the scenario and does not fit "
                           f"version {sc.version} ({err}).") from None
            raise _err(*self._slot_damaged(slot, path, (str(err), str(err)), warn=False)) from None

    def delete(self, slot: str) -> bool:
        """Remove a save; True if there was one."""
        path = self.slot_path(slot)
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        except OSError as err:
            raise _err(f"De opslag '{slot}' kon niet verwijderd worden ({err.strerror or err}).",
                       f"The save '{slot}' could not be deleted ({err.strerror or err}).") from None
        return True

    # -- finished sessions (SQLite) ---------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        self.root.mkdir(parents=True, exist_ok=True)
        return sqlite3.connect(self.db_path, timeout=5)

    def _db_damaged(self, detail: str) -> None:
        moved = None
        for suffix in ("", "-journal", "-wal", "-shm"):
            p = Path(f"{self.db_path}{suffix}")
            if p.exists():
                m = self._set_aside(p)
                if suffix == "":
                    moved = m
        if moved is None and self.db_path.exists():
            self._db_readonly = True
            self._warn(f"Het bestand met gespeelde sessies ({DB_FILE}) is beschadigd ({detail}) en kon niet opzij "
                       f"gezet worden, dus er worden nu geen sessies bijgehouden.",
                       f"The file of played sessions ({DB_FILE}) is damaged ({detail}) and could not be set aside, "
                       f"so no sessions are recorded for now.")
            return
        name = moved.name if moved else DB_FILE
        self._warn(f"Het bestand met gespeelde sessies was beschadigd ({detail}) en staat opzij als {name}; "
                   f"er is een nieuw bestand begonnen.",
                   f"The file of played sessions was damaged ({detail}) and has been set aside as {name}; "
                   f"a new one has been started.")

    def _ensure_db(self) -> bool:
        """Check (once) that the database is usable, creating or replacing it. False: do not use it."""
        if self._db_readonly:
            return False
        if self._db_checked:
            return True
        for attempt in (1, 2):
            try:
                with closing(self._connect()) as db:
                    version = db.execute("PRAGMA user_version").fetchone()[0]
                    if version > SCHEMA_VERSION:
                        self._db_readonly = True
                        self._warn(f"Het bestand met gespeelde sessies komt uit een nieuwere versie van Tegenmacht "
                                   f"(schema {version}), dus het blijft onaangeroerd en er wordt niets bijgehouden.",
                                   f"The file of played sessions comes from a newer Tegenmacht (schema {version}), "
                                   f"so it is left untouched and nothing is recorded.")
                        return False
                    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
                    if version == 0 and tables - {"sqlite_sequence"}:
                        raise sqlite3.DatabaseError("it holds tables that are not Tegenmacht's")
                    if version == SCHEMA_VERSION:
                        cols = [r[1] for r in db.execute("PRAGMA table_info(finished)")]
                        if tuple(cols) != _COLUMNS:
                            raise sqlite3.DatabaseError("the table of finished sessions does not match")
                        check = db.execute("PRAGMA quick_check").fetchone()[0]
                        if check != "ok":
                            raise sqlite3.DatabaseError(str(check))
                    else:
                        with db:
                            db.executescript(_SCHEMA)
                            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                self._db_checked = True
                return True
            except sqlite3.OperationalError as err:
                if "locked" in str(err) or "busy" in str(err):
                    self._warn("Het bestand met gespeelde sessies is bezet door een ander programma.",
                               "The file of played sessions is in use by another program.")
                    return False
                if attempt == 2:
                    break
                self._db_damaged(str(err))
            except sqlite3.DatabaseError as err:
                if attempt == 2:
                    break
                self._db_damaged(str(err))
            except OSError as err:
                self._warn(f"Het bestand met gespeelde sessies kan niet geopend worden ({err.strerror or err}).",
                           f"The file of played sessions cannot be opened ({err.strerror or err}).")
                return False
            if self._db_readonly:
                return False
        self._db_readonly = True
        return False

    def _db_run(self, work):
        """Run ``work(db)``; a database found damaged on the way is set aside and work is retried once."""
        for attempt in (1, 2):
            if not self._ensure_db():
                return None
            try:
                with closing(self._connect()) as db:
                    with db:
                        return work(db)
            except sqlite3.OperationalError as err:
                if "locked" in str(err) or "busy" in str(err):
                    self._warn("Het bestand met gespeelde sessies is bezet door een ander programma.",
                               "The file of played sessions is in use by another program.")
                    return None
                if attempt == 2:
                    return None
                self._db_checked = False
                self._db_damaged(str(err))
            except sqlite3.DatabaseError as err:
                if attempt == 2:
                    return None
                self._db_checked = False
                self._db_damaged(str(err))
            except OSError as err:
                self._warn(f"Het bestand met gespeelde sessies kan niet geopend worden ({err.strerror or err}).",
                           f"The file of played sessions cannot be opened ({err.strerror or err}).")
                return None
        return None

    def record_finished(self, session: Any, scenario_path: Union[str, os.PathLike, None] = None,
                        replay: bool = False) -> None:
        """Add one row for a finished session. Never raises for a disk or database problem
        (it lands in :attr:`warnings`); ValueError if the session has not ended."""
        from .scoring import score

        if not session.finished:
            raise ValueError("only a finished session can be recorded")
        s = score(session)
        row = (session.scenario.id, str(session.scenario.version), int(session.seed),
               json.dumps(session.choice_keys()), session.state, s.tegenmacht, s.eigenaarschap, s.archetype.id,
               json.dumps(s.strategy), json.dumps(s.agency), session.turns,
               _now().isoformat(timespec="seconds"), int(bool(replay)), str(session.lang))

        def work(db: sqlite3.Connection) -> None:
            db.execute(f"INSERT INTO finished ({', '.join(_COLUMNS[1:])}) VALUES ({', '.join('?' * len(row))})",
                       row)

        self._db_run(work)

    def discovered_endings(self, scenario_id: str) -> set[str]:
        """The ending ids reached in ``scenario_id`` so far (replays included)."""
        rows = self._db_run(lambda db: db.execute(
            "SELECT DISTINCT ending FROM finished WHERE scenario_id = ?", (scenario_id,)).fetchall())
        return {r[0] for r in rows or ()}

    def finished_sessions(self, scenario_id: Optional[str] = None) -> list[dict[str, Any]]:
        """Finished sessions, oldest first, as dicts (JSON columns decoded, replay as bool)."""
        sql = f"SELECT {', '.join(_COLUMNS)} FROM finished"
        args: tuple = ()
        if scenario_id is not None:
            sql += " WHERE scenario_id = ?"
            args = (scenario_id,)
        rows = self._db_run(lambda db: db.execute(sql + " ORDER BY id", args).fetchall()) or []
        out = []
        for r in rows:
            d = dict(zip(_COLUMNS, r))
            for key in ("choices", "strategy", "agency"):
                try:
                    d[key] = json.loads(d[key])
                except (TypeError, ValueError):
                    d[key] = None
            d["replay"] = bool(d["replay"])
            out.append(d)
        return out
