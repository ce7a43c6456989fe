"""The class report (game/classroom/report.py): 30 sessions played headlessly, their results files in a folder
with bad files among them, the aggregation checked against what was played, then the page checked:
its content, that it loads nothing from the network, and that headless chromium opens it."""
from __future__ import annotations

import csv
import io
import os
import random
import re
import shutil
import subprocess
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from game.classroom import report as rep
from game.records import results as R
from game.cli import main
from game.play.engine import Session, Story
from game.play.scoring import quadrant_of
from game.scenario.validate import load_scenario

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CLASS = {4, 14, 24}  # projector sessions, decided by votes
ABANDONED = {7: 3, 17: 6, 27: 0}  # session -> choices made before the student stopped
TRICKY = '<b>Vos & "Co"</b>'  # a nickname that must reach the page as text


def play(story: Story, i: int) -> tuple[Session, dict]:
    """Session i: its own seed; first, last or random available choices; votes in class."""
    rnd = random.Random(i)
    s = Session(story, seed=1000 + i)
    stop = ABANDONED.get(i, 10_000)
    votes_cast = []
    while not s.finished and len(s.history) < stop:
        options = s.available()
        pick = options[0] if i % 3 == 0 else options[-1] if i % 3 == 1 else rnd.choice(options)
        if i in CLASS:
            votes = {o.choice.id: rnd.randint(0, 6) for o in s.offered() if o.available}
            votes[pick.id] = max(votes.values()) + 3
            s.choose(pick.id, votes=votes)
            votes_cast.append(votes)
        else:
            s.choose(pick.id)
    nickname = TRICKY if i == 5 else "=SOM(A1)" if i == 6 else "" if i == 8 else f"Student {i:02d}"
    doc = R.build(s, nickname=nickname, mode="class" if i in CLASS else "solo")
    return s, {"doc": doc, "votes": votes_cast}


@pytest.fixture(scope="module")
def classroom(tmp_path_factory):
    story = Story(load_scenario(ROOT / "scenarios" / "schimmel.yaml"))
    folder = tmp_path_factory.mktemp("klas")
    played = []
    for i in range(30):
        s, info = play(story, i)
        path = folder / R.file_name(info["doc"])
        path.write_text(R.dumps(info["doc"]), encoding="utf-8")
        played.append({"i": i, "session": s, "path": path, **info})
    # the files a trainer also finds in a folder of hand-ins
    (folder / "kapot.tegenmacht.json").write_text('{"format": "tegenmacht-result", "vers', encoding="utf-8")
    shutil.copy(played[0]["path"], folder / "kopie-van-student-00.tegenmacht.json")
    edited = dict(played[1]["doc"], score=dict(played[1]["doc"]["score"], tegenmacht=99.0))
    (folder / "opgepoetst.tegenmacht.json").write_text(R.dumps(edited), encoding="utf-8")
    other = Session(Story(load_scenario(ROOT / "scenarios" / "voorbeeld.yaml")), seed=3)
    while not other.finished:
        other.choose(other.available()[0].id)
    (folder / "ander-scenario.tegenmacht.json").write_text(R.dumps(R.build(other)), encoding="utf-8")
    (folder / "instellingen.json").write_text('{"volume": 3}', encoding="utf-8")
    (folder / "notities.txt").write_text("geen resultaat", encoding="utf-8")
    data = rep.aggregate(rep.gather([str(folder)]))
    return {"folder": folder, "played": played, "data": data, "story": story}


# -- aggregation ----------------------------------------------------------------------------------------------

def test_every_usable_file_is_counted_once(classroom):
    d = classroom["data"]
    assert d["count"] == 30
    assert d["finished"] == 27 and d["abandoned"]["count"] == 3
    assert d["scenario"]["id"] == "schimmel" and d["scenario"]["title"]["nl"] == "Zwarte muren in de Meeuwenflat"
    assert d["modes"] == {"solo": 27, "class": 3}
    assert d["dates"] is not None and d["dates"][0] <= d["dates"][1]
    assert {s["file"] for s in d["students"]} == {p["path"].name for p in classroom["played"]}


