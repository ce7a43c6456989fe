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


@pytest.mark.parametrize("text, code, line", [
    ("a: 1\n  b: 2\n", "yaml-indent", 2),
    ("a: [1, 2\n", "yaml-syntax", 1),     # points at the bracket that never closes
    ("a: 'open\n", "yaml-unclosed-quote", 1),     # points at the quote that never closes
    ("a:\n- b\n  c: d\n", "yaml-indent", 3),
    ("\tb: 1\n", "yaml-tab", 1),
])
def test_syntax_errors_have_a_line(text, code, line):
    r = load_text(text)
    assert r.data is None and codes(r) == [code]
    assert r.problems[0].line == line


# text -> (code, line, column, a fragment of the English message). The parser's own mark lies
# elsewhere in most of these: on a later line, or further along the same one.
SLIPS = {
    "a:\n  - id: x\n    text: y\n  -id: z\n    text: w\n": ("yaml-dash-space", 4, 3, "write '- id:' instead of '-id:'"),
    "a:\n  -text: y\n    next: w\n": ("yaml-dash-space", 2, 3, "'- text:' instead of '-text:'"),
    "effects:\n  tegenmacht: %+25  # meer\n": ("yaml-needs-quotes", 2, 15, 'put it between them: "%+25"'),
    "effects: {tegenmacht: %-10, relatie: 5}\n": ("yaml-needs-quotes", 1, 23, 'put it between them: "%-10"'),
    "author: @buurtwerk\n": ("yaml-needs-quotes", 1, 9, "starts with @ only between quotes"),
    "title Hoi\nscenes: {}\n": ("yaml-missing-colon", 1, 6, "a colon is missing after 'title'"),
    'title "Hoi"\nscenes: {}\n': ("yaml-missing-colon", 1, 6, "a colon is missing after 'title'"),
    "scenes:\n  start:\n    text Hallo daar\n    choices: []\n": ("yaml-missing-colon", 3, 9, "after 'text'"),
    "scenes:\n  start:\n    choices\n      - id: x\n": ("yaml-missing-colon", 3, 12, "after 'choices'"),
    "effects:\n  tegenmacht 5\n  relatie: 3\n": ("yaml-missing-colon", 2, 13, "after 'tegenmacht'"),
    "next:midden\ntitle: x\n": ("yaml-colon-space", 1, 6, "the colon after 'next' needs a space after it"),
    "id: a\ntitle:{nl: Hoi, en: Hi}\n": ("yaml-colon-space", 2, 7, "the colon after 'title' needs a space"),
    "a:\n  text:\"Hoi\"\n  next: b\n": ("yaml-colon-space", 2, 8, "the colon after 'text' needs a space"),
    "text: Let op: dit\n": ("yaml-colon-in-text", 1, 13, "put the whole text between quotes"),
    "agency: mobiliseren:\nnext: b\n": ("yaml-colon-in-text", 1, 20, "put the whole text between quotes"),
    "text:\n  Een lange tekst\n  met: een dubbele punt\n": ("yaml-colon-in-text", 3, 6, "between quotes"),
    "title: 'Ik zeg 'nee' hoor'\n": ("yaml-quote-inside", 1, 16, "write the apostrophe twice: 'Ik zeg ''nee'' hoor'"),
    "title: {nl: 'Henk's huis', en: x}\n": ("yaml-quote-inside", 1, 18, """double quotes, "Henk's huis", or"""),
    'title: "zegt "nee""\n': ("yaml-quote-inside", 1, 14, """single quotes: 'zegt "nee"'"""),
    """title: "zegt "nee" en 'ja'"\n""": ("yaml-quote-inside", 1, 14, """'zegt "nee" en ''ja'''"""),
    """title: 'zegt "nee" en 'ja''\n""": ("yaml-quote-inside", 1, 23, "write every apostrophe inside the text twice"),
    'title: "Hoi\nscenes:\n  start:\n    text: "Welkom"\n': ("yaml-unclosed-quote", 1, 8, 'the quote mark " that'),
    'a:\n  b: 1\n  "c: 2\n  d: "x"\n': ("yaml-unclosed-quote", 3, 3, 'the quote mark " that opens here'),
    # a long text is not written out again in the advice
    "text: 'Henk's huis staat aan het eind van de straat, naast de bakker en de school'\n":
        ("yaml-quote-inside", 1, 12, "put the text between double quotes instead of single ones, or write every"),
    "title: 'Hoi\nscenes:\n  start:\n    text: 'Welkom'\n": ("yaml-unclosed-quote", 1, 8, "the quote mark ' that"),
    "a: 1\n\tb: 2\n": ("yaml-tab", 2, 1, "use spaces instead of a tab"),
    "a:\n  \tb: 2\n": ("yaml-tab", 2, 3, "use spaces instead of a tab"),
    "id: a\n  title: x\n": ("yaml-indent", 2, 3, "indented 2 spaces, which fits no block above it; do not indent"),
    "a:\n  b:\n    c: 1\n   d: 2\n": ("yaml-indent", 4, 4, "indent it 2 or 4 spaces"),
    "a:\n  - id: x\n    text: y\n  text: z\n": ("yaml-indent", 4, 3, "indent it 0 or 4 spaces"),
    "a:\n  b: 1\n c: 2\n": ("yaml-indent", 3, 2, "indented 1 space, which fits no block above it"),
}


