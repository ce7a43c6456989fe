"""What the command-line tools share: validating a scenario and reporting its problems."""
from __future__ import annotations

import sys
from typing import Any, Optional, Sequence

from game.scenario.validate import Report, validate_file


def print_problems(report: Report, lang: str, out=None) -> None:
    out = out or sys.stdout
    for p in report.problems:
        print(p.render(lang), file=out)


def summary_line(reports: Sequence[Report], lang: str) -> str:
    errors = sum(len(r.errors) for r in reports)
    warnings = sum(len(r.warnings) for r in reports)
    files = len(reports)
    if lang == "nl":
        return (f"{errors} {'fout' if errors == 1 else 'fouten'}, {warnings} "
                f"{'waarschuwing' if warnings == 1 else 'waarschuwingen'} in {files} "
                f"{'bestand' if files == 1 else 'bestanden'}.")
    return (f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''} "
            f"in {files} file{'s' if files != 1 else ''}.")


def load_or_report(path: str, lang: str) -> Optional[Any]:
    """Validate ``path``; print its problems. Return the scenario, or None if it has errors."""
    report = validate_file(path)
    if report.scenario is None:
        print_problems(report, lang, sys.stderr)
        msg = ("Het scenario heeft fouten; los ze eerst op." if lang == "nl"
               else "The scenario has errors; fix them first.")
        print(f"Error: {msg}", file=sys.stderr)
        return None
    for p in report.warnings:
        print(p.render(lang), file=sys.stderr)
    return report.scenario
