"""The one exception tree and the exit codes (base layer: imports nothing of the game).

Every error the project raises on purpose is a :class:`TegenmachtError` and carries the
exit code a command ends with when it reaches the command line (as click does). Modules
raise; only the command line (``game.cli``) and the window (``game.ui``) turn errors into text.
"""
from __future__ import annotations

from game.i18n import gettext

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class TegenmachtError(Exception):
    """Base of every error this project raises on purpose: problems in the input (exit 1).

    Raised with ``key=`` (a msgid of the catalogues) and its fields, the error is put into
    words late, in the language of whoever shows it: :meth:`text`. ``str(err)`` is English."""

    exit_code = EXIT_PROBLEMS

    def __init__(self, message: str = "", *, key: str = "", **params: object):
        self.key, self.params = key, params
        super().__init__(message or (gettext(key, "en", **params) if key else ""))

    def text(self, lang: str = "nl") -> str:
        """The error in ``lang`` (its English message when it has no key)."""
        return gettext(self.key, lang, **self.params) if self.key else str(self)


class UsageError(TegenmachtError):
    """Wrong use of the command line: an unknown flag, a missing argument (exit 2)."""

    exit_code = EXIT_USAGE
