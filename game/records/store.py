"""The player's records: settings, saved games (slots) and finished sessions.

Everything lives in one folder, the user's data directory
(``platformdirs.user_data_dir("tegenmacht", appauthor=False)``), or in
``$TEGENMACHT_HOME`` when that is set, or in the ``root`` given to
:class:`Store`::

    settings.json          Settings (JSON, "format": 1)
    saves/<slot>.json      one saved game per slot; "autosave" is the automatic one
    records.sqlite3        played sessions, finished and abandoned, with their results documents
                           (SQLite, PRAGMA user_version; schema 1 files are migrated on the first write)

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
  :class:`~game.scenario.problems.SaveError` with one sentence: it carries the sentence's key
  in the catalogues (``"store.<key>"``) and its fields, and :func:`error_text` renders it in
  the language of the screen; :meth:`Store.warning_texts` does the same for the warnings.

The work is done by three parts along the file's seams, each in its own module:
:mod:`game.records.settings` (``settings.json``), :mod:`game.records.saves` (``saves/``) and
:mod:`game.records.sessions` (``records.sqlite3`` and its queue ``records-pending/``); the
helpers they share are in :mod:`game.records.common`. :class:`Store` is the one front every
caller uses: it holds the three parts and hands each call to the right one.

No pygame here: the window (``game/ui``) builds on this module.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any, Optional, Union

from game.records.common import Say, Shared, error_text
from game.records.saves import AUTOSAVE, Saves, SlotInfo, SlotNameError, validate_slot
from game.records.sessions import Sessions
from game.records.settings import Settings, SettingsFile

ENV_HOME = "TEGENMACHT_HOME"

__all__ = ["AUTOSAVE", "ENV_HOME", "Settings", "SlotInfo", "SlotNameError", "Store", "error_text", "validate_slot"]


class Store:
    """The player's records in one folder. Cheap to create; touches the disk only when used."""

    def __init__(self, root: Union[str, os.PathLike, None] = None):
        self.default_root = root is None and not os.environ.get(ENV_HOME)  # the user's own data folder
        if root is None:
            env = os.environ.get(ENV_HOME)
            if env:
                root = env
            else:
                import platformdirs

                root = platformdirs.user_data_dir("tegenmacht", appauthor=False)
        self.root = Path(root).expanduser()
        self._shared = Shared(self.root)
        self._settings = SettingsFile(self._shared)
        self._saves = Saves(self._shared)
        self._sessions = Sessions(self._shared)

    # -- paths and warnings -----------------------------------------------------------
    @property
    def warnings(self) -> list[Say]:
        """The sentences for the player so far (each a keyed text, see :meth:`warning_texts`)."""
        return self._shared.warnings

    def warning_texts(self, lang: str = "nl") -> list[str]:
        """The warnings, rendered in ``lang``."""
        return [w.render(lang) for w in self.warnings]

    @property
    def settings_path(self) -> Path:
        return self._settings.path

    @property
    def saves_dir(self) -> Path:
        return self._saves.folder

    @property
    def db_path(self) -> Path:
        return self._sessions.db_path

    @property
    def pending_dir(self) -> Path:
        return self._sessions.pending_dir

    def slot_path(self, slot: str) -> Path:
        return self._saves.slot_path(slot)

    # -- settings ---------------------------------------------------------------------
    def load_settings(self) -> Settings:
        """The saved settings; defaults when there are none (see :meth:`SettingsFile.load`)."""
        return self._settings.load()

    def save_settings(self, settings: Settings) -> None:
        """Write the settings atomically; SaveError (one sentence) if the disk refuses."""
        self._settings.save(settings)

    # -- saves ------------------------------------------------------------------------
    def save(self, slot: str, session: Any, scenario_path: Union[str, os.PathLike]) -> SlotInfo:
        """Save ``session`` in ``slot`` (see :meth:`Saves.save`)."""
        return self._saves.save(slot, session, scenario_path)

    def autosave(self, session: Any, scenario_path: Union[str, os.PathLike], slot: Optional[str] = None) -> SlotInfo:
        """Save in the slot ``autosave`` (or ``slot``); SaveError (one sentence) if the disk refuses."""
        return self._saves.autosave(session, scenario_path, slot)

    def slots(self) -> list[SlotInfo]:
        """All usable saves, newest first. Damaged ones are set aside with a warning."""
        return self._saves.slots()

    def latest(self) -> Optional[SlotInfo]:
        """The most recent save (for "Verder spelen"), or None."""
        return self._saves.latest()

    def info(self, slot: str) -> Optional[SlotInfo]:
        """The SlotInfo of one slot, or None if it is missing or damaged (damaged: set aside)."""
        return self._saves.info(slot)

    def restore(self, slot: str, story: Any) -> Any:
        """The session saved in ``slot``, restored for ``story`` (see :meth:`Saves.restore`)."""
        return self._saves.restore(slot, story)

    def delete(self, slot: str) -> bool:
        """Remove a save; True if there was one."""
        return self._saves.delete(slot)

    # -- played sessions --------------------------------------------------------------
    @property
    def busy_timeout(self) -> float:
        return self._sessions.busy_timeout

    @busy_timeout.setter
    def busy_timeout(self, value: float) -> None:
        self._sessions.busy_timeout = value

    @property
    def read_timeout(self) -> float:
        return self._sessions.read_timeout

    @read_timeout.setter
    def read_timeout(self, value: float) -> None:
        self._sessions.read_timeout = value

    @property
    def last_problem(self) -> Optional[Say]:
        """Why the last flush left sessions waiting (None: it did not)."""
        return self._sessions.last_problem

    @property
    def pending_count(self) -> int:
        """How many finished sessions this Store knows are waiting (memory + queue files)."""
        return self._sessions.pending_count

    @property
    def flushing(self) -> bool:
        return self._sessions.flushing

    def record_finished(self, session: Any, scenario_path: Union[str, os.PathLike, None] = None,
                        replay: bool = False, background: bool = False, mode: Optional[str] = None) -> str:
        """Record one finished session (see :meth:`Sessions.record_finished`)."""
        return self._sessions.record_finished(session, scenario_path, replay, background, mode)

    def record_abandoned(self, session: Any, scenario_path: Union[str, os.PathLike, None] = None,
                         replay: bool = False, background: bool = False, mode: Optional[str] = None) -> str:
        """Record a session the player left before its end (see :meth:`Sessions.record_abandoned`)."""
        return self._sessions.record_abandoned(session, scenario_path, replay, background, mode)

    def flush_pending(self, timeout: Optional[float] = None) -> int:
        """Move every queued session into the database; returns how many are still waiting."""
        return self._sessions.flush_pending(timeout)

    def recover(self, background: bool = False) -> int:
        """At the start of the game: record the sessions an earlier run left in the queue."""
        return self._sessions.recover(background)

    def flush_async(self) -> Optional[threading.Thread]:
        """Run :meth:`flush_pending` in a background thread (None if one is already running)."""
        return self._sessions.flush_async()

    def wait(self, timeout: Optional[float] = None) -> bool:
        """Wait for a background flush to end; True if none is running any more."""
        return self._sessions.wait(timeout)

    def discovered_endings(self, scenario_id: str) -> set[str]:
        """The ending ids reached in ``scenario_id`` so far (queued sessions included)."""
        return self._sessions.discovered_endings(scenario_id)

    def finished_sessions(self, scenario_id: Optional[str] = None) -> list[dict[str, Any]]:
        """Finished sessions in the database, oldest first, as dicts."""
        return self._sessions.finished_sessions(scenario_id)

    def sessions(self, scenario_id: Optional[str] = None, status: Optional[str] = None) -> list[dict[str, Any]]:
        """Sessions in the database, oldest first: ``status`` "finished", "abandoned" or None (both)."""
        return self._sessions.sessions(scenario_id, status)

    def pending_sessions(self, status: Optional[str] = "finished") -> list[dict[str, Any]]:
        """Sessions waiting in the queue (not yet in the database), oldest first."""
        return self._sessions.pending_sessions(status)
