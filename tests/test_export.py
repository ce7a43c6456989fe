"""Results files on disk (game.export) and ``tegenmacht export``."""
import errno
import json
import os
import shutil
from pathlib import Path

import pytest

import game.records.export as E
from game.records import results
from game.cli import main
from game.scenario.problems import SaveError
from game.records.sessions import Sessions
from game.records.store import Store, error_text
from helpers import finish, one_sentence  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
EXAMPLE = str(Path(__file__).resolve().parent.parent / "scenarios" / "voorbeeld.yaml")



def run(capsys, *argv):
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("TEGENMACHT_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# -- where ------------------------------------------------------------------------------------
def test_results_dir(tmp_path, monkeypatch):
    import platformdirs

    assert E.results_dir(Store(root=tmp_path)) == tmp_path / "resultaten"
    monkeypatch.setenv("TEGENMACHT_HOME", str(tmp_path / "h"))
    assert E.results_dir(Store()) == E.results_dir() == tmp_path / "h" / "resultaten"
    monkeypatch.delenv("TEGENMACHT_HOME")
    monkeypatch.setattr(platformdirs, "user_documents_dir", lambda: str(tmp_path / "Documenten"))
    assert E.results_dir(Store()) == E.results_dir() == tmp_path / "Documenten" / "Tegenmacht"


# -- writing ----------------------------------------------------------------------------------
def test_write_result_never_overwrites(tmp_path, story):
    doc = results.build(finish(story.new_session(seed=1)))
    path, new = E.write_result(doc, tmp_path / "uit")
    assert new and path.name == results.file_name(doc) and results.load(path).doc == doc
    assert E.write_result(doc, tmp_path / "uit") == (path, False)  # identical: left as it is
    other = E.with_nickname(doc, "Vos")
    path.write_text("iets anders", encoding="utf-8")  # another file under that name
    again, new = E.write_result(doc, tmp_path / "uit")
    assert new and again.name == results.file_name(doc).replace(results.SUFFIX, "-2" + results.SUFFIX)
    assert path.read_text(encoding="utf-8") == "iets anders"
    assert results.load(E.write_result(other, tmp_path / "uit")[0]).doc["nickname"] == "Vos"


@pytest.mark.parametrize("err", [OSError(errno.ENOSPC, "No space left on device"),
                                 PermissionError(errno.EACCES, "Permission denied")])
def test_a_failed_write_leaves_nothing_half_written(tmp_path, story, monkeypatch, err):
    doc = results.build(finish(story.new_session(seed=1)))
    folder = tmp_path / "uit"
    folder.mkdir()

    def fail(fd):
        raise err

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(SaveError) as caught:
        E.write_result(doc, folder)
    nl, en = error_text(caught.value, "nl"), error_text(caught.value, "en")
    assert one_sentence(nl) and one_sentence(en) and "nothing was left half-written" in en
    assert ("disk is full" in en) if err.errno == errno.ENOSPC else ("cannot be written" in en)
    assert files(folder) == []  # no file, no temporary file


def test_a_file_where_the_folder_should_be(tmp_path, story):
    doc = results.build(finish(story.new_session(seed=1)))
    (tmp_path / "uit").write_text("x", encoding="utf-8")
    with pytest.raises(SaveError) as caught:
        E.write_result(doc, tmp_path / "uit")
    en = error_text(caught.value, "en")
    assert one_sentence(en) and "in the way" in en


def test_with_nickname_reseals():
    doc = results.seal({"format": "x", "nickname": ""})
    assert E.with_nickname(doc, None) is doc
    named = E.with_nickname(doc, "  Vos\n de\tSnelle ")
    assert named["nickname"] == "Vos de Snelle" and named["checksum"] == results.checksum(named)


# -- the command --------------------------------------------------------------------------------
def test_nothing_to_export(capsys, home):
    rc, out, err = run(capsys, "export")
    assert rc == 1 and out == "" and one_sentence(err.strip()) and "geen uitgespeelde sessie" in err
    rc, out, err = run(capsys, "--lang", "en", "export", "--all")
    assert rc == 1 and err.strip() == f"There is no session to export yet (in {home / 'records.sqlite3'})."


def test_only_sessions_from_before_schema_2(capsys, home):
    home.mkdir()
    shutil.copy(DATA / "records-v1.sqlite", home / "records.sqlite3")
    rc, out, err = run(capsys, "--lang", "en", "export")
    assert rc == 1 and out == "" and "4 finished sessions" in err and "from before this version" in err
    assert one_sentence(err.strip())


@pytest.mark.parametrize("argv", [["export", "--bogus"], ["export", "-o"], ["export", "--nickname"],
                                  ["export", "extra"], ["export", "--nickname", "x" * 41]])
def test_wrong_use_exits_2(capsys, home, argv):
    rc, out, err = run(capsys, *argv)
    assert rc == 2 and out == "" and err.startswith("Error: ") and len(err.strip().splitlines()) == 1


def test_export_the_last_finished_session(capsys, home, story):
    store = Store()
    first = finish(story.new_session(seed=1))
    last = finish(story.new_session(seed=2), pick=2)
    store.record_finished(first, EXAMPLE)
    store.record_finished(last, EXAMPLE)
    left = story.new_session(seed=3)
    left.choose(1)
    store.record_abandoned(left, EXAMPLE)  # abandoned later, but the default is the last *finished* one
    rc, out, err = run(capsys, "export")
    assert rc == 0 and err == ""
    [line] = out.splitlines()
    path = Path(line)
    assert path.parent == home / "resultaten"
    doc = results.load(path).doc
    assert doc["id"] == results.session_id(last) and doc["status"] == "finished" and doc["nickname"] == ""
    # again: identical, not written twice, said on stderr
    rc, out, err = run(capsys, "export")
    assert rc == 0 and out == "" and str(path) in err and files(path.parent) == [path.name]


def test_export_all_with_nickname_xapi_and_a_folder(capsys, home, story, tmp_path):
    home.mkdir()
    shutil.copy(DATA / "records-v1.sqlite", home / "records.sqlite3")  # four rows from before schema 2
    store = Store()
    store.record_finished(finish(story.new_session(seed=1)), EXAMPLE)
    left = story.new_session(seed=3)
    left.choose(1)
    store.record_abandoned(left, EXAMPLE)
    out_dir = tmp_path / "inleveren"
    nick = "n" * results.NICKNAME_MAX  # exactly the limit
    rc, out, err = run(capsys, "--lang", "en", "export", "--all", "-o", str(out_dir), "--nickname", nick, "--xapi")
    assert rc == 0
    lines = out.splitlines()
    assert len(lines) == 4 and all(Path(x).parent == out_dir for x in lines)
    docs = [results.load(x).doc for x in lines if x.endswith(results.SUFFIX)]
    assert sorted(d["status"] for d in docs) == ["abandoned", "finished"]
    assert all(d["nickname"] == nick for d in docs)
    statements = [json.loads(Path(x).read_text(encoding="utf-8")) for x in lines if x.endswith(".xapi.json")]
    assert sorted(s[-1]["verb"]["id"].rsplit("/", 1)[1] for s in statements) == ["completed", "suspended"]
    assert "4 older sessions were skipped" in err


def test_export_waits_for_nothing_a_queued_session_counts(capsys, home, story, monkeypatch):
    import sqlite3

    def read_only(self, timeout):
        return sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=timeout, isolation_level=None)

    monkeypatch.setattr(Sessions, "_db_open", read_only)
    s = finish(story.new_session(seed=4))
    assert Store().record_finished(s, EXAMPLE) == "kept"
    rc, out, err = run(capsys, "export")
    assert rc == 0 and results.load(out.strip()).doc["id"] == results.session_id(s)


