"""The packages Tegenmacht needs, checked once at start (base layer: standard library only).

A missing package is an error at start, in one sentence that says how to get it, never a
traceback halfway through a lesson and never a feature that quietly switches itself off.
"""
from __future__ import annotations

import importlib.util
import sys
from typing import Optional, Sequence

from game.i18n import gettext, typed_lang

#: import name -> the name pip knows it by (pyproject.toml lists the same)
REQUIRED = {"yaml": "PyYAML", "transitions": "transitions", "platformdirs": "platformdirs",
            "pygame": "pygame-ce", "pygame_gui": "pygame_gui", "aiohttp": "aiohttp", "segno": "segno",
            "jinja2": "Jinja2", "matplotlib": "matplotlib"}


def missing(names: Optional[Sequence[str]] = None) -> Optional[str]:
    """The first required package (of ``names``, default all) that cannot be imported, or None."""
    for name in (REQUIRED if names is None else names):
        try:
            if importlib.util.find_spec(name) is None:
                return name
        except (ImportError, ValueError):
            return name
    return None


def sentence(name: str, lang: str = "nl") -> str:
    return gettext("deps.missing", lang, package=REQUIRED.get(name, name))


def require(argv: Optional[Sequence[str]] = None) -> None:
    """Stop with one sentence (exit 1) when a required package is missing."""
    name = missing()
    if name is None:
        return
    lang = typed_lang(list(sys.argv[1:] if argv is None else argv))
    print(f"Error: {sentence(name, lang)}", file=sys.stderr)
    raise SystemExit(1)
