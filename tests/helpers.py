"""Small helpers several test files share."""
from __future__ import annotations


def finish(session, pick=1):
    """Play ``session`` to its end, always taking choice number ``pick``."""
    while not session.finished:
        session.choose(pick)
    return session


def one_sentence(text: str) -> bool:
    """One sentence: ends with a full stop, one line, no second sentence inside."""
    body = text.rstrip(".")
    return text.endswith(".") and "\n" not in text and ". " not in body
