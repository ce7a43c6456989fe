"""``tegenmacht export``: results files (to hand in) of the sessions kept in the data folder.

The last finished session by default, every recorded one with ``--all``; into the results folder
(``game.records.export.results_dir``) or ``-o FOLDER``; ``--xapi`` writes the xAPI statements
beside each file. Exit 0 with one line per file written, 1 with a sentence when there is nothing
to export or a file cannot be written, 2 on wrong use.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from game.errors import EXIT_OK, EXIT_PROBLEMS, UsageError
from game.records import results
from game.records.export import results_dir, with_nickname, write_result, write_xapi
from game.records.store import Store, error_text
from game.scenario.problems import SaveError


# -- tegenmacht export -------------------------------------------------------------------
def _say(lang: str, nl: str, en: str, out=None) -> None:
    print(nl if lang == "nl" else en, file=out or sys.stdout)


def cmd_export(args: argparse.Namespace) -> int:
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
