"""Results files on disk: where they go and writing them safely (``tegenmacht export`` is in
``game/tools/export.py``).

A results file (:mod:`game.records.results`) is what a student hands in. The window's end screen,
the end of ``play --text`` and ``tegenmacht export`` all write them through
:func:`write_result`, into :func:`results_dir` unless told otherwise:

* ``$TEGENMACHT_HOME/resultaten`` when ``TEGENMACHT_HOME`` is set (or ``<root>/resultaten``
  for a Store with its own root);
* else the user's Documents folder: ``Documents/Tegenmacht`` (``platformdirs.user_documents_dir``),
  where a student finds it again to upload it.

An existing file is never overwritten: a file with the same bytes is left as it is (the same
session exported again), any other gets a new name (``…-2.tegenmacht.json``). A write that
fails leaves nothing half-written (:func:`game.safeio.write_new`) and raises SaveError with
one sentence, a keyed text of the catalogues (``"export.<key>"``) rendered by
:func:`game.records.store.error_text`. No pygame here.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Optional, Union

from game.records import results
from game.records.common import Say, _err, _os_reason, say
from game.safeio import write_new

RESULTS_SUBDIR = "resultaten"
DOCUMENTS_SUBDIR = "Tegenmacht"
MAX_TRIES = 100  # names tried (-2 … -100) before giving up on a folder full of near-copies


def results_dir(store: Any = None) -> Path:
    """The folder results files go to by default (see the module's docstring)."""
    env = os.environ.get("TEGENMACHT_HOME")
    root = getattr(store, "root", None)
    if store is not None and not getattr(store, "default_root", False) and root is not None:
        return Path(root) / RESULTS_SUBDIR
    if env:
        return Path(env).expanduser() / RESULTS_SUBDIR
    try:
        import platformdirs

        return Path(platformdirs.user_documents_dir()) / DOCUMENTS_SUBDIR
    except Exception:  # noqa: BLE001 - no documents folder known: the home folder
        return Path.home() / DOCUMENTS_SUBDIR


def _reason(err: OSError) -> Say:
    import errno

    if err.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG) or \
            isinstance(err, PermissionError) or err.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return _os_reason(err)  # the disk is full / the folder cannot be written
    if isinstance(err, (NotADirectoryError, FileExistsError)) or err.errno == errno.ENOTDIR:
        return say("export.folder-in-the-way")
    return _os_reason(err)


def _numbered(name: str, n: int, suffix: str) -> str:
    stem = name[: -len(suffix)] if name.endswith(suffix) else name
    return f"{stem}-{n}{suffix}"


def write_text(folder: Union[str, os.PathLike], name: str, text: str, suffix: str) -> tuple[Path, bool]:
    """Write ``text`` as ``folder/name`` without overwriting anything. Returns (path, written):
    ``written`` is False when a file with exactly these bytes was there already."""
    folder = Path(folder)
    data = text.encode("utf-8")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not folder.is_dir():
            raise NotADirectoryError(20, "Not a directory", str(folder))
        for n in range(1, MAX_TRIES + 1):
            path = folder / (name if n == 1 else _numbered(name, n, suffix))
            if os.path.lexists(path):
                try:
                    if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
                        return path, False
                except OSError:
                    pass
                continue
            try:
                write_new(path, data)
            except FileExistsError:
                continue  # someone wrote that name a moment ago: the next one
            return path, True
    except OSError as err:
        raise _err(say("export.not-written", folder=str(folder), reason=_reason(err))) from None
    raise _err(say("export.too-many-copies", folder=str(folder), tries=MAX_TRIES))


def write_result(doc: dict[str, Any], folder: Union[str, os.PathLike]) -> tuple[Path, bool]:
    """Write one results document into ``folder`` (see :func:`write_text`)."""
    return write_text(folder, results.file_name(doc), results.dumps(doc), results.SUFFIX)


def write_xapi(doc: dict[str, Any], result_path: Path) -> tuple[Path, bool]:
    """Write the xAPI statements of ``doc`` beside its results file (``<name>.xapi.json``)."""
    from game.records import xapi

    name = result_path.name
    stem = name[: -len(results.SUFFIX)] if name.endswith(results.SUFFIX) else result_path.stem
    text = json.dumps(xapi.statements(doc), ensure_ascii=False, indent=1) + "\n"
    return write_text(result_path.parent, stem + xapi.SUFFIX, text, xapi.SUFFIX)


def session_mode(session: Any) -> str:
    """ "class" when a class vote decided a choice (projector play), else "solo"."""
    return "class" if any(getattr(h, "votes", None) for h in getattr(session, "history", ())) else "solo"


def with_nickname(doc: dict[str, Any], nickname: Optional[str]) -> dict[str, Any]:
    """``doc`` with another nickname (sealed again); ``doc`` itself when ``nickname`` is None."""
    if nickname is None:
        return doc
    return results.seal(dict(doc, nickname=results.clean_nickname(nickname)))
