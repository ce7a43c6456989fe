"""Results files: one played session as a small JSON file a student hands in.

A results file is what leaves the player's computer: it goes through the school's
learning environment to the trainer, whose ``report`` command reads a folder of them.
It holds no name (a nickname at most), everything the class report needs (so the
trainer needs no scenario file), and a checksum, so a trainer sees a file that was
edited by hand. The checksum detects edits; it is no signature and does not pretend to be.

The format (``"format": "tegenmacht-result"``, ``"version": 1``)::

    id            a stable id of the session (the same session exported twice has the same id)
    app           the Tegenmacht version that wrote it
    scenario      {id, version, hash, title: {nl, en}}
    nickname      "" or what the student typed (at most 40 characters)
    mode          "solo" (own laptop) or "class" (projector, votes)
    status        "finished" or "abandoned"
    lang, seed    the language played and the seed of the random draws
    started, ended   ISO 8601 times with offset
    steps         one per choice: n, scene, scene_title, choice, key, text, offered
                  [{id, text, available}], outcome, at (ISO), seconds (since the step
                  before), meters (after), changes, events, later [{source, cause, turn}],
                  replay, votes ({choice id: count} or null)
    ending        {id, title} or null
    score         {tegenmacht, eigenaarschap, archetype, outcome, outcome_name, mismatch}
    profile       {strategy: {tag: share}, agency: {tag: share}}
    tipped        the tipping points passed
    turning_points   [{turn, kind, source, title}]
    questions     the discussion questions of this ending [{nl, en}]
    checksum      "sha256:" + hex of the canonical JSON of all other keys

No pygame here; nothing in this module writes to disk (callers use ``safeio``).
"""
from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Optional, Union

from game import __version__
from game.errors import TegenmachtError
from game.play.debrief import Debrief
from game.play.engine import Session
from game.scenario.model import scenario_hash

FORMAT = "tegenmacht-result"
VERSION = 1
SUFFIX = ".tegenmacht.json"
MAX_BYTES = 1_000_000  # a long session is ~50 kB; anything far bigger is not a results file
NICKNAME_MAX = 40
MODES = ("solo", "class")
STATUSES = ("finished", "abandoned")
_REQUIRED = {"format": str, "version": int, "id": str, "app": str, "scenario": dict, "nickname": str, "mode": str,
             "status": str, "lang": str, "seed": int, "started": str, "ended": str, "steps": list,
             "ending": (dict, type(None)), "score": dict, "profile": dict, "tipped": list, "turning_points": list,
             "questions": list, "checksum": str}


class ResultProblem(TegenmachtError):
    """Why a file is not a usable results file (``code`` is stable); its sentence is the catalogue's
    ``results.<why>``, put into words late (:meth:`text`, or :attr:`nl` and :attr:`en`)."""

    def __init__(self, code: str, why: str = "", **params: object):
        super().__init__(key=f"results.{why or code}", **params)
        self.code = code

    @property
    def nl(self) -> str:
        return self.text("nl")

    @property
    def en(self) -> str:
        return self.text("en")


def _text(t: Any) -> dict[str, str]:
    return {"nl": str(getattr(t, "nl", "") or ""), "en": str(getattr(t, "en", "") or getattr(t, "nl", "") or "")}


def _iso(ts: Optional[float]) -> str:
    if ts is None or not math.isfinite(ts):
        return ""
    return datetime.fromtimestamp(ts, timezone.utc).astimezone().isoformat(timespec="seconds")


def clean_nickname(nickname: str) -> str:
    """A nickname as it goes into a file: printable, one line, at most 40 characters."""
    text = "".join(ch if ch.isprintable() else " " if ch.isspace() else "" for ch in str(nickname))
    return " ".join(text.split())[:NICKNAME_MAX]


def canonical(doc: dict[str, Any]) -> bytes:
    """The bytes the checksum is taken over: every key but ``checksum``, sorted, compact UTF-8."""
    body = {k: v for k, v in doc.items() if k != "checksum"}
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


def checksum(doc: dict[str, Any]) -> str:
    return "sha256:" + hashlib.sha256(canonical(doc)).hexdigest()


def seal(doc: dict[str, Any]) -> dict[str, Any]:
    """``doc`` with its checksum set (a new dict)."""
    out = {k: v for k, v in doc.items() if k != "checksum"}
    out["checksum"] = checksum(out)
    return out


def session_id(session: Any) -> str:
    """Stable for one session: its scenario, seed, start time and first choices."""
    first = session.history[0].at if session.history else None
    raw = json.dumps([session.scenario.id, session.seed, session.started, first], default=str)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:20]


def _offered(session: Any) -> list[list[tuple[Any, bool]]]:
    """What each step offered (choice, available), by replaying the session from its seed."""
    again = Session(session.story, seed=session.seed, lang=session.lang)
    out = []
    for h in session.history:
        out.append([(o.choice, o.available) for o in again.offered()])
        again.choose(h.key)
    return out


