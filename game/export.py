"""Results files on disk: where they go, writing them safely, and ``tegenmacht export``.

A results file (:mod:`game.results`) is what a student hands in. The window's end screen,
the end of ``play --text`` and ``tegenmacht export`` all write them through
:func:`write_result`, into :func:`results_dir` unless told otherwise:

* ``$TEGENMACHT_HOME/resultaten`` when ``TEGENMACHT_HOME`` is set (or ``<root>/resultaten``
  for a Store with its own root);
* else the user's Documents folder: ``Documents/Tegenmacht`` (``platformdirs.user_documents_dir``),
  where a student finds it again to upload it.

An existing file is never overwritten: a file with the same bytes is left as it is (the same
session exported again), any other gets a new name (``…-2.tegenmacht.json``). A write that
fails leaves nothing half-written (:func:`game.safeio.write_new`) and raises SaveError with
one sentence in each language (``err.texts``). No pygame here.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, Optional, Union

from . import results
from .problems import SaveError
from .safeio import write_new

RESULTS_SUBDIR = "resultaten"
DOCUMENTS_SUBDIR = "Tegenmacht"
MAX_TRIES = 100  # names tried (-2 … -100) before giving up on a folder full of near-copies


def _err(nl: str, en: str) -> SaveError:
    err = SaveError(en)
    err.texts = (nl, en)  # type: ignore[attr-defined]
    return err


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


def _reason(err: OSError) -> tuple[str, str]:
    import errno

    if err.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG):
        return "de schijf is vol", "the disk is full"
    if isinstance(err, PermissionError) or err.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return "de map mag niet beschreven worden", "the folder cannot be written"
    if isinstance(err, (NotADirectoryError, FileExistsError)) or err.errno == errno.ENOTDIR:
        return "er staat een bestand met die naam in plaats van een map", "a file of that name is in the way"
    detail = err.strerror or str(err)
    return f"de map kan niet gebruikt worden ({detail})", f"the folder cannot be used ({detail})"


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
        nl, en = _reason(err)
        raise _err(f"Het resultaat kon niet bewaard worden in {folder} ({nl}); er is niets half weggeschreven.",
                   f"The result could not be saved in {folder} ({en}); nothing was left half-written.") from None
    raise _err(f"Het resultaat kon niet bewaard worden in {folder}: er staan al {MAX_TRIES} bestanden met die naam.",
               f"The result could not be saved in {folder}: {MAX_TRIES} files of that name are there already.")


def write_result(doc: dict[str, Any], folder: Union[str, os.PathLike]) -> tuple[Path, bool]:
    """Write one results document into ``folder`` (see :func:`write_text`)."""
    return write_text(folder, results.file_name(doc), results.dumps(doc), results.SUFFIX)


def write_xapi(doc: dict[str, Any], result_path: Path) -> tuple[Path, bool]:
    """Write the xAPI statements of ``doc`` beside its results file (``<name>.xapi.json``)."""
    from . import xapi

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


# -- tegenmacht export -------------------------------------------------------------------
def _say(lang: str, nl: str, en: str, out=None) -> None:
    print(nl if lang == "nl" else en, file=out or sys.stdout)


def cmd_export(args: argparse.Namespace) -> int:
    from .cli import EXIT_OK, EXIT_PROBLEMS, UsageError
    from .records import Store, error_text

    lang = getattr(args, "lang", "nl")
    nick = args.nickname
    if nick is not None:
        cleaned = results.clean_nickname(nick)
        if len(" ".join(str(nick).split())) > results.NICKNAME_MAX:
            raise UsageError(f"a nickname has at most {results.NICKNAME_MAX} characters")
        nick = cleaned
    store = Store()
    rows = store.sessions() + store.pending_sessions(status=None)
    for line in store.warning_texts(lang):
        print(line, file=sys.stderr)
    usable = [r for r in rows if isinstance(r.get("result"), dict)]
    too_old = [r for r in rows if not isinstance(r.get("result"), dict)]
    if args.all:
        chosen = usable
    else:
        finished = [r for r in usable if r["status"] == "finished"]
        chosen = finished[-1:]
        too_old = [r for r in too_old if r["status"] == "finished"]
    if not chosen:
        if too_old:
            n = len(too_old)
            _say(lang, f"Niets om te exporteren: {'de uitgespeelde sessie' if n == 1 else f'de {n} uitgespeelde sessies'}"
                       f" in {store.db_path} {'is' if n == 1 else 'zijn'} van vóór deze versie van Tegenmacht en "
                       f"{'heeft' if n == 1 else 'hebben'} geen resultaatgegevens; speel een scenario uit en "
                       f"exporteer dan.",
                 f"Nothing to export: the {'finished session' if n == 1 else f'{n} finished sessions'} in "
                 f"{store.db_path} {'is' if n == 1 else 'are'} from before this version of Tegenmacht and "
                 f"{'has' if n == 1 else 'have'} no results data; finish a scenario, then export.", sys.stderr)
        else:
            what_nl = "sessie" if args.all else "uitgespeelde sessie"
            what_en = "session" if args.all else "finished session"
            _say(lang, f"Er is nog geen {what_nl} om te exporteren (in {store.db_path}).",
                 f"There is no {what_en} to export yet (in {store.db_path}).", sys.stderr)
        return EXIT_PROBLEMS
    folder = Path(args.output).expanduser() if args.output else results_dir(store)
    written = 0
    for row in chosen:
        doc = with_nickname(row["result"], nick)
        try:
            path, new = write_result(doc, folder)
            paths = [(path, new)]
            if args.xapi:
                paths.append(write_xapi(doc, path))
        except SaveError as err:
            print(error_text(err, lang), file=sys.stderr)
            return EXIT_PROBLEMS
        for p, new in paths:
            if new:
                print(p)
                written += 1
            else:
                _say(lang, f"Al aanwezig en gelijk, niet opnieuw geschreven: {p}",
                     f"Already there and identical, not written again: {p}", sys.stderr)
    if args.all and too_old:
        n = len(too_old)
        _say(lang, f"{n} {'oudere sessie is' if n == 1 else 'oudere sessies zijn'} overgeslagen: van vóór deze "
                   f"versie van Tegenmacht, zonder resultaatgegevens.",
             f"{n} older session{' was' if n == 1 else 's were'} skipped: from before this version of "
             f"Tegenmacht, without results data.", sys.stderr)
    return EXIT_OK


def add_command(sub: Any) -> None:
    e = sub.add_parser("export", help="write results files (to hand in) of the sessions kept in the data folder")
    e.add_argument("--all", action="store_true", help="every recorded session (finished and abandoned), "
                                                      "not only the last finished one")
    e.add_argument("-o", "--output", metavar="FOLDER", help="the folder to write to (default: Documents/Tegenmacht, "
                                                             "or $TEGENMACHT_HOME/resultaten)")
    e.add_argument("--nickname", metavar="X", help=f"a nickname in the file (at most {results.NICKNAME_MAX} "
                                                    f"characters; no name needed)")
    e.add_argument("--xapi", action="store_true", help="also write the xAPI 1.0.3 statements beside each file")
    e.add_argument("--lang", choices=("nl", "en"), default=argparse.SUPPRESS)
    e.set_defaults(func=cmd_export)
