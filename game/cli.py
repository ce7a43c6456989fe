"""The command line: ``tegenmacht …`` / ``python -m game …``.

Exit codes: 0 = fine, 1 = problems in the input (a scenario with errors, a
damaged save), 2 = wrong use of the command (an unknown flag, a missing
argument). Users see one clear sentence, never a traceback.
"""
from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from pathlib import Path
from typing import Any, Optional, Sequence

from game.deps import require

require()  # a package Tegenmacht needs is missing: one sentence, exit 1, before anything else loads

from game.classroom import report  # noqa: E402 - after the check above
from game.errors import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, TegenmachtError, UsageError  # noqa: E402
from game.i18n import gettext, plural, typed_lang  # noqa: E402
from game.scenario import files  # noqa: E402
from game.scenario.validate import validate_file  # noqa: E402
from game.tools import check, export, graph, simulate, stats  # noqa: E402
from game.tools.common import load_or_report, print_problems, summary_line  # noqa: E402


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> "NoReturn":  # type: ignore[name-defined]  # noqa: F821
        raise UsageError(key="cli.usage", problem=message, prog=self.prog)


# -- commands -------------------------------------------------------------------

def cmd_validate(args: argparse.Namespace) -> int:
    reports = [validate_file(p) for p in args.paths]
    if args.json:
        data = {"files": [{"path": r.path, "ok": r.ok,
                           "problems": [p.to_json(args.lang) for p in r.problems],
                           "stats": r.stats} for r in reports]}
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        for r in reports:
            print_problems(r, args.lang)
        print(summary_line(reports, args.lang), file=sys.stderr)
    return EXIT_PROBLEMS if any(r.errors for r in reports) else EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from game.scenario.schema import json_schema

    print(json.dumps(json_schema(), ensure_ascii=False, indent=2))
    return EXIT_OK


def cmd_play(args: argparse.Namespace) -> int:
    if not args.text:
        app = importlib.import_module("game.ui.app")  # the window (pygame loads only for it)
        if app is not None:
            # the window remembers the player's language: pass --lang only when it was typed
            typed = getattr(args, "argv", None)
            lang = args.lang if typed is None or any(a == "--lang" or a.startswith("--lang=") for a in typed) else None
            return app.run(path=args.path, lang=lang, watch=getattr(args, "watch", False),
                           seed=args.seed, coach=False if args.no_coach else None)
    path = args.path
    if path is None:
        path = _pick_text(args.lang)
        if path is None:
            return EXIT_OK
    from game.records.store import Store

    store = Store()  # autosave after each choice, resume, and the finished session recorded
    if getattr(args, "watch", False):
        from game.text.watch import play_text_watching

        return play_text_watching(path, args.lang, args.seed, coach=not args.no_coach, store=store)
    scenario = load_or_report(path, args.lang)
    if scenario is None:
        return EXIT_PROBLEMS
    from game.play.engine import Story
    from game.text.play import TextGame

    return TextGame(Story(scenario), lang=args.lang, seed=args.seed, coach=not args.no_coach, store=store,
                    scenario_path=str(path)).play()


def _class_lang(args: argparse.Namespace) -> str:
    """The class's language: --lang when it was typed, else the window's saved language."""
    typed = getattr(args, "argv", None)
    if typed is None or any(a == "--lang" or a.startswith("--lang=") for a in typed):
        return args.lang
    try:
        from game.records.store import Store

        lang = Store().load_settings().lang
    except Exception:  # noqa: BLE001 - damaged or missing settings: the default
        return args.lang
    return lang if lang in ("nl", "en") else args.lang


def cmd_class(args: argparse.Namespace) -> int:
    """Projector mode: one game for the whole class, which votes at every choice."""
    if args.port is not None and not 1 <= args.port <= 65535:
        raise UsageError(key="cli.bad-port", port=args.port)
    lang = _class_lang(args)
    if load_or_report(args.path, lang) is None:
        return EXIT_PROBLEMS
    app = importlib.import_module("game.ui.app")
    server = None
    if not args.no_phones:
        from game.classroom.votes import VoteServer, VoteServerError

        try:
            server = VoteServer(lang=lang, port=args.port).start()
        except VoteServerError as err:
            print(f"Error: {err}", file=sys.stderr)
            return EXIT_PROBLEMS
        if server.url is None:
            server.stop()
            server = None
            print(gettext("cli.no-network", lang), file=sys.stderr)
        else:
            print(gettext("cli.phones", lang, url=server.url, code=server.code), flush=True)
    return app.run_class(args.path, server=server, lang=lang, seed=args.seed)


RECORD_FIELDS = ("scenario_id", "scenario_version", "seed", "ending", "tegenmacht", "eigenaarschap", "archetype",
                 "turns", "replay", "lang", "finished_at", "choices", "pending")