def test_choices_per_scene_match_what_was_played(classroom):
    expected: dict[tuple[str, str], set] = {}
    shown: dict[str, set] = {}
    locked: set[tuple[str, str]] = set()
    for p in classroom["played"]:
        for st in p["doc"]["steps"]:
            expected.setdefault((st["scene"], st["choice"]), set()).add(p["i"])
            shown.setdefault(st["scene"], set()).update(o["id"] for o in st["offered"])
            locked.update((st["scene"], o["id"]) for o in st["offered"] if not o["available"])
    got = {(sc["id"], c["id"]): c["count"] for sc in classroom["data"]["scenes"] for c in sc["choices"]}
    assert {k: v for k, v in got.items() if v} == {k: len(v) for k, v in expected.items()}
    # every choice anyone was shown is listed, also when nobody took it
    for sc in classroom["data"]["scenes"]:
        assert {c["id"] for c in sc["choices"]} == shown[sc["id"]]
    assert any(v == 0 for v in got.values()), "the 30 games should leave some choice untaken"
    marked = {(sc["id"], c["id"]) for sc in classroom["data"]["scenes"] for c in sc["choices"] if c["locked"]}
    assert marked == locked
    first = classroom["data"]["scenes"][0]
    assert first["id"] == "start" and first["students"] == 29  # one student stopped before the first choice


def test_scores_endings_and_outcomes(classroom):
    d = classroom["data"]
    finished = [p["doc"] for p in classroom["played"] if p["doc"]["status"] == "finished"]
    assert {e["id"]: e["count"] for e in d["endings"]} == Counter(doc["ending"]["id"] for doc in finished)
    assert [e["count"] for e in d["endings"]] == sorted((e["count"] for e in d["endings"]), reverse=True)
    assert sum(o["count"] for o in d["outcomes"]) == 27
    assert d["threshold"] == classroom["story"].scenario.threshold and d["threshold_source"] == "scenario"
    for s in d["students"]:
        assert s["quadrant"] == quadrant_of(d["threshold"], s["tegenmacht"], s["eigenaarschap"])
    names = d["quadrants"]
    assert names["beweging"]["nl"] == classroom["story"].scenario.archetypes["beweging"].name.nl


def test_profile_is_the_mean_of_the_finished_games(classroom):
    finished = [p["doc"] for p in classroom["played"] if p["doc"]["status"] == "finished"]
    for axis in ("strategy", "agency"):
        for tag, share in classroom["data"]["profile"][axis].items():
            assert share == pytest.approx(sum(doc["profile"][axis][tag] for doc in finished) / 27, abs=1e-3)
        assert sum(classroom["data"]["profile"][axis].values()) == pytest.approx(1.0, abs=0.01)


def test_turning_points_count_students_and_questions_keep_their_order(classroom):
    d = classroom["data"]
    expected = Counter()
    for p in classroom["played"]:
        expected.update({(tp["kind"], tp["source"]) for tp in p["doc"]["turning_points"]})
    assert {(t["kind"], t["source"]): t["count"] for t in d["turning_points"]} == expected
    assert d["turning_points"][0]["count"] == max(expected.values())
    union, counts = [], Counter()
    for p in sorted(classroom["played"], key=lambda p: p["path"].name):
        for q in p["doc"]["questions"]:
            if q["nl"] not in [u["nl"] for u in union]:
                union.append(q)
        counts.update({q["nl"] for q in p["doc"]["questions"]})
    assert [q["text"] for q in d["questions"]] == union and len(union) >= 3
    assert [q["count"] for q in d["questions"]] == [counts[q["nl"]] for q in union]


def test_votes_of_each_projector_session(classroom):
    votes = classroom["data"]["votes"]
    assert len(votes) == 3
    by_file = {p["path"].name: p for p in classroom["played"]}
    for v in votes:
        p = by_file[v["file"]]
        assert p["i"] in CLASS and len(v["steps"]) == len(p["votes"]) == len(p["doc"]["steps"])
        for step, cast, st in zip(v["steps"], p["votes"], p["doc"]["steps"]):
            assert {x["id"]: x["votes"] for x in step["spread"]} == cast
            assert [x["id"] for x in step["spread"] if x["chosen"]] == [st["choice"]]
            assert step["total"] == sum(cast.values())


