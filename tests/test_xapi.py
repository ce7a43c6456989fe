"""game.xapi: xAPI 1.0.3 statements of one results document (pure, no pygame)."""
import json
import re
import subprocess
import sys
import uuid
from datetime import datetime
from pathlib import Path

import pytest

from game.records import results, xapi
from game.play.engine import Session

ROOT = Path(__file__).resolve().parent.parent
IRI = re.compile(r"^https://tegenmacht\.invalid/[A-Za-z0-9\-._~%/]+$")
VERB = re.compile(r"^http://adlnet\.gov/expapi/verbs/(launched|answered|completed|suspended)$")


def finish(session, pick=1):
    while not session.finished:
        session.choose(pick)
    return session


def check_statement(st):
    assert set(st) >= {"id", "actor", "verb", "object", "timestamp"}
    uuid.UUID(st["id"])
    assert st["actor"] == {"objectType": "Agent", "account": {"homePage": "https://tegenmacht.invalid",
                                                              "name": st["actor"]["account"]["name"]}}
    assert VERB.match(st["verb"]["id"]) and st["verb"]["display"]
    assert st["object"]["objectType"] == "Activity" and IRI.match(st["object"]["id"]), st["object"]["id"]
    for parent in st.get("context", {}).get("contextActivities", {}).get("parent", []):
        assert IRI.match(parent["id"])
    for key in st.get("context", {}).get("extensions", {}):
        assert IRI.match(key)
    for key in st.get("result", {}).get("extensions", {}):
        assert IRI.match(key)
    when = datetime.fromisoformat(st["timestamp"])
    assert when.tzinfo is not None
    json.dumps(st, allow_nan=False)  # plain JSON, no NaN


def test_a_finished_session(story):
    s = finish(story.new_session(seed=3), pick=2)
    doc = results.build(s, nickname="Vos")
    sts = xapi.statements(doc)
    for st in sts:
        check_statement(st)
    verbs = [st["verb"]["id"].rsplit("/", 1)[1] for st in sts]
    assert verbs == ["launched"] + ["answered"] * len(s.history) + ["completed"]
    assert {st["actor"]["account"]["name"] for st in sts} == {doc["id"]}  # no name, not even the nickname
    assert "Vos" not in json.dumps(sts)
    for st, h in zip(sts[1:], s.history):
        assert st["result"]["response"] == h.choice
        assert st["object"]["id"] == f"https://tegenmacht.invalid/scenario/voorbeeld/scene/{h.scene}"
        assert st["object"]["definition"]["interactionType"] == "choice"
        assert h.choice in [c["id"] for c in st["object"]["definition"]["choices"]]
        assert st["context"]["contextActivities"]["parent"][0]["id"] == "https://tegenmacht.invalid/scenario/voorbeeld"
    done = sts[-1]["result"]
    ext = done["extensions"]
    assert done["completion"] is True
    assert done["score"]["scaled"] == round(doc["score"]["tegenmacht"] / 100, 3)
    assert 0 <= ext["https://tegenmacht.invalid/xapi/tegenmacht"] <= 1
    assert ext["https://tegenmacht.invalid/xapi/eigenaarschap"] == round(doc["score"]["eigenaarschap"] / 100, 3)
    assert ext["https://tegenmacht.invalid/xapi/ending"] == s.state
    assert len({st["id"] for st in sts}) == len(sts)
    assert xapi.statements(doc) == sts  # the same session gives the same statement ids


def test_an_abandoned_session_is_suspended(story):
    s = story.new_session(seed=3)
    s.choose(1)
    sts = xapi.statements(results.build(s))
    for st in sts:
        check_statement(st)
    assert [st["verb"]["id"].rsplit("/", 1)[1] for st in sts] == ["launched", "answered", "suspended"]
    assert sts[-1]["result"] == {"completion": False}


def test_timestamps_follow_the_choices_and_durations(story, monkeypatch):
    t = [1_800_000_000.0]

    def clock():
        t[0] += 12.5
        return t[0]

    monkeypatch.setattr(Session, "clock", staticmethod(clock))
    s = finish(story.new_session(seed=1))
    sts = xapi.statements(results.build(s))
    times = [datetime.fromisoformat(st["timestamp"]).timestamp() for st in sts]
    assert times == sorted(times) and times[1] == 1_800_000_025.0
    assert sts[1]["result"]["duration"] == "PT12.5S"


def test_odd_ids_become_valid_iris_and_missing_times_fall_back():
    doc = {"id": "abc", "scenario": {"id": "één scenario/x?", "version": "1", "hash": "h", "title": {"nl": "T"}},
           "lang": "nl", "mode": "solo", "seed": 1, "status": "abandoned", "started": "", "ended": "",
           "steps": [{"n": 1, "scene": "a b", "choice": "c", "at": "", "seconds": None, "offered": [],
                      "scene_title": {"nl": "", "en": ""}, "meters": {}, "replay": False}]}
    sts = xapi.statements(doc)
    for st in sts:
        check_statement(st)
    assert sts[0]["object"]["id"] == "https://tegenmacht.invalid/scenario/%C3%A9%C3%A9n%20scenario%2Fx%3F"
    assert sts[1]["object"]["definition"]["name"] == {"und": "-"} and "duration" not in sts[1]["result"]


@pytest.mark.parametrize("value, scaled", [(0, 0.0), (100, 1.0), (150, 1.0), (-5, 0.0), (33.3333, 0.333),
                                           (float("nan"), 0.0), ("x", 0.0)])
def test_scaled_is_clamped(value, scaled):
    assert xapi._scaled(value) == scaled


def test_xapi_module_does_not_import_pygame():
    code = "import sys, game.records.xapi, game.records.export, game.tools.export; sys.exit(1 if 'pygame' in sys.modules else 0)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0
