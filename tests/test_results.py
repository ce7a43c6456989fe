"""Results files: what a student hands in, and how a trainer's tools tell a good file from a bad one."""
from __future__ import annotations

import json

import pytest

from game.records import results as R
from game.play.engine import Session, Story
from game.scenario.validate import validate_text

SMALL = """
id: klein
version: "2"
title: {nl: Klein, en: Small}
start: a
meters:
  tegenmacht: {start: 20}
  eigenaarschap: {start: 20}
  afhankelijkheid: {start: 70}
scenes:
  a:
    title: {nl: Begin, en: Start}
    text: s
    choices:
      - {id: actie, text: {nl: Actie, en: Action}, strategy: confrontatie, if: "afhankelijkheid < 60",
         show_locked: {nl: "te afhankelijk", en: "too dependent"}, next: b}
      - {id: verborgen, text: Verborgen, if: "tegenmacht > 90", next: b}
      - {id: praten, text: {nl: Praten, en: Talk}, strategy: polderen, effects: {tegenmacht: 10}, next: b}
  b:
    text: t
    choices:
      - {id: samen, text: Samen, agency: organiseren, effects: {eigenaarschap: 30}, next: end}
      - {id: zelf, text: Zelf, agency: overnemen, next: end}
endings:
  goed: {title: {nl: Goed, en: Good}, if: "eigenaarschap >= 50", text: g}
  slecht: {title: Slecht, text: s}
"""


@pytest.fixture(scope="module")
def story() -> Story:
    report = validate_text(SMALL)
    assert report.scenario is not None, [p.render() for p in report.problems]
    return Story(report.scenario)


def ticking(monkeypatch, start=1_800_000_000.0, step=12.5):
    t = [start]

    def clock():
        t[0] += step
        return t[0]

    monkeypatch.setattr(Session, "clock", staticmethod(clock))


def finished(story, votes=None):
    s = Session(story, seed=5)
    s.choose("praten", votes=votes)
    s.choose("samen")
    return s


def test_a_finished_session_becomes_a_sealed_document(story, monkeypatch):
    ticking(monkeypatch)
    doc = R.build(finished(story, votes={"praten": 14, "actie": 0}), nickname="Vos")
    assert doc["format"] == R.FORMAT and doc["version"] == 1
    assert doc["scenario"]["id"] == "klein" and doc["scenario"]["version"] == "2"
    assert doc["scenario"]["title"] == {"nl": "Klein", "en": "Small"}
    assert doc["status"] == "finished" and doc["mode"] == "solo" and doc["nickname"] == "Vos"
    assert doc["ending"] == {"id": "goed", "title": {"nl": "Goed", "en": "Good"}}
    first, second = doc["steps"]
    assert (first["n"], first["key"], first["text"]["en"]) == (1, "a.praten", "Talk")
    assert first["votes"] == {"praten": 14, "actie": 0} and second["votes"] is None
    assert first["seconds"] == 12.5 and second["seconds"] == 12.5
    assert first["meters"]["tegenmacht"] == 30 and first["changes"]["tegenmacht"] == 10
    assert first["changes"]["afhankelijkheid"] == 3  # the default tag rule of polderen
    # the hidden choice is not offered, the locked one is offered greyed
    assert [(o["id"], o["available"]) for o in first["offered"]] == [("actie", False), ("praten", True)]
    assert doc["score"]["tegenmacht"] == 30.0 and doc["score"]["eigenaarschap"] == second["meters"]["eigenaarschap"] == 52
    assert doc["profile"]["strategy"]["polderen"] == 0.5 and doc["profile"]["agency"]["organiseren"] == 0.5
    assert doc["checksum"] == R.checksum(doc) and doc["checksum"].startswith("sha256:")


def test_an_unfinished_session_is_abandoned(story):
    s = Session(story, seed=5)
    s.choose("praten")
    doc = R.build(s)
    assert doc["status"] == "abandoned" and doc["ending"] is None and len(doc["steps"]) == 1
    assert R.build(s, status="finished")["status"] == "finished"
    with pytest.raises(ValueError):
        R.build(s, status="klaar")
    with pytest.raises(ValueError):
        R.build(s, mode="beamer")


