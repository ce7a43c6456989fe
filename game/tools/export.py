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
from game.i18n import gettext, plural
from game.records import results
from game.records.export import results_dir, with_nickname, write_result, write_xapi
from game.records.store import Store, error_text
from game.scenario.problems import SaveError


# -- tegenmacht export -------------------------------------------------------------------
def cmd_export(args: argparse.Namespace) -> int:
    lang = getattr(args, "lang", "nl")
    nick = args.nickname
    if nick is not None:
        cleaned = results.clean_nickname(nick)
        if len(" ".join(str(nick).split())) > results.NICKNAME_MAX:
            raise UsageError(key="export.nickname-too-long", max=results.NICKNAME_MAX)
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
            print(plural("export.only-old", len(too_old), lang, db=store.db_path), file=sys.stderr)
        elif args.all:
            print(gettext("export.nothing-yet", lang, db=store.db_path), file=sys.stderr)
        else:
            print(gettext("export.nothing-finished-yet", lang, db=store.db_path), file=sys.stderr)
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
                print(gettext("export.already-there", lang, path=p), file=sys.stderr)
    if args.all and too_old:
        print(plural("export.old-skipped", len(too_old), lang), file=sys.stderr)
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
