"""The one exception tree and the exit codes (base layer: imports nothing of the game).

Every error the project raises on purpose is a :class:`TegenmachtError` and carries the
exit code a command ends with when it reaches the command line (as click does). Modules
raise; only the command line (``game.cli``) and the window (``game.ui``) turn errors into text.
"""
from __future__ import annotations

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class TegenmachtError(Exception):
    """Base of every error this project raises on purpose: problems in the input (exit 1)."""

    exit_code = EXIT_PROBLEMS


class UsageError(TegenmachtError):
    """Wrong use of the command line: an unknown flag, a missing argument (exit 2)."""

    exit_code = EXIT_USAGE
