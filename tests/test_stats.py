"""Scenario figures: size, words, reading time, path lengths, tag counts."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from game.tools import stats
from game.cli import main
from game.scenario.validate import load_scenario, validate_file

MINI = '''\
id: mini
title: {nl: "Klein spel", en: "Small game"}
scenes:
  a:
    text: {nl: "een twee drie", en: "one two three"}
    choices:
      - id: lang
        text: {nl: "naar b", en: "to b"}
        strategy: polderen
        agency: organiseren
        next: b
      - id: kort
        text: {nl: "naar c", en: "to c"}
        strategy: confrontatie
        agency: overnemen
        if: "energie > 5"
        next: c
  b:
    text: {nl: "bee", en: "bee"}
    choices:
      - id: door
        text: {nl: "door", en: "on"}
        strategy: coalitie
        next: c
  c:
    text: {nl: "cee", en: "cee"}
    choices:
      - id: klaar
        text: {nl: "klaar", en: "done"}
        next: end
      - id: direct
        text: {nl: "direct", en: "direct"}
        next: snel
endings:
  moe:
    title: {nl: "Moe", en: "Tired"}
    text: {nl: "moe", en: "tired"}
    if: "energie <= 0"
    interrupt: true
  goed:
    title: {nl: "Goed", en: "Good"}
    text: {nl: "goed", en: "good"}
    if: "tegenmacht >= 50"
  snel:
    title: {nl: "Snel", en: "Quick"}
    text: {nl: "snel", en: "quick"}
  rest:
    title: {nl: "Rest", en: "Rest"}
    text: {nl: "rest", en: "rest"}
'''

LOOP = MINI.replace('''      - id: direct
        text: {nl: "direct", en: "direct"}
        next: snel
''', '''      - id: direct
        text: {nl: "direct", en: "direct"}
        next: snel
      - id: terug
        text: {nl: "terug", en: "back"}
        next: a
''')


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    p = tmp_path / "mini.yaml"
    p.write_text(MINI, encoding="utf-8")
    return p


def test_counts_and_words(mini):
    st = stats.compute(load_scenario(mini))
    assert (st.scenes, st.choices, st.endings, st.events, st.actors) == (3, 5, 4, 0, 0)
    assert st.conditional == 1
    assert st.words == {"nl": 22, "en": 22}
    assert st.minutes["nl"] == pytest.approx(22 / 200)


def test_words_match_the_validator_on_the_example(example_path):
    report = validate_file(example_path)
    st = stats.compute(report.scenario)
    assert st.words == {"nl": report.stats["words_nl"], "en": report.stats["words_en"]}


def test_paths_per_ending(mini):
    st = stats.compute(load_scenario(mini))
    p = {k: (v.shortest, v.longest) for k, v in st.paths.items()}
    assert p["goed"] == (2, 3)   # a-kort->c-klaar ; a-lang->b-door->c-klaar
    assert p["snel"] == (2, 3)   # directly, or as the fallback of `end`
    assert p["rest"] == (None, None)  # shadowed by 'snel', which has no condition
    assert p["moe"] == (1, 3)    # an interrupt can follow any choice
    assert (st.overall.shortest, st.overall.longest) == (2, 3)
    assert st.cycle is False and st.complete is True
    assert st.unreachable == ["rest"]
    assert st.interrupts == ["moe"]


def test_cycle_is_reported(tmp_path):
    p = tmp_path / "loop.yaml"
    p.write_text(LOOP, encoding="utf-8")
    st = stats.compute(load_scenario(p))
    assert st.cycle is True
    assert (st.paths["goed"].shortest, st.paths["goed"].longest) == (2, 3)  # simple paths only
    text = stats.render(st, load_scenario(p), "nl")
    assert "lus" in text
    assert "cycle" in stats.render(st, load_scenario(p), "en")


def test_strategy_and_agency_counts(mini):
    st = stats.compute(load_scenario(mini))
    assert st.strategies == {"polderen": 1, "coalitie": 1, "confrontatie": 1, "neutraal": 2}
    assert st.agencies == {"organiseren": 1, "mobiliseren": 0, "overnemen": 1, "neutraal": 3}


def test_cli_text(mini, capsys):
    assert main(["stats", str(mini)]) == 0
    out = capsys.readouterr().out
    assert "keuzes: 5 (1 met voorwaarde)" in out
    assert "Woorden: nl 22, en 22" in out
    assert "200 per minuut" in out and "0,1 min" in out
    assert re.search(r"goed\s+kortst 2, langst 3", out)
    assert "rest  niet bereikbaar" in out
    assert "geen lus" in out
    assert "Onbereikbaar: rest" in out


def test_cli_json(mini, capsys):
    assert main(["--lang", "en", "stats", str(mini), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["id"] == "mini" and data["choices"] == 5
    assert data["paths"]["goed"] == {"shortest": 2, "longest": 3}
    assert data["overall"] == {"shortest": 2, "longest": 3}
    assert data["words"] == {"nl": 22, "en": 22} and data["words_per_minute"] == 200
    assert data["cycle"] is False
    assert data["strategies"]["neutraal"] == 2 and data["agencies"]["overnemen"] == 1


def test_cli_english(mini, capsys):
    assert main(["stats", str(mini), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Reading time" in out and "shortest 2, longest 3" in out


def test_cli_broken_file(tmp_path, capsys):
    bad = tmp_path / "kapot.yaml"
    bad.write_text(MINI.replace("next: c\n  b:", "next: cc\n  b:"), encoding="utf-8")
    assert main(["stats", str(bad)]) == 1
    err = capsys.readouterr().err
    assert re.search(r"kapot\.yaml:\d+:\d+: error:", err) and "Traceback" not in err


def test_cli_missing_file(tmp_path, capsys):
    assert main(["stats", str(tmp_path / "nergens.yaml")]) == 1
    assert "nergens.yaml" in capsys.readouterr().err


def test_cli_usage_error(capsys):
    assert main(["stats"]) == 2


def test_example_figures(example):
    st = stats.compute(example)
    assert (st.scenes, st.choices, st.endings) == (3, 9, 5)
    assert (st.overall.shortest, st.overall.longest) == (3, 3)  # start -> overleg -> actie -> end
