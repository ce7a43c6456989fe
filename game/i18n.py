"""UI strings in gettext catalogues (``game/locale/nl.po``, ``game/locale/en.po``).

A tiny stdlib reader for the ``.po`` format: ``msgid`` is the English source
text (or a key), ``msgstr`` its translation. No compiled ``.mo`` files and no
dependency; no pygame here. Unknown ids fall back to the id itself, so a
missing translation shows English rather than nothing.
"""
from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("nl", "en")
DEFAULT_LANG = "nl"


def _unquote(s: str) -> str:
    s = s.strip()
    if not (len(s) >= 2 and s[0] == '"' and s[-1] == '"'):
        raise ValueError(f"expected a quoted string, got {s!r}")
    return ast.literal_eval(s)  # a plain string literal; literal_eval never runs code


def parse_po(text: str) -> dict[str, str]:
    """Parse the text of a .po file into {msgid: msgstr} (the header entry is skipped)."""
    entries: dict[str, str] = {}
    msgid: list[str] | None = None
    msgstr: list[str] | None = None
    current: list[str] | None = None

    def flush() -> None:
        if msgid is not None and msgstr is not None:
            key = "".join(msgid)
            if key:
                entries[key] = "".join(msgstr)

    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("msgid "):
            flush()
            msgid, msgstr = [_unquote(line[6:])], None
            current = msgid
        elif line.startswith("msgstr "):
            msgstr = [_unquote(line[7:])]
            current = msgstr
        elif line.startswith('"') and current is not None:
            current.append(_unquote(line))
    flush()
    return entries


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict[str, str]:
    path = LOCALE_DIR / f"{lang}.po"
    try:
        return parse_po(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, SyntaxError):
        return {}


def gettext(msgid: str, lang: str = DEFAULT_LANG, **kw: object) -> str:
    """The translation of ``msgid`` in ``lang``, formatted with ``kw``."""
    text = catalogue(lang if lang in LANGUAGES else DEFAULT_LANG).get(msgid) or msgid
    return text.format(**kw) if kw else text


def typed_lang(argv: "list[str]") -> str:
    """The language asked for on a command line (``--lang en`` / ``--lang=en``), before it is parsed:
    for a sentence that must be said before the parser runs or when it fails. Dutch otherwise."""
    en = "--lang=en" in argv or any(a == "--lang" and b == "en" for a, b in zip(argv, argv[1:]))
    return "en" if en else DEFAULT_LANG


def plural(key: str, n: int, lang: str = DEFAULT_LANG, **kw: object) -> str:
    """A keyed text that depends on a count: ``<key>.one`` for 1, ``<key>.many`` otherwise (``{n}`` is set)."""
    return gettext(f"{key}.one" if n == 1 else f"{key}.many", lang, n=n, **kw)


class Translator:
    """``_ = Translator("nl")``; ``_("Continue")`` -> ``"Verder"``."""

    def __init__(self, lang: str = DEFAULT_LANG):
        self.lang = lang if lang in LANGUAGES else DEFAULT_LANG

    def __call__(self, msgid: str, **kw: object) -> str:
        return gettext(msgid, self.lang, **kw)
