"""What the records' three parts share: the folder and its warnings, atomic writes, reading
JSON that may be damaged, setting a damaged file aside, and the reasons a disk refuses.

Every sentence for the player is a :class:`Say`: a keyed msgid of the catalogues
(``game/locale/*.po``, ``"store.<key>"``) with its fields, rendered late, in the language of
the screen that shows it (:meth:`Say.render`, :func:`error_text`).

No pygame here.
"""
from __future__ import annotations

import errno
import json
import math
import os
from datetime import datetime
from pathlib import Path
from typing import Any, Optional, Union

from game.i18n import gettext, plural
from game.safeio import atomic_write, FileTooBig, KIND_KEYS, NotRegularFile, read_regular
from game.scenario.problems import SaveError

FORMAT = 1
MAX_JSON_BYTES = 16 * 1024 * 1024  # a save or settings file bigger than this is not ours
MAX_NUMBER_CHARS = 40  # a number written with more characters than this in a save is damage
LANGS = ("nl", "en")

# The kinds of non-files safeio reports, and the key of their words in the catalogues.



class Say:
    """One sentence (or part of one) for the player: a keyed msgid and its fields, rendered late.

    A field may be a Say itself (a reason inside a sentence): it is rendered in the same
    language. ``n`` set: a plural text (``<key>.one`` / ``<key>.many``, see :func:`game.i18n.plural`)."""

    __slots__ = ("key", "params", "n")

    def __init__(self, key: str, n: Optional[int] = None, **params: Any):
        self.key = key
        self.n = n
        self.params = params

    def render(self, lang: str = "nl") -> str:
        kw = {k: _field(v, lang) for k, v in self.params.items()}
        if self.n is not None:
            return plural(self.key, self.n, lang, **kw)
        return gettext(self.key, lang, **kw)

    def _ident(self) -> tuple:
        return (self.key, self.n, tuple(sorted((k, _ident(v)) for k, v in self.params.items())))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Say) and self._ident() == other._ident()

    def __hash__(self) -> int:
        return hash(self._ident())

    def __repr__(self) -> str:
        return f"Say({self.key!r}, {self.params!r})"


def _field(value: Any, lang: str) -> Any:
    """A field's text in ``lang``: a Say rendered, a list of them joined with commas."""
    if isinstance(value, Say):
        return value.render(lang)
    if isinstance(value, list):
        return ", ".join(str(_field(v, lang)) for v in value)
    return value


def _ident(value: Any) -> Any:
    if isinstance(value, Say):
        return value._ident()
    if isinstance(value, list):
        return tuple(_ident(v) for v in value)
    return value


def say(key: str, **params: Any) -> Say:
    """The sentence ``key`` (a msgid in the catalogues) with its fields."""
    return Say(key, **params)


def say_n(key: str, n: int, **params: Any) -> Say:
    """The plural sentence ``key`` for a count ``n`` (``{n}`` is set)."""
    return Say(key, n=n, **params)


def as_is(text: str) -> Say:
    """A text that is the same in every language (a message from Python or SQLite)."""
    return say("store.as-is", text=text)


class RecordsError(SaveError):
    """A SaveError of the records, put into words late like every TegenmachtError (``key``,
    ``params``, :meth:`text`); a field may be a Say itself (a reason), rendered in the same language."""

    def __init__(self, text: Say):
        super().__init__(text.render("en"))  # str(err) is English
        self.say = text
        self.key, self.params = text.key, text.params

    def text(self, lang: str = "nl") -> str:
        return self.say.render(lang)


def _err(text: Say) -> SaveError:
    """The SaveError that says ``text`` (see :class:`RecordsError`)."""
    return RecordsError(text)


def error_text(err: BaseException, lang: str = "nl") -> str:
    """The one-sentence message of an error in ``lang`` (a TegenmachtError put into words late,
    else its own message)."""
    text = getattr(err, "text", None)
    if callable(text):
        return text(lang)
    return str(err)



