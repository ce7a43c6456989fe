"""Saved games: one JSON file per slot in ``saves/``, checked on reading, a damaged one set
aside, a save of a changed scenario replayed as far as it goes.

No pygame here.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Optional, Union

from game.errors import EXIT_USAGE, TegenmachtError
from game.records import common
from game.records.common import (FORMAT, LANGS, Part, Say, _Damaged, _err, _now, _os_reason, _read_json, _shorten,
                                  as_is, say, say_n)
from game.scenario.model import scenario_hash
from game.scenario.problems import SaveError

AUTOSAVE = "autosave"
SAVES_DIR = "saves"

_SLOT_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")
# Names Windows refuses as file names, whatever the extension.
_RESERVED = {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(1, 10)} | {f"lpt{i}" for i in range(1, 10)}


class SlotNameError(TegenmachtError, ValueError):
    """A save name that is not 1-64 letters, digits, '-' or '_' (wrong use: exit 2 on the command line)."""

    exit_code = EXIT_USAGE


def validate_slot(slot: str) -> str:
    """Return ``slot`` if it is a valid slot name, else raise ValueError.

    Valid: 1-64 letters, digits, ``-`` or ``_``, and not a name Windows
    reserves (``con``, ``nul``, ``com1`` ...)."""
    if not isinstance(slot, str) or not _SLOT_RE.fullmatch(slot) or slot.lower() in _RESERVED:
        raise SlotNameError(f"invalid save slot name {slot!r}: use 1-64 letters, digits, '-' or '_'")
    return slot


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


def _slot_info(slot: str, data: Any) -> SlotInfo:
    """Check a save's envelope and return its SlotInfo; raise _Damaged if it does not fit."""
    if not isinstance(data, dict):
        raise _Damaged(say("store.not-object"))
    if data.get("format") != FORMAT:
        raise _Damaged(say("store.save-format", format=repr(data.get("format")), expected=FORMAT))
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
        when = datetime.fromisoformat(saved_at)  # type: ignore[arg-type]
        if when.tzinfo is None:  # written by hand without an offset: take it as local time
            when = when.astimezone()
        when.timestamp()  # year 1 or 9999 at the edge of the clock: OverflowError here, not later
        saved_at = when.isoformat(timespec="microseconds")
        checks.append(("saved_at", True))
    except (TypeError, ValueError, OverflowError, OSError):
        checks.append(("saved_at", False))
    hash_ = data.get("scenario_hash")
    checks.append(("scenario_hash", hash_ is None or (isinstance(hash_, str) and len(hash_) <= 128)))
    for name, ok in checks:
        if not ok:
            raise _Damaged(say("store.field-wrong", name=name))
    return SlotInfo(slot, data["scenario_id"], data["scenario_path"], title.get("nl", ""), title.get("en", ""),
                    saved_at, data["turns"], data["finished"])


def _replay_plan(session: Any) -> tuple[int, str, list[str]]:
    """Seed, language and ``scene.choice`` keys of a saved session (for a replay on a
    changed scenario); _Damaged if they cannot be read."""
    try:
        seed = session["seed"]
        if isinstance(seed, float) and seed.is_integer():
            seed = int(seed)
        if isinstance(seed, bool) or not isinstance(seed, int):
            raise TypeError("seed")
        lang = session.get("lang", "nl")
        lang = lang if lang in LANGS else "nl"
        keys = []
        for h in session["history"]:
            scene, choice = h["scene"], h["choice"]
            if not isinstance(scene, str) or not isinstance(choice, str):
                raise TypeError("history")
            keys.append(f"{scene}.{choice}")
    except (KeyError, TypeError, AttributeError):
        raise _Damaged(say("store.no-replay-plan")) from None
    return seed, lang, keys


def _sort_key(info: SlotInfo) -> tuple[float, str]:
    return (info.saved_datetime.timestamp(), info.slot)  # saved_at always has an offset (see _slot_info)