def test_the_same_session_keeps_its_id_and_another_does_not(story, monkeypatch):
    ticking(monkeypatch)
    a = finished(story)
    b = finished(story)
    assert R.build(a)["id"] == R.build(a)["id"]
    assert R.build(a)["id"] != R.build(b)["id"]  # played at another time


@pytest.mark.parametrize("given, kept", [("  Kim \t de\nVries ", "Kim de Vries"), ("a" * 41, "a" * 40),
                                         ("x" * 40, "x" * 40), ("\x00\x07", ""), ("", "")])
def test_nicknames_are_one_short_printable_line(given, kept):
    assert R.clean_nickname(given) == kept


def test_a_file_round_trip_passes_every_check(story, tmp_path):
    doc = R.build(finished(story), nickname="Uil", mode="class")
    path = tmp_path / R.file_name(doc)
    path.write_text(R.dumps(doc), encoding="utf-8")
    got = R.load(path)
    assert got.doc == doc and got.id == doc["id"]
    assert got.scenario == ("klein", "2", doc["scenario"]["hash"])
    assert path.name.startswith("klein-") and path.name.endswith("-uil-" + doc["id"][:6] + R.SUFFIX)


def _problem(tmp_path, content) -> R.ResultProblem:
    path = tmp_path / "r.json"
    path.write_bytes(content if isinstance(content, bytes) else json.dumps(content).encode())
    with pytest.raises(R.ResultProblem) as err:
        R.load(path)
    return err.value


def test_an_edited_file_is_caught(story, tmp_path):
    doc = R.build(finished(story))
    doc["score"]["tegenmacht"] = 99.0
    p = _problem(tmp_path, doc)
    assert p.code == "edited" and "controlesom" in p.text("nl") and "checksum" in p.text("en")
    resealed = R.seal(doc)
    path = tmp_path / "ok.json"
    path.write_text(R.dumps(resealed))
    assert R.load(path).doc["score"]["tegenmacht"] == 99.0  # a checksum is no signature, and says so


@pytest.mark.parametrize("change, code", [
    (lambda d: d.update(format="iets"), "not-a-result"),
    (lambda d: d.update(version=2), "newer"),
    (lambda d: d.pop("steps"), "incomplete"),
    (lambda d: d.update(seed=True), "incomplete"),
    (lambda d: d.update(ending="goed"), "incomplete"),
    (lambda d: d.update(status="klaar"), "incomplete"),
    (lambda d: d.update(mode="beamer"), "incomplete"),
    (lambda d: d["scenario"].pop("hash"), "incomplete"),
])
def test_damaged_documents_say_why(story, tmp_path, change, code):
    doc = R.build(finished(story))
    change(doc)
    assert _problem(tmp_path, R.seal(doc)).code == code


def test_files_that_are_no_results(tmp_path):
    assert _problem(tmp_path, b"\xff\xfe garbage").code == "damaged"
    assert _problem(tmp_path, b"{").code == "damaged"
    assert _problem(tmp_path, [1, 2]).code == "not-a-result"
    assert _problem(tmp_path, b" " * (R.MAX_BYTES + 1)).code == "too-big"
    with pytest.raises(R.ResultProblem) as err:
        R.load(tmp_path / "nergens.json")
    assert err.value.code == "missing"
    with pytest.raises(R.ResultProblem) as err:
        R.load(tmp_path)
    assert err.value.code == "folder"


def test_a_file_at_the_size_limit_is_read(story, tmp_path):
    text = R.dumps(R.build(finished(story)))
    path = tmp_path / "r.json"
    path.write_text(text + " " * (R.MAX_BYTES - len(text.encode())))
    assert path.stat().st_size == R.MAX_BYTES
    assert R.load(path).doc["status"] == "finished"