def test_abandoned_games_say_where_they_stopped(classroom):
    ab = classroom["data"]["abandoned"]
    stopped = {p["path"].name: p for p in classroom["played"] if p["i"] in ABANDONED}
    assert {s["file"] for s in ab["students"]} == set(stopped)
    for s in ab["students"]:
        doc = stopped[s["file"]]["doc"]
        assert s["steps"] == ABANDONED[stopped[s["file"]]["i"]]
        assert s["scene"] == (doc["steps"][-1]["scene"] if doc["steps"] else None)
    assert sum(x["count"] for x in ab["stops"]) == 3


def test_bad_files_are_skipped_with_their_reason(classroom):
    skipped = {s["file"]: s for s in classroom["data"]["skipped"]}
    assert set(skipped) == {"kapot.tegenmacht.json", "kopie-van-student-00.tegenmacht.json",
                            "opgepoetst.tegenmacht.json", "ander-scenario.tegenmacht.json", "instellingen.json"}
    assert skipped["kapot.tegenmacht.json"]["code"] == "damaged"
    assert skipped["opgepoetst.tegenmacht.json"]["code"] == "edited"
    assert "controlesom" in skipped["opgepoetst.tegenmacht.json"]["reason"]["nl"]
    assert skipped["instellingen.json"]["code"] == "not-a-result"
    dup = skipped["kopie-van-student-00.tegenmacht.json"]
    assert dup["code"] == "duplicate" and classroom["played"][0]["path"].name in dup["reason"]["nl"]
    other = skipped["ander-scenario.tegenmacht.json"]
    assert other["code"] == "other-scenario" and other["reason"]["nl"].startswith("ander scenario/andere versie")
    assert "voorbeeld" in other["reason"]["nl"] and other["reason"]["en"].startswith("another scenario")


def test_the_scenario_most_files_hold_wins(tmp_path, classroom):
    """Two files of the example against one of schimmel: the example is reported, schimmel skipped."""
    story = Story(load_scenario(ROOT / "scenarios" / "voorbeeld.yaml"))
    for seed in (1, 2):
        s = Session(story, seed=seed)
        s.choose(s.available()[0].id)
        (tmp_path / f"v{seed}.json").write_text(R.dumps(R.build(s)), encoding="utf-8")
    shutil.copy(classroom["played"][2]["path"], tmp_path / "s.json")
    d = rep.aggregate(rep.gather([str(tmp_path)]))
    assert d["scenario"]["id"] == "voorbeeld" and d["count"] == 2
    assert [(s["file"], s["code"]) for s in d["skipped"]] == [("s.json", "other-scenario")]


def test_without_the_scenario_the_threshold_comes_from_the_files(classroom):
    """schimmel splits at 45: without the scenario file, the files' quadrants still bound it."""
    d = rep.aggregate(rep.gather([str(classroom["folder"])]), lookup=False)
    assert classroom["story"].scenario.threshold == 45 and d["threshold_source"] == "files"
    low, high = d["threshold_range"]
    assert low < 45 <= high and low < d["threshold"] <= high
    for s in d["students"]:  # the line drawn puts every dot in the quadrant its file names
        doc = next(p["doc"] for p in classroom["played"] if p["path"].name == s["file"])
        assert s["quadrant"] == doc["score"]["archetype"]
    assert set(d["quadrants"]) == {"harmonie", "held", "gemeenschap", "beweging"}
    assert f"de grens boven {low:g} % ligt en hoogstens {high:g} % is" in rep.render(d)


@pytest.mark.parametrize("scores, expected", [
    ([], (50, "default", None)),
    ([{"archetype": "harmonie", "tegenmacht": 20, "eigenaarschap": 30}], (50, "files", (30, 100))),
    ([{"archetype": "held", "tegenmacht": 31, "eigenaarschap": 29.5}], (30, "files", (29.5, 31))),
    ([{"archetype": "beweging", "tegenmacht": 60, "eigenaarschap": 71},
      {"archetype": "harmonie", "tegenmacht": 55, "eigenaarschap": 10}], (56, "files", (55, 60))),
    ([{"archetype": "held", "tegenmacht": 40, "eigenaarschap": 45}], (50, "default", None)),  # contradicts itself
    ([{"archetype": "?", "tegenmacht": 40, "eigenaarschap": 45}], (50, "default", None)),
])
def test_threshold_from_the_scores(scores, expected):
    assert rep.infer_threshold(scores) == expected