def build(session: Any, *, status: Optional[str] = None, nickname: str = "", mode: str = "solo",
          ended: Optional[float] = None) -> dict[str, Any]:
    """The results document of ``session`` (finished or not), sealed with its checksum."""
    sc = session.scenario
    if status is None:
        status = "finished" if session.finished else "abandoned"
    if status not in STATUSES:
        raise ValueError(f"status must be one of {STATUSES}, not {status!r}")
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    seen = _offered(session)
    steps = []
    before = session.started
    for n, h in enumerate(session.history, 1):
        scene = sc.scenes.get(h.scene)
        choices = {c.id: c for c in scene.choices} if scene is not None else {}
        picked = choices.get(h.choice)
        offered = [{"id": c.id, "text": _text(c.text), "available": ok} for c, ok in seen[n - 1]]
        seconds = None
        if h.at is not None and before is not None:
            seconds = round(max(0.0, h.at - before), 1)
        before = h.at if h.at is not None else before
        steps.append({
            "n": n, "scene": h.scene, "scene_title": _text(scene.title) if scene is not None else _text(None),
            "choice": h.choice, "key": h.key, "text": _text(picked.text) if picked is not None else _text(None),
            "offered": offered, "outcome": h.outcome, "at": _iso(h.at), "seconds": seconds,
            "meters": dict(h.meters), "changes": dict(h.changes), "events": list(h.events),
            "later": [{"source": x.source, "cause": x.cause, "turn": x.turn} for x in h.notes if x.kind == "later"],
            "replay": bool(h.replay), "votes": dict(h.votes) if h.votes is not None else None,
        })
    debrief = Debrief.of(session)
    s = debrief.score
    ending = session.ending
    last = session.history[-1].at if session.history else session.started
    doc = {
        "format": FORMAT, "version": VERSION, "id": session_id(session), "app": __version__,
        "scenario": {"id": sc.id, "version": str(sc.version), "hash": scenario_hash(sc), "title": _text(sc.title)},
        "nickname": clean_nickname(nickname), "mode": mode, "status": status, "lang": str(session.lang),
        "seed": int(session.seed), "started": _iso(session.started), "ended": _iso(ended if ended is not None else last),
        "steps": steps,
        "ending": {"id": ending.id, "title": _text(ending.title)} if ending is not None else None,
        "score": {"tegenmacht": s.tegenmacht, "eigenaarschap": s.eigenaarschap, "archetype": s.archetype.id,
                  "outcome": s.outcome.id, "outcome_name": _text(s.outcome.name), "mismatch": s.mismatch},
        "profile": {"strategy": dict(s.strategy), "agency": dict(s.agency)},
        "tipped": sorted(session.tipped),
        "turning_points": [{"turn": m.turn, "kind": m.kind, "source": m.source, "title": _text(m.title)}
                           for m in debrief.turning_points],
        "questions": [_text(q) for q in debrief.questions],
    }
    return seal(doc)


def dumps(doc: dict[str, Any]) -> str:
    """The file's text: readable JSON (one key per line), UTF-8."""
    return json.dumps(doc, ensure_ascii=False, indent=1, allow_nan=False) + "\n"


def file_name(doc: dict[str, Any]) -> str:
    """A file name that sorts by time and says what it is, e.g. ``schimmel-2026-11-23-1415-ab12cd.tegenmacht.json``."""
    stamp = doc.get("ended") or doc.get("started") or ""
    when = stamp[:16].replace("T", "-").replace(":", "") if stamp else "zonder-tijd"
    nick = "".join(ch if ch.isalnum() else "-" for ch in doc.get("nickname", "").lower()).strip("-")[:20]
    parts = [doc["scenario"]["id"], when] + ([nick] if nick else []) + [doc["id"][:6]]
    return "-".join(parts) + SUFFIX


@dataclass(frozen=True)
class Result:
    """A results file that passed every check."""

    path: str
    doc: dict[str, Any]

    @property
    def id(self) -> str:
        return self.doc["id"]

    @property
    def scenario(self) -> tuple[str, str, str]:
        """(id, version, hash): results are comparable only when all three agree."""
        s = self.doc["scenario"]
        return s["id"], s["version"], s["hash"]


def check(doc: Any) -> None:
    """Raise :class:`ResultProblem` unless ``doc`` is a complete, unedited results document."""
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ResultProblem("not-a-result")
    version = doc.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version > VERSION:
        raise ResultProblem("newer", version=version)
    for key, kind in _REQUIRED.items():
        if key not in doc:
            raise ResultProblem("incomplete", "missing-key", field=key)
        value = doc[key]
        if isinstance(value, bool) or not isinstance(value, kind):
            raise ResultProblem("incomplete", "wrong-shape", field=key)
    try:
        expected = checksum(doc)
    except (TypeError, ValueError):
        expected = ""
    if doc["checksum"] != expected:
        raise ResultProblem("edited")
    scen = doc["scenario"]
    if not all(isinstance(scen.get(k), str) for k in ("id", "version", "hash")):
        raise ResultProblem("incomplete", "no-scenario")
    if doc["status"] not in STATUSES or doc["mode"] not in MODES:
        raise ResultProblem("incomplete", "unknown-status")


def load(path: Union[str, Path]) -> Result:
    """Read and check one results file; :class:`ResultProblem` says why it cannot be used."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise ResultProblem("too-big", kb=size // 1000)
        raw = p.read_bytes()
    except FileNotFoundError:
        raise ResultProblem("missing") from None
    except IsADirectoryError:
        raise ResultProblem("folder") from None
    except OSError as err:
        raise ResultProblem("unreadable", reason=err.strerror or str(err)) from None
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ResultProblem("damaged") from None
    check(doc)
    return Result(str(p), doc)
