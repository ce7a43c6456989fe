"""The loader: the one YAML reader. Positions, duplicates, tags, and hostile input."""
from __future__ import annotations

import pytest

from game.scenario import loader
from game.scenario.loader import YList, YMap, load_file, load_text


def codes(result):
    return [p.code for p in result.problems]


def test_values_and_positions():
    r = load_text("id: a\nscenes:\n  start:\n    text: 'Hallo'\n    n: 5\n    x: [1, 2.5, true, null]\n")
    assert r.ok and r.problems == []
    d = r.data
    assert isinstance(d, YMap) and d["id"] == "a"
    assert d.key_pos["scenes"] == (2, 1) and d.where("id") == (1, 5)
    start = d["scenes"]["start"]
    assert start.where("text") == (4, 11) and start["n"] == 5
    x = start["x"]
    assert isinstance(x, YList) and x == [1, 2.5, True, None] and x.where(1) == (6, 12)
    assert x.where(99) == x.pos


def test_dates_stay_text():
    assert load_text("version: 2024-01-05\n").data["version"] == "2024-01-05"


def test_duplicate_key_is_reported_not_dropped():
    r = load_text("a: 1\nb: 2\na: 3\n")
    assert r.data is None
    (p,) = r.problems
    assert (p.code, p.line, p.column, p.params["key"]) == ("duplicate-key", 3, 1, "a")
    assert "first on line 1" in p.message("en")


def test_nested_duplicate_key():
    r = load_text("scenes:\n  start:\n    text: a\n    text: b\n")
    assert [(p.code, p.line, p.column) for p in r.problems] == [("duplicate-key", 4, 5)]


@pytest.mark.parametrize("text", [
    "a: !!python/object/apply:os.system ['echo hi']\n",
    "a: !!python/name:os.system\n",
    "a: !!python/object:collections.OrderedDict {}\n",
    "!!python/tuple [1, 2]\n",
    "a: !custom x\n",
    "a: !custom {b: 1}\n",
    "a: !!binary aGFsbG8=\n",
    "a: !!set {x, y}\n",
])
def test_tags_that_are_not_plain_data_are_refused(text):
    r = load_text(text)
    assert r.data is None and codes(r) == ["yaml-tag"]


def test_plain_tags_are_fine():
    r = load_text("a: !!str 5\nb: !!int '7'\nc: ! text\n")
    assert r.ok and r.data == {"a": "5", "b": 7, "c": "text"}


def test_billion_laughs_is_capped():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 10) + "]")
    r = load_text("\n".join(lines) + "\n")
    assert r.data is None and codes(r) == ["yaml-aliases-too-big"]


def test_a_big_file_without_aliases_is_not_blamed_on_aliases(monkeypatch):
    # The cap on values written in the file is separate from the cap on what aliases copy,
    # and each message says what it measures (a 5,000-scene file of 5.5 MB is well under both).
    monkeypatch.setattr(loader, "MAX_VALUES", 50)
    r = load_text("a: [" + ", ".join(["1"] * 60) + "]\n")
    assert r.data is None and codes(r) == ["yaml-too-many-values"]
    assert "aliases" not in r.problems[0].message("en") and "more than 50 values" in r.problems[0].message("en")
    monkeypatch.undo()
    r = load_text("a: [" + ", ".join(["1"] * 60) + "]\n")
    assert r.ok


def test_too_many_aliases():
    text = "a: &a 1\nb: [" + ", ".join(["*a"] * (loader.MAX_ALIASES + 1)) + "]\n"
    r = load_text(text)
    assert codes(r) == ["yaml-too-many-aliases"]


def test_a_few_aliases_are_fine():
    r = load_text("base: &b {x: 1}\none: *b\ntwo: *b\n")
    assert r.ok and r.data["one"] == {"x": 1}


@pytest.mark.parametrize("opener, closer", [("[", "]"), ("{a: ", "}")])
def test_deep_nesting_gives_a_message_not_a_recursion_error(opener, closer):
    r = load_text("x: " + opener * 10_000 + closer * 10_000 + "\n")
    assert r.data is None and codes(r) == ["yaml-too-deep"]


def test_deep_block_nesting():
    text = "".join("  " * i + f"k{i}:\n" for i in range(200)) + "  " * 200 + "v\n"
    r = load_text(text)
    assert codes(r) == ["yaml-too-deep"]


def test_just_under_the_depth_limit_is_fine():
    depth = loader.MAX_DEPTH - 1
    r = load_text("x: " + "[" * depth + "]" * depth + "\n")
    assert r.ok


@pytest.mark.parametrize("text, line", [
    ("a: 1\n  b: 2\n", 2),
    ("a: [1, 2\n", 1),     # points at the bracket that never closes
    ("a: 'open\n", 1),     # points at the quote that never closes
    ("a:\n- b\n  c: d\n", 3),
    ("\tb: 1\n", 1),
])
def test_syntax_errors_have_a_line(text, line):
    r = load_text(text)
    assert r.data is None and codes(r) == ["yaml-syntax"]
    assert r.problems[0].line == line


def test_several_documents():
    r = load_text("a: 1\n---\nb: 2\n")
    assert codes(r) == ["yaml-several-documents"] and r.problems[0].line == 2


def test_a_single_explicit_document_is_fine():
    assert load_text("---\na: 1\n...\n").ok


def test_unknown_alias():
    r = load_text("a: *nergens\n")
    assert codes(r) in (["yaml-unknown-alias"], ["yaml-syntax"])
    assert r.data is None


def test_complex_key():
    r = load_text("? [a, b]\n: 1\n")
    assert codes(r) == ["yaml-complex-key"]


def test_empty_text():
    for text in ("", "\n\n", "# niets\n"):
        assert codes(load_text(text)) == ["file-empty"]


def test_load_file_never_raises(tmp_path):
    assert codes(load_file(tmp_path / "nee.yaml")) == ["file-missing"]
    assert codes(load_file(tmp_path)) == ["path-is-folder"]
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"id: a\ntitle: caf\xe9\n")
    r = load_file(bad)
    assert [(p.code, p.line, p.column) for p in r.problems] == [("not-utf8", 2, 11)]


def test_unreadable_file(tmp_path):
    import os

    f = tmp_path / "geheim.yaml"
    f.write_text("id: a\n")
    f.chmod(0)
    try:
        if os.access(f, os.R_OK):
            pytest.skip("running as a user who can read everything")
        assert codes(load_file(f)) == ["file-unreadable"]
    finally:
        f.chmod(0o644)


def test_too_big(tmp_path, monkeypatch):
    monkeypatch.setattr(loader, "MAX_FILE_BYTES", 100)
    f = tmp_path / "groot.yaml"
    f.write_text("a: " + "x" * 200 + "\n")
    r = load_file(f)
    assert codes(r) == ["file-too-big"] and r.problems[0].line == 0
    assert r.problems[0].render("en").startswith(f"{f}: error: ")
