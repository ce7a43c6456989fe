"""Every UI string the code asks for exists in both catalogues, with a translation."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from game.i18n import LANGUAGES, catalogue, gettext, parse_po

UI = Path(__file__).resolve().parent.parent / "game" / "ui"
CALL = re.compile(r'(?<![A-Za-z0-9])_\(\s*"((?:[^"\\]|\\.)*)"')


def used_msgids() -> set[str]:
    files = [*UI.rglob("*.py"), UI.parent / "classroom" / "votes.py"]  # the phone page speaks the class language too
    ids = {m.group(1) for f in files for m in CALL.finditer(f.read_text(encoding="utf-8"))}
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


KEYED = re.compile(r"^[a-z-]+(\.[\w-]+)+$")  # "graph.unreachable": a key, not English source text


def test_placeholders_match():
    fields = re.compile(r"{(\w+)[^}]*}")
    for lang in LANGUAGES:
        for msgid, msgstr in catalogue(lang).items():
            if KEYED.match(msgid):  # a keyed text: both languages name the same fields
                assert set(fields.findall(catalogue("nl")[msgid])) == set(fields.findall(msgstr)), (lang, msgid)
            else:
                assert set(fields.findall(msgid)) == set(fields.findall(msgstr)), (lang, msgid)


def test_both_catalogues_hold_the_same_texts():
    assert set(catalogue("nl")) == set(catalogue("en"))


Q = r"[\"']"
KEY_CALLS = {  # module -> (the prefix of its keys, a pattern that finds literal keys in calls)
    "tools/graph.py": ("graph", r"(?<![\w.])w\(\s*" + Q + r"([\w-]+)" + Q + r"\s*[,)]"),
    "tools/stats.py": ("stats", r"(?<![\w.])tr\(\s*" + Q + r"([\w-]+)" + Q + r"\s*[,)]"),
    "tools/simulate.py": ("simulate", r"(?<![\w.])t\(\s*" + Q + r"([\w-]+)" + Q + r"\s*[,)]"),
    "ui/charts": ("charts", r"_label\(\s*" + Q + r"([\w-]+)" + Q + r"\s*[,)]"),
    "text/play.py": ("text", r"(?<![\w.])tr\(\s*" + Q + r"([\w-]+)" + Q + r"\s*[,)]"),
    "text/watch.py": ("watch", r"(?<![\w.])tr\(\s*" + Q + r"([\w-]+)" + Q + r"\s*[,)]"),
    "tools/check.py": ("check", r"(?<![\w.])t\(\s*" + Q + r"([\w-]+)" + Q + r"\s*[,)]"),
    "cli.py": ("cli", r"(?<![\w.])(?:gettext|plural)\(\s*" + Q + r"cli\.([\w-]+)" + Q + r"\s*[,)]"),
    "tools/common.py": ("cli", r"(?<![\w.])(?:gettext|plural)\(\s*" + Q + r"cli\.([\w-]+)" + Q + r"\s*[,)]"),
    "play/debrief.py": ("debrief", r"(?<![\w.])g\(\s*" + Q + r"([\w-]+)" + Q + r"\s*[,)]"),
    "classroom/report.py": ("report", r"(?<![\w.])_t\(\s*" + Q + r"([\w-]+)" + Q + r"\s*[,)]"),
    # the records' parts (store.py, the front, has no sentences of its own)
    **{f"records/{m}.py": ("store", r"(?<![\w.])say(?:_n)?\(\s*" + Q + r"store\.([\w-]+)" + Q + r"\s*[,)]")
       for m in ("common", "settings", "saves", "sessions")},
    "records/export.py": ("export", r"(?<![\w.])say\(\s*" + Q + r"export\.([\w-]+)" + Q + r"\s*[,)]"),
    "tools/export.py": ("export", r"(?<![\w.])(?:gettext|plural)\(\s*" + Q + r"export\.([\w-]+)" + Q + r"\s*[,)]"),
}


@pytest.mark.parametrize("module", sorted(KEY_CALLS))
def test_every_keyed_text_a_tool_asks_for_exists_in_both_languages(module):
    prefix, pattern = KEY_CALLS[module]
    path = UI.parent / module
    src = "\n".join(f.read_text(encoding="utf-8") for f in sorted(path.glob("*.py"))) if path.is_dir() else \
        path.read_text(encoding="utf-8")
    keys = set(re.findall(pattern, src))
    assert keys, f"{module}: no keyed texts found (the pattern is out of date)"
    for lang in LANGUAGES:
        cat = catalogue(lang)
        missing = sorted(k for k in keys if f"{prefix}.{k}" not in cat  # a plural: both forms
                         and not (f"{prefix}.{k}.one" in cat and f"{prefix}.{k}.many" in cat))
        assert not missing, f"{lang}.po misses {prefix}.{missing}"
    assert "(nl, en)" not in src and not re.search(r"^\w+: dict\[str, tuple\[str, str\]\]", src, re.M), (
        f"{module} keeps its own table of translations; use the catalogues")


def test_parser_handles_continuation_lines_and_escapes():
    po = 'msgid ""\nmsgstr ""\n"Language: nl\\n"\n\n# comment\nmsgid "Say \\"hi\\""\nmsgstr "Zeg "\n"\\"hoi\\""\n'
    assert parse_po(po) == {'Say "hi"': 'Zeg "hoi"'}


def test_dutch_is_the_default_and_unknown_ids_fall_back():
    assert gettext("Quit") == "Stoppen"
    assert gettext("Quit", "en") == "Quit"
    assert gettext("Never translated {x}", "nl", x=1) == "Never translated 1"


def test_i18n_and_ui_use_no_sysfont():
    for f in UI.rglob("*.py"):
        assert "SysFont" not in f.read_text(encoding="utf-8").replace('"SysFont"', ""), f
    assert "import pygame" not in (UI.parent / "i18n.py").read_text(encoding="utf-8")