def test_when_nothing_pins_the_threshold_the_default_is_said(classroom):
    data = rep.aggregate(rep.gather([str(classroom["played"][0]["path"])]), lookup=False)
    data["threshold"], data["threshold_source"] = 50, "default"
    assert "standaardgrens van 50 %" in rep.render(data)


def test_nothing_usable_is_an_empty_result(tmp_path):
    (tmp_path / "a.json").write_text("nee", encoding="utf-8")
    d = rep.aggregate(rep.gather([str(tmp_path), str(tmp_path / "weg.json")]))
    assert d["count"] == 0 and {s["code"] for s in d["skipped"]} == {"damaged", "missing"}


# -- the page ----------------------------------------------------------------------------------------------------

class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.styles: list[str] = []
        self.texts: list[str] = []
        self._stack: list[str] = []
        self.titles: dict[str, str] = {}  # element id -> its <title>

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._stack.append(dict(attrs).get("id", ""))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if self._stack:
            self._stack.pop()

    def handle_data(self, data):
        self.texts.append(data)
        if self.tags and self.tags[-1][0] == "style":
            self.styles.append(data)
        if self.tags and self.tags[-1][0] == "title" and len(self._stack) >= 2:
            self.titles[self._stack[-2]] = data


@pytest.fixture(scope="module")
def page(classroom):
    html = rep.render(classroom["data"], "nl")
    p = Page()
    p.feed(html)
    return html, p


def test_the_page_shows_what_the_class_did(page, classroom):
    html, p = page
    d = classroom["data"]
    assert "<title>Klasrapport — Zwarte muren in de Meeuwenflat</title>" in html
    text = " ".join(p.texts)
    for needle in ("Keuzes per scène", "Tegenmacht en eigenaarschap", "Bereikte eindes", "Profiel van de klas",
                   "Kantelpunten", "Vragen voor de nabespreking", "Stemmen in de klas", "Niet uitgespeeld",
                   "Overgeslagen bestanden", "ander scenario/andere versie", "controlesom"):
        assert needle in text, needle
    assert len([t for t, a in p.tags if t == "svg" and a.get("class") == "chart"]) >= len(d["scenes"]) + 4
    # every choice text of every scene is in its chart, as text
    for sc in d["scenes"]:
        for c in sc["choices"]:
            first_words = " ".join(c["text"]["nl"].split()[:2])
            assert first_words in text, first_words
    for q in d["questions"]:
        assert q["text"]["nl"] in text


def test_the_scatter_has_one_dot_per_student_with_the_nickname(page):
    html, p = page
    dots = {k: v for k, v in p.titles.items() if re.fullmatch(r"c\d+-dot\d+", k)}
    assert len(dots) == 30
    assert any(v.startswith("Student 09:") for v in dots.values())
    assert any(v.startswith(TRICKY + ":") for v in dots.values())  # as text, after unescaping
    assert any(v.startswith("(geen bijnaam)") for v in dots.values())
    ids = [a["id"] for _, a in p.tags if "id" in a]
    assert len(ids) == len(set(ids)), "ids of the charts collide"


def test_untrusted_nicknames_are_escaped(page):
    html, _ = page
    assert TRICKY not in html and "<b>Vos" not in html
    assert "&lt;b&gt;Vos &amp; " in html


def test_the_page_loads_nothing_from_the_network(page):
    html, p = page
    remote = re.compile(r"^\s*(https?:|//|ftp:)", re.I)
    for tag, attrs in p.tags:
        for key in ("src", "href", "xlink:href", "action", "data", "poster", "srcset"):
            assert not remote.match(attrs.get(key) or ""), (tag, key, attrs.get(key))
        assert tag not in ("script", "link", "iframe", "img", "object", "embed"), tag
    css = "\n".join(p.styles) + "\n".join(a.get("style", "") for _, a in p.tags)
    assert css.strip()
    assert "@import" not in css
    assert not re.search(r"url\(\s*['\"]?\s*(https?:|//)", css, re.I)
    assert not re.search(r"url\(\s*['\"]?\s*(https?:|//)", html, re.I)
    assert "@media print" in css


