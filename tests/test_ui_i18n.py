"""Every UI string the code asks for exists in both catalogues, with a translation."""
from __future__ import annotations

import re
from pathlib import Path

from game.i18n import LANGUAGES, catalogue, gettext, parse_po

UI = Path(__file__).resolve().parent.parent / "game" / "ui"
CALL = re.compile(r'(?<![A-Za-z0-9])_\(\s*"((?:[^"\\]|\\.)*)"')


def used_msgids() -> set[str]:
    ids = {m.group(1) for f in UI.glob("*.py") for m in CALL.finditer(f.read_text(encoding="utf-8"))}
    from game.scenario.model import AGENCIES, STRATEGIES

    src = (UI / "screens.py").read_text(encoding="utf-8")
    tabs = re.search(r"TABS = \(([^)]*)\)", src).group(1)
    ids |= set(re.findall(r'"([^"]+)"', tabs)) | set(STRATEGIES) | set(AGENCIES)
    return ids


def test_every_msgid_is_in_both_catalogues():
    ids = used_msgids()
    assert len(ids) > 80
    for lang in LANGUAGES:
        cat = catalogue(lang)
        missing = sorted(i for i in ids if not cat.get(i))
        assert not missing, f"{lang}.po misses {missing}"


def test_placeholders_match():
    for lang in LANGUAGES:
        for msgid, msgstr in catalogue(lang).items():
            assert set(re.findall(r"{(\w+)}", msgid)) == set(re.findall(r"{(\w+)}", msgstr)), (lang, msgid)


def test_parser_handles_continuation_lines_and_escapes():
    po = 'msgid ""\nmsgstr ""\n"Language: nl\\n"\n\n# comment\nmsgid "Say \\"hi\\""\nmsgstr "Zeg "\n"\\"hoi\\""\n'
    assert parse_po(po) == {'Say "hi"': 'Zeg "hoi"'}


def test_dutch_is_the_default_and_unknown_ids_fall_back():
    assert gettext("Quit") == "Stoppen"
    assert gettext("Quit", "en") == "Quit"
    assert gettext("Never translated {x}", "nl", x=1) == "Never translated 1"


def test_i18n_and_ui_use_no_sysfont():
    for f in UI.glob("*.py"):
        assert "SysFont" not in f.read_text(encoding="utf-8").replace('"SysFont"', ""), f
    assert "import pygame" not in (UI.parent / "i18n.py").read_text(encoding="utf-8")