@pytest.mark.parametrize("text", SLIPS)
def test_a_slip_is_found_where_it_was_made(text):
    code, line, column, english = SLIPS[text]
    r = load_text(text)
    assert r.data is None and codes(r) == [code], [p.render() for p in r.problems]
    p = r.problems[0]
    assert (p.line, p.column) == (line, column) and english in p.message("en"), p.render()
    assert p.message("nl") != p.message("en")


@pytest.mark.parametrize("text", [
    "title: \"Henk's huis\"\n",                         # an apostrophe inside double quotes
    "title: 'Henk''s huis'\n",                          # ... or doubled inside single quotes
    "title: 'zegt \"nee\"'\n",                          # double quotes inside single quotes
    "effects: {tegenmacht: \"%+25\", relatie: '%-10'}\n",  # % inside quotes
    "text: \"Let op: dit\"\n",
    "title: 'Let op: dit'\n",
    "text: Een lange tekst\n  over twee regels\nnext: b\n",
    "choices:\n  - id: x\n    text: -5 is weinig\n  - id: y\n",
    "title: \"Een tekst\n  over twee regels\"\nnext: b\n",
    "text: 'Ik zeg: ''nee'''  # commentaar met 'quotes' en \"meer\"\n",
])
def test_what_looks_like_a_slip_but_is_not(text):
    r = load_text(text)
    assert r.ok and r.problems == [], [p.render() for p in r.problems]


@pytest.mark.parametrize("text, code", [
    ("a:\n  -# b: 1\n    c: 2\n", "yaml-indent"),   # a dash before a comment is no list dash without its space
    ("a: 1\n% b: 2\n", "yaml-syntax"),              # a % where a key belongs: no value to put in quotes
])
def test_what_is_not_one_of_the_slips(text, code):
    r = load_text(text)
    assert codes(r) == [code], [p.render() for p in r.problems]


def test_a_bracket_that_never_closes_is_pointed_at():
    r = load_text("a:\n  b: 1\n{ c: 2\n  d: 3\n")
    assert codes(r) == ["yaml-syntax"] and (r.problems[0].line, r.problems[0].column) == (3, 1)
    assert "this block { ... } is not closed properly" in r.problems[0].message("en")


def test_a_failing_diagnosis_keeps_the_parsers_own_words(monkeypatch):
    def broken(*_args):
        raise IndexError("a bug in the diagnosis")

    monkeypatch.setattr(loader, "_slip", broken)
    r = load_text("a: 1\n  b: 2\n")
    assert codes(r) == ["yaml-syntax"] and r.problems[0].line == 2
    assert "the YAML is broken here" in r.problems[0].message("en")


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