def cmd_records(args: argparse.Namespace) -> int:
    """The finished sessions kept in the data folder (and those still waiting in the queue)."""
    from game.records.store import Store

    store = Store()
    rows = store.finished_sessions(args.scenario) + [
        r for r in store.pending_sessions() if args.scenario is None or r["scenario_id"] == args.scenario]
    for line in store.warning_texts(args.lang):
        print(line, file=sys.stderr)
    if args.json:
        print(json.dumps({"folder": str(store.root),
                          "sessions": [{k: r.get(k) for k in ("id",) + RECORD_FIELDS} for r in rows]},
                         ensure_ascii=False, indent=2))
        return EXIT_OK
    lang = args.lang
    if not rows:
        print(gettext("cli.no-sessions", lang, path=store.db_path))
        return EXIT_OK
    head = tuple(gettext(f"cli.col-{c}", lang) for c in ("scenario", "version", "seed", "ending", "tegenmacht",
                                                          "eigenaarschap", "when"))
    replay = " " + gettext("cli.replay", lang)
    table = [head] + [(r["scenario_id"], r["scenario_version"], str(r["seed"]),
                       r["ending"] + (replay if r["replay"] else "") + (" *" if r["pending"] else ""),
                       f"{r['tegenmacht']:.0f}", f"{r['eigenaarschap']:.0f}", r["finished_at"]) for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(head))]
    for row in table:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
    waiting = sum(1 for r in rows if r["pending"])
    done = len(rows) - waiting
    summary = plural("cli.sessions", done, lang, path=store.db_path)
    if waiting:
        summary += plural("cli.waiting", waiting, lang, path=store.pending_dir)
    print(summary + ".")
    return EXIT_OK


def _pick_text(lang: str) -> Optional[str]:
    from game.scenario.validate import validate_file as vf

    found = files.shipped_scenarios()
    if not found:
        raise UsageError(key="cli.no-scenarios")
    print(gettext("cli.scenarios", lang))
    for i, f in enumerate(found, 1):
        r = vf(f)
        title = r.scenario.title.get(lang) if r.scenario else f.name
        print(f"  {i}. {title}")
    while True:
        try:
            answer = input(gettext("cli.choose", lang, last=len(found))).strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return None
        if len(answer) <= 6 and answer.isascii() and answer.isdecimal() and 1 <= int(answer) <= len(found):
            return str(found[int(answer) - 1])


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="tegenmacht", description="Tegenmacht — tussen polderen en protesteren. "
                "Without a command the game window starts.")
    p.add_argument("--lang", choices=("nl", "en"), default="nl", help="language of messages and play (default nl)")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)

    v = sub.add_parser("validate", help="check scenario files: path:line:col: error|warning: message")
    v.add_argument("paths", nargs="+", metavar="PATH")
    v.add_argument("--json", action="store_true", help="print the findings as JSON")
    v.add_argument("--lang", choices=("nl", "en"), default=argparse.SUPPRESS)
    v.set_defaults(func=cmd_validate)

    pl = sub.add_parser("play", help="play a scenario (window, or --text in the terminal)")
    pl.add_argument("path", nargs="?", metavar="PATH")
    pl.add_argument("--text", action="store_true", help="play in the terminal (also for screen readers)")
    pl.add_argument("--seed", type=int, help="seed of the random events (same seed + choices = same game)")
    pl.add_argument("--no-coach", action="store_true", help="hide the coach's feedback (class use)")
    pl.add_argument("--watch", action="store_true", help="reload the scenario when its file is saved")
    pl.add_argument("--lang", choices=("nl", "en"), default=argparse.SUPPRESS)
    pl.set_defaults(func=cmd_play)

    c = sub.add_parser("class", help="play one game on the projector; the class votes at every choice")
    c.add_argument("path", metavar="SCENARIO")
    c.add_argument("--port", type=int, help="port for the phones' votes (default 8765, else a free one)")
    c.add_argument("--no-phones", action="store_true", help="no voting by phone: the trainer types the counts")
    c.add_argument("--seed", type=int, help="seed of the random events")
    c.add_argument("--lang", choices=("nl", "en"), default=argparse.SUPPRESS)
    c.set_defaults(func=cmd_class)

    s = sub.add_parser("schema", help="print the JSON Schema of the scenario format")
    s.set_defaults(func=cmd_schema)

    r = sub.add_parser("records", help="list the finished sessions kept in the data folder")
    r.add_argument("--scenario", metavar="ID", help="only the sessions of this scenario id")
    r.add_argument("--json", action="store_true", help='print {"sessions": [...]} as JSON')
    r.add_argument("--lang", choices=("nl", "en"), default=argparse.SUPPRESS)
    r.set_defaults(func=cmd_records)
    for tool in TOOLS:
        tool.add_command(sub)
    return p


#: the trainer's tools, the results export and the class report; each module adds its sub-command
#: (its flags live beside its code)
TOOLS = (simulate, check, graph, stats, export, report)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = build_parser()
    typed = list(sys.argv[1:] if argv is None else argv)
    lang = typed_lang(typed)
    try:
        args = parser.parse_args(argv)
        lang = args.lang
        if args.command is None:
            args = parser.parse_args(["--lang", args.lang, "play"])
        args.argv = typed
        return int(args.func(args))
    except TegenmachtError as err:
        print(f"Error: {err.text(lang)}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as err:  # noqa: BLE001 - a bug of ours: one sentence, never a traceback posing as a finding
        if os.environ.get("TEGENMACHT_DEBUG"):
            raise
        print(f"Error: internal error in Tegenmacht ({type(err).__name__}: {err}); this is a fault in the "
              "program, not in your input. Run again with TEGENMACHT_DEBUG=1 to see the details, and report it.",
              file=sys.stderr)
        return EXIT_PROBLEMS


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