class Saves(Part):
    """The save slots in ``saves/``."""

    def __init__(self, shared: common.Shared):
        super().__init__(shared)
        self._last_saved: Optional[datetime] = None

    @property
    def folder(self) -> Path:
        return self.root / SAVES_DIR

    def slot_path(self, slot: str) -> Path:
        return self.folder / f"{validate_slot(slot)}.json"

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
            "scenario_hash": scenario_hash(sc),
            "title": {"nl": sc.title.nl or "", "en": sc.title.en or ""},
            "turns": session.turns,
            "finished": bool(session.finished),
            "session": session.to_json(),
        }
        text = json.dumps(data, ensure_ascii=False, indent=1, allow_nan=False) + "\n"
        try:
            common.atomic_write(path, text)
        except OSError as err:
            reason = _os_reason(err)
            if slot == AUTOSAVE or slot.startswith(AUTOSAVE + "-"):
                raise _err(say("store.autosave-failed", reason=reason)) from None
            raise _err(say("store.save-failed", slot=slot, reason=reason)) from None
        return _slot_info(slot, data)

    def autosave(self, session: Any, scenario_path: Union[str, os.PathLike], slot: Optional[str] = None) -> SlotInfo:
        """Save in the slot ``autosave`` (or ``slot``: the window keeps one per scenario, ``autosave-<id>``);
        SaveError (one sentence) if the disk refuses."""
        return self.save(slot or AUTOSAVE, session, scenario_path)

    def _slot_damaged(self, slot: str, path: Path, reason: Say, warn: bool = True) -> Say:
        moved = self._set_aside(path)
        if moved:
            text = say("store.slot-damaged-moved", slot=slot, reason=reason, moved=moved.name)
        else:
            text = say("store.slot-damaged-kept", slot=slot, reason=reason)
        if warn:
            self._warn(text)
        return text

    def slots(self) -> list[SlotInfo]:
        """All usable saves, newest first. Damaged ones are set aside with a warning."""
        folder = self.folder
        if not folder.is_dir():
            return []
        found: list[tuple[tuple[float, str], SlotInfo]] = []
        try:
            paths = sorted(folder.glob("*.json"))
        except OSError:
            paths = []
        for path in paths:
            slot = path.stem
            try:
                validate_slot(slot)
            except ValueError:
                continue  # not ours (a file a user put there): leave it alone
            try:  # one bad file never hides the others
                info = _slot_info(slot, _read_json(path))
                found.append((_sort_key(info), info))
            except _Damaged as err:
                self._slot_damaged(slot, path, err.reason)
            except OSError:
                self._warn(say("store.slot-unreadable-skipped", slot=slot))
            except Exception as err:  # noqa: BLE001 - anything else about one file: skip that file
                self._warn(say("store.slot-skipped", slot=slot, error=type(err).__name__))
        found.sort(key=lambda pair: pair[0], reverse=True)
        return [info for _, info in found]

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
        from game.play.engine import Session

        path = self.slot_path(slot)
        sc = story.scenario
        if not path.exists():
            raise _err(say("store.no-such-slot", slot=slot))
        try:
            data = _read_json(path)
            _slot_info(slot, data)
        except _Damaged as err:
            raise _err(self._slot_damaged(slot, path, err.reason, warn=False)) from None
        except OSError as err:
            raise _err(say("store.slot-unreadable", slot=slot, detail=err.strerror or str(err))) from None
        if data["scenario_id"] != sc.id:
            raise _err(say("store.slot-other-scenario", slot=slot, saved=_shorten(data["scenario_id"], 60),
                           scenario=sc.id))
        saved_hash = data.get("scenario_hash")
        version = data.get("scenario_version")
        if (saved_hash is not None and saved_hash != scenario_hash(sc)) or \
                (version is not None and str(version) != str(sc.version)):
            # Not damaged: the scenario changed since. Keep the file; play on as far as it goes.
            return self._replay_changed(slot, path, data, story)
        try:
            return Session.from_json(story, data["session"])
        except SaveError as err:
            if saved_hash is None:  # an older save without a hash: perhaps the scenario changed
                return self._replay_changed(slot, path, data, story)
            raise _err(self._slot_damaged(slot, path, as_is(str(err)), warn=False)) from None
        except (ArithmeticError, ValueError, TypeError, KeyError, AttributeError, RecursionError) as err:
            reason = say("store.exception", error=type(err).__name__, detail=_shorten(str(err), 60))
            raise _err(self._slot_damaged(slot, path, reason, warn=False)) from None

    def _replay_changed(self, slot: str, path: Path, data: dict[str, Any], story: Any) -> Any:
        """The scenario changed since ``slot`` was saved: replay its choices from its seed,
        as far as they still exist, and say so in one sentence (in :attr:`warnings`)."""
        from game.scenario.problems import EngineError

        try:
            seed, lang, keys = _replay_plan(data["session"])
        except _Damaged as err:
            raise _err(self._slot_damaged(slot, path, err.reason, warn=False)) from None
        try:
            session = story.new_session(seed=seed, lang=lang)
        except Exception as err:  # noqa: BLE001 - e.g. a seed random.Random refuses
            raise _err(self._slot_damaged(slot, path, as_is(str(err)), warn=False)) from None
        stopped = None
        for key in keys:
            try:
                session.choose(key)
            except EngineError:
                stopped = key
                break
        done, total = session.turns, len(keys)
        if stopped is None:
            self._warn(say_n("store.replayed", total, slot=slot, done=done), once=False)
        else:
            self._warn(say_n("store.replayed-stopped", total, slot=slot, done=done, choice=_shorten(stopped, 60)),
                       once=False)
        return session

    def delete(self, slot: str) -> bool:
        """Remove a save; True if there was one."""
        path = self.slot_path(slot)
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        except OSError as err:
            raise _err(say("store.slot-not-deleted", slot=slot, detail=err.strerror or str(err))) from None
        return True
