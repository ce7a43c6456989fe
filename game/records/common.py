"""What the records' three parts share: the folder and its warnings, atomic writes, reading
JSON that may be damaged, setting a damaged file aside, and the reasons a disk refuses.

No pygame here.
"""
from __future__ import annotations

import errno
import json
import math
import os
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any, Optional, Union

from game.safeio import KIND_WORDS, FileTooBig, NotRegularFile, read_regular
from game.scenario.problems import SaveError

FORMAT = 1
MAX_JSON_BYTES = 16 * 1024 * 1024  # a save or settings file bigger than this is not ours
MAX_NUMBER_CHARS = 40  # a number written with more characters than this in a save is damage
LANGS = ("nl", "en")

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



class _Damaged(SaveError):
    """A file that cannot be used: ``reason`` is an (nl, en) pair."""

    def __init__(self, nl: str, en: str):
        super().__init__(en)
        self.reason = (nl, en)


class BadNumber:
    """Stands in for a number a file should not hold (``NaN``, ``Infinity``, ``1e400``, 5,000 digits)."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return _shorten(self.text)


def _shorten(text: str, keep: int = 12) -> str:
    return text if len(text) <= keep else f"{text[:keep]}… ({len(text)} tekens/characters)"


def _bad_number(text: str, strict: bool) -> Any:
    if strict:
        raise _Damaged(f"het getal {_shorten(text)} is oneindig, geen getal of te lang",
                       f"the number {_shorten(text)} is infinite, not a number or too long")
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
        raise _Damaged("het is geen geldige JSON", "it is not valid JSON") from None


def _read_json(path: Path, strict: bool = True) -> Any:
    """The JSON in ``path`` (a regular file of at most MAX_JSON_BYTES); _Damaged if it is not
    usable, OSError if it cannot be read now."""
    try:
        raw = read_regular(path, MAX_JSON_BYTES)
    except NotRegularFile as err:
        nl, en = KIND_WORDS.get(err.kind, KIND_WORDS["special file"])
        raise _Damaged(f"het is {nl}, geen bestand", f"it is {en}, not a file") from None
    except FileTooBig:
        raise _Damaged(f"het is groter dan {MAX_JSON_BYTES // (1024 * 1024)} MB",
                       f"it is bigger than {MAX_JSON_BYTES // (1024 * 1024)} MB") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _Damaged("het is geen tekstbestand", "it is not a text file") from None
    return _parse_json(text, strict)



def _os_reason(err: OSError) -> tuple[str, str]:
    if err.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG):
        return ("de schijf is vol", "the disk is full")
    if isinstance(err, PermissionError) or err.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return ("de map mag niet beschreven worden", "the folder cannot be written")
    detail = err.strerror or str(err)
    return (f"de map kan niet gebruikt worden ({detail})", f"the folder cannot be used ({detail})")



class Shared:
    """The folder and the warnings list the three parts write to (one per Store)."""

    def __init__(self, root: Path):
        self.root = root
        self.warnings: list[Warning_] = []

    def warn(self, nl: str, en: str, once: bool = True) -> None:
        """Add a sentence for the player; ``once``: not if the same one is there already."""
        if not once or (nl, en) not in self.warnings:
            self.warnings.append((nl, en))

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

    def _warn(self, nl: str, en: str, once: bool = True) -> None:
        self.shared.warn(nl, en, once)

    def _set_aside(self, path: Path, name: Optional[str] = None) -> Optional[Path]:
        return self.shared.set_aside(path, name)

