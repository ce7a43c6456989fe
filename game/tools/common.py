"""What the command-line tools share: validating a scenario and reporting its problems."""
from __future__ import annotations

import sys
from typing import Any, Optional, Sequence

from game.i18n import gettext, plural
from game.scenario.validate import Report, validate_file


def print_problems(report: Report, lang: str, out=None) -> None:
    out = out or sys.stdout
    for p in report.problems:
        print(p.render(lang), file=out)


def summary_line(reports: Sequence[Report], lang: str) -> str:
    errors = sum(len(r.errors) for r in reports)
    warnings = sum(len(r.warnings) for r in reports)
    return gettext("cli.summary", lang, errors=plural("cli.errors", errors, lang),
                   warnings=plural("cli.warnings", warnings, lang), files=plural("cli.files", len(reports), lang))


def load_or_report(path: str, lang: str) -> Optional[Any]:
    """Validate ``path``; print its problems. Return the scenario, or None if it has errors."""
    report = validate_file(path)
    if report.scenario is None:
        print_problems(report, lang, sys.stderr)
        print(f"Error: {gettext('cli.has-errors', lang)}", file=sys.stderr)
        return None
    for p in report.warnings:
        print(p.render(lang), file=sys.stderr)
    return report.scenario