def test_the_page_in_english(classroom):
    html = rep.render(classroom["data"], "en")
    assert '<html lang="en">' in html
    for needle in ("Class report", "Choices per scene", "Counter-power and ownership", "Endings reached",
                   "Questions for the discussion", "Votes in class", "Skipped files", "another scenario/version",
                   "checksum"):
        assert needle in html, needle
    for dutch in ("Keuzes per scène", "Bereikte eindes", "Overgeslagen bestanden", "uitgespeeld"):
        assert dutch not in html, dutch


def test_every_string_has_both_languages():
    """The page's texts come from the catalogues; every one the template or the code asks for exists in
    both languages, translated (the two languages differ)."""
    from game.i18n import catalogue

    template = (ROOT / "game" / "classroom" / "templates" / "report.html.j2").read_text(encoding="utf-8")
    code = (ROOT / "game" / "classroom" / "report.py").read_text(encoding="utf-8")
    asked = set(re.findall(r"\bt\.(\w+)", template)) | set(re.findall(r"\bt\[\"(\w+)\"\]", code)) \
        | set(re.findall(r"_t\([\"'](\w+)[\"']", code))
    assert len(asked) > 30
    nl, en = rep.page_texts("nl"), rep.page_texts("en")
    for key in asked:
        assert nl.get(key) and en.get(key), key
        assert nl[key] != en[key] or key in ("seed",), key
    for key in re.findall(r"msg\([\"']([\w-]+)[\"']", code):
        assert catalogue("nl").get(f"report-msg.{key}") and catalogue("en").get(f"report-msg.{key}"), key


# -- the command --------------------------------------------------------------------------------------------------