def _now() -> datetime:
    return datetime.now().astimezone()


def _stamp() -> str:
    return _now().strftime("%Y%m%d-%H%M%S")



class _Damaged(RecordsError):
    """A file that cannot be used: ``reason`` says why (a :class:`Say`)."""

    def __init__(self, reason: Say):
        super().__init__(reason)
        self.reason = reason


class BadNumber:
    """Stands in for a number a file should not hold (``NaN``, ``Infinity``, ``1e400``, 5,000 digits)."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return _field(_shorten(self.text), "en")


def _shorten(text: str, keep: int = 12) -> Union[str, Say]:
    """``text`` as a field of a sentence: itself, or (longer than ``keep``) its start and its length."""
    return text if len(text) <= keep else say("store.shortened", start=text[:keep], length=len(text))


def _bad_number(text: str, strict: bool) -> Any:
    if strict:
        raise _Damaged(say("store.bad-number", number=_shorten(text)))
    return BadNumber(text)


def _parse_json(text: str, strict: bool = True) -> Any:
    """``json.loads`` that refuses NaN, ±Infinity, numbers that overflow to infinity and
    numbers longer than MAX_NUMBER_CHARS: ``strict`` raises _Damaged, else they become BadNumber."""

    def parse_int(t: str) -> Any:
        return _bad_number(t, strict) if len(t) > MAX_NUMBER_CHARS else int(t)

    def parse_float(t: str) -> Any:
        if len(t) > MAX_NUMBER_CHARS:
            return _bad_number(t, strict)
        value = float(t)
        return value if math.isfinite(value) else _bad_number(t, strict)

    try:
        return json.loads(text, parse_int=parse_int, parse_float=parse_float,
                          parse_constant=lambda t: _bad_number(t, strict))
    except (ValueError, RecursionError):  # JSONDecodeError is a ValueError
        raise _Damaged(say("store.not-json")) from None


def _read_json(path: Path, strict: bool = True) -> Any:
    """The JSON in ``path`` (a regular file of at most MAX_JSON_BYTES); _Damaged if it is not
    usable, OSError if it cannot be read now."""
    try:
        raw = read_regular(path, MAX_JSON_BYTES)
    except NotRegularFile as err:
        kind = say(KIND_KEYS.get(err.kind, KIND_KEYS["special file"]))
        raise _Damaged(say("store.not-a-file", kind=kind)) from None
    except FileTooBig:
        raise _Damaged(say("store.too-big", mb=MAX_JSON_BYTES // (1024 * 1024))) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _Damaged(say("store.not-text")) from None
    return _parse_json(text, strict)



def _os_reason(err: OSError) -> Say:
    """Why the disk refused (a reason to put inside a sentence)."""
    if err.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG):
        return say("store.disk-full")
    if isinstance(err, PermissionError) or err.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return say("store.folder-read-only")
    return say("store.folder-unusable", detail=err.strerror or str(err))


class Shared:
    """The folder and the warnings list the three parts write to (one per Store)."""

    def __init__(self, root: Path):
        self.root = root
        self.warnings: list[Say] = []

    def warn(self, text: Say, once: bool = True) -> None:
        """Add a sentence for the player; ``once``: not if the same one is there already."""
        if not once or text not in self.warnings:
            self.warnings.append(text)

    def set_aside(self, path: Path, name: Optional[str] = None) -> Optional[Path]:
        """Rename a damaged file to ``<name>.damaged-<stamp>``; None if even that fails."""
        base = f"{name or path.name}.damaged-{_stamp()}"
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


class Part:
    """One of the Store's three parts, sharing its folder and warnings."""

    def __init__(self, shared: Shared):
        self.shared = shared

    @property
    def root(self) -> Path:
        return self.shared.root

    def _warn(self, text: Say, once: bool = True) -> None:
        self.shared.warn(text, once)

    def _set_aside(self, path: Path, name: Optional[str] = None) -> Optional[Path]:
        return self.shared.set_aside(path, name)