def test_export_into_a_file_says_so(capsys, home, story, tmp_path):
    Store().record_finished(finish(story.new_session(seed=1)), EXAMPLE)
    blocker = tmp_path / "bestand"
    blocker.write_text("x", encoding="utf-8")
    rc, out, err = run(capsys, "--lang", "en", "export", "-o", str(blocker))
    assert rc == 1 and out == "" and one_sentence(err.strip()) and "Traceback" not in err
    assert blocker.read_text(encoding="utf-8") == "x"


# -- the whole way: played, recorded, exported, reported ---------------------------------------------------
def test_sessions_go_from_the_records_through_export_into_the_class_report(capsys, home, story, tmp_path):
    """What a class does: each student plays (finished or left halfway), the records keep it, 'export --all'
    writes the files to hand in, and 'report' reads the folder the trainer collected."""
    import random

    from game.play.engine import Session

    store = Store()
    for seed in range(6):
        s = Session(story, seed=seed)
        rng = random.Random(seed)
        while not s.finished and not (seed == 5 and s.turns == 1):
            s.choose(rng.choice(s.available()))
        if s.finished:
            assert store.record_finished(s, EXAMPLE) == "recorded"
        else:
            store.record_abandoned(s, EXAMPLE)
    folder = tmp_path / "ingeleverd"
    rc, out, err = run(capsys, "export", "--all", "-o", str(folder))
    assert rc == 0, err
    handed_in = sorted(folder.glob("*" + results.SUFFIX))
    assert len(handed_in) == 6 and all(results.load(p).doc["scenario"]["id"] == "voorbeeld" for p in handed_in)
    page = tmp_path / "rapport.html"
    rc, out, err = run(capsys, "report", str(folder), "-o", str(page))
    assert rc == 0, err
    assert "(6 resultaten, 0 overgeslagen)" in out
    html = page.read_text(encoding="utf-8")
    import re

    assert len(re.findall(r'<g id="c\d+-dot\d+">', html)) == 6  # one dot per student (the one who left too)
    assert "De speeltuin aan de Lindelaan" in html