def test_the_command_writes_the_page_and_the_table(classroom, tmp_path, capsys):
    out, table = tmp_path / "rapport.html", tmp_path / "rapport.csv"
    out.write_text("oud rapport", encoding="utf-8")
    code = main(["report", str(classroom["folder"]), "-o", str(out), "--csv", str(table)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "Rapport gemaakt" in captured.out and "30 resultaten, 5 overgeslagen" in captured.out
    assert "kapot.tegenmacht.json: het bestand is beschadigd" in captured.err
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(x.name for x in tmp_path.iterdir()) == ["rapport.csv", "rapport.html"]  # no temp files left
    rows = list(csv.DictReader(io.StringIO(table.read_text(encoding="utf-8"))))
    assert len(rows) == 30
    by_file = {r["file"]: r for r in rows}
    for p in classroom["played"]:
        row, doc = by_file[p["path"].name], p["doc"]
        assert row["status"] == doc["status"] and float(row["tegenmacht"]) == doc["score"]["tegenmacht"]
        assert row["choices"].split() == [st["key"] for st in doc["steps"]]
        assert row["ending"] == (doc["ending"]["id"] if doc["ending"] else "")
        for st in doc["steps"]:
            assert st["choice"] in row[f"scene:{st['scene']}"].split(" > ")
    assert by_file[classroom["played"][6]["path"].name]["nickname"] == "'=SOM(A1)"  # no formula in a spreadsheet
    assert by_file[classroom["played"][5]["path"].name]["nickname"] == TRICKY


def test_the_command_in_english(classroom, tmp_path, capsys):
    out = tmp_path / "report.html"
    assert main(["report", str(classroom["played"][3]["path"]), "-o", str(out), "--lang", "en"]) == 0
    assert "Report written" in capsys.readouterr().out
    assert '<html lang="en">' in out.read_text(encoding="utf-8")


def test_missing_output_is_a_usage_error(classroom, capsys):
    assert main(["report", str(classroom["folder"])]) == 2
    err = capsys.readouterr().err
    assert "-o" in err and "Traceback" not in err


def test_nothing_usable_writes_nothing(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "leeg.json").write_text("{}", encoding="utf-8")
    out = tmp_path / "r.html"
    assert main(["report", str(tmp_path / "in"), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "Geen bruikbare resultaatbestanden" in err and "Traceback" not in err
    assert err.count("Error:") == 1 and not out.exists()
    assert main(["report", str(tmp_path / "leeg"), "-o", str(out)]) == 1  # a folder that is not there
    assert not out.exists()


def test_a_write_failure_is_one_sentence(classroom, tmp_path, capsys):
    blocker = tmp_path / "bestand"
    blocker.write_text("x", encoding="utf-8")
    code = main(["report", str(classroom["played"][3]["path"]), "-o", str(blocker / "r.html")])
    err = capsys.readouterr().err
    assert code == 1 and "kon niet worden opgeslagen" in err and "Traceback" not in err
    assert main(["report", str(classroom["played"][3]["path"]), "-o", str(tmp_path)]) == 1
    assert "is een map" in capsys.readouterr().err
    same = tmp_path / "x.html"
    assert main(["report", str(classroom["played"][3]["path"]), "-o", str(same), "--csv", str(same)]) == 2
    assert not same.exists()


def test_the_template_ships_with_the_package():
    from importlib.resources import files

    assert (files("game.classroom") / "templates" / "report.html.j2").is_file()
    toml = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'"game.classroom" = \[[^\]]*"templates/\*"', toml)
    assert re.search(r'"Jinja2>=3\.\d+,<4"', toml) and re.search(r'"matplotlib>=3\.\d+,<4"', toml)


def test_the_report_module_does_not_draw_at_import():
    code = ("import sys, game.classroom.report; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'jinja2', 'pygame')))")
    out = subprocess.run([os.sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


# -- in a real browser -------------------------------------------------------------------------------------------

def _chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get("CI"):
        pytest.fail("chromium is not installed; .ci/run installs it, so CI must have it")
    pytest.skip("chromium is not installed (CI installs it)")


def test_headless_chromium_opens_the_page(classroom, tmp_path):
    browser = _chromium()
    out = tmp_path / "klas-rapport.html"
    assert main(["report", str(classroom["folder"]), "-o", str(out)]) == 0
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "klas-rapport.png"
    if shot.exists():
        shot.unlink()
    done = subprocess.run([browser, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                           "--hide-scrollbars", f"--user-data-dir={tmp_path / 'profile'}",
                           f"--screenshot={shot}", "--window-size=1280,2400", out.as_uri()],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 30_000
    from PIL import Image  # comes with matplotlib

    with Image.open(shot) as im:
        assert im.size == (1280, 2400)
        colours = im.convert("RGB").resize((64, 120)).getcolors(64 * 120)
        assert colours is not None and len(colours) > 20  # drawn, not a blank page


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_a_pipe_is_skipped_and_a_folder_loop_is_not_followed(classroom, tmp_path, capsys):
    os.mkfifo(tmp_path / "pijp.json")
    (tmp_path / "map").mkdir()
    shutil.copy(classroom["played"][3]["path"], tmp_path / "map" / "een.json")
    (tmp_path / "map" / "terug").symlink_to(tmp_path / "map", target_is_directory=True)
    out = tmp_path / "r.html"
    assert main(["report", str(tmp_path / "pijp.json"), str(tmp_path / "map"), "-o", str(out)]) == 0
    captured = capsys.readouterr()
    assert "pijp.json: dit is een pijp (FIFO), geen bestand" in captured.err
    assert "(1 resultaat, 1 overgeslagen)" in captured.out


def test_a_scene_one_student_reached_says_so_in_the_singular(tmp_path):
    story = Story(load_scenario(ROOT / "scenarios" / "voorbeeld.yaml"))
    s = Session(story, seed=3)
    s.choose(s.available()[0])
    path = tmp_path / "een.tegenmacht.json"
    path.write_text(R.dumps(R.build(s)), encoding="utf-8")
    data, page = rep.build([str(path)], "nl")
    assert "1 student kwam hier" in page and "1 studenten" not in page
    _, page_en = rep.build([str(path)], "en")
    assert "1 student came here" in page_en
