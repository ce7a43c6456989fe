"""The validator: the example is valid, every problem is collected, messages in two languages."""
from __future__ import annotations

import string
from pathlib import Path

import pytest

from game.scenario.problems import MESSAGES, Problem, ScenarioError
from game.scenario.validate import load_scenario, suggest, validate_file, validate_text

BROKEN = Path(__file__).resolve().parent / "data" / "broken"
MINI = (BROKEN.parent / "broken" / "unreachable_scene.yaml").read_text(encoding="utf-8").split("  zijspoor:")[0] + """\
endings:
  goed:
    title: Goed
    if: "tegenmacht >= 50"
    text: Het ging goed.
  rest:
    title: Rest
    text: Het ging zoals het ging.
"""


def test_mini_is_valid():
    r = validate_text(MINI)
    assert r.problems == [] and r.ok


def test_the_example_is_valid(example_path):
    r = validate_file(example_path)
    assert r.errors == [], [p.render() for p in r.errors]
    assert r.warnings == [], [p.render() for p in r.warnings]
    sc = r.scenario
    assert sc.id == "voorbeeld" and sc.start == "start" and sc.languages == ("nl", "en")
    assert list(sc.scenes) == ["start", "overleg", "actie"]
    assert list(sc.endings) == ["uitgeput", "opgeslokt", "voor-ons", "open", "wachten"] and sc.endings["uitgeput"].interrupt
    assert sc.endings["open"].condition.source == "tegenmacht >= 30 and eigenaarschap >= 30"
    assert sc.meters["energie"].start == 30 and sc.meters["onrecht"].label.get("en") == "Felt injustice"
    assert sc.meters["tegenmacht"].start == 10  # a default meter the file does not mention
    assert sc.actors["gemeente"].power == 80 and sc.actors["kerngroep"].motive == "affectief"
    assert not sc.actors["kerngroep"].responds and sc.actors["moskee"].motive == "moreel"
    c = sc.choice("overleg.coalitie")
    assert c.strategy == "coalitie" and c.agency == "organiseren" and c.condition.source == "eigenaarschap >= 25"
    assert sc.archetypes["beweging"].name.get("en").startswith("A neighbourhood")
    assert sc.archetypes["harmonie"].name.nl  # defaults fill the others
    assert [e.id for e in sc.events] == ["buurtapp", "tegenreactie"] and sc.events[0].chance == 0.5
    assert r.stats["scenes"] == 3 and r.stats["choices"] == 9 and r.stats["endings"] == 5
    assert r.stats["events"] == 2 and r.stats["actors"] == 3
    assert r.stats["words_nl"] > 300 and r.stats["words_en"] > 300


def test_load_scenario_raises_with_all_problems(tmp_path):
    with pytest.raises(ScenarioError) as info:
        load_scenario(BROKEN / "unknown_meter_condition.yaml")
    assert info.value.problems and "relatei" in str(info.value)


FIVE_MISTAKES = MINI.replace("    choices:\n      - id: verder", "    choises:\n      - id: verder", 0) \
    .replace("strategy: polderen", "strategy: polderne") \
    .replace("effects: {tegenmacht: 5}", "effects: {tegenmact: 5, relatie: \"++5\"}") \
    .replace("        next: end", "        next: einde") \
    .replace('if: "tegenmacht >= 50"', 'if: "tegenmacht > 100"')


def test_all_problems_are_collected_not_just_the_first():
    r = validate_text(FIVE_MISTAKES, "vijf.yaml")
    got = sorted(p.code for p in r.errors)
    assert got == sorted(["bad-value", "unknown-meter", "bad-effect", "unknown-scene", "never-true"]), \
        [p.render() for p in r.problems]
    assert r.scenario is None
    assert r.problems == sorted(r.problems, key=lambda p: (p.line, p.column))


def test_warnings_do_not_block():
    text = MINI.replace("endings:", "  zijspoor:\n    text: Niemand.\n    choices:\n      - text: Terug\n"
                                   "        next: midden\nendings:")
    r = validate_text(text)
    assert [p.code for p in r.problems] == ["unreachable-scene"] and r.ok


def _all_broken_problems():
    out = []
    for f in sorted(BROKEN.glob("*.yaml")):
        out.extend(validate_file(f).problems)
    out.extend(validate_text(FIVE_MISTAKES).problems)
    return out


def test_messages_in_dutch_and_english_differ_and_are_not_empty():
    problems = _all_broken_problems()
    assert len({p.code for p in problems}) >= 25
    for p in problems:
        nl, en = p.message("nl"), p.message("en")
        assert nl.strip() and en.strip() and nl != en, p
        for text in (nl, en):
            assert "{" not in text, text  # no unfilled template
            assert "('een" not in text and "', 'a" not in text, text  # no raw (Dutch, English) tuple
        assert p.render("en").startswith(f"{p.path}:")


def test_every_catalogue_message_is_translated():
    for code, (nl, en) in MESSAGES.items():
        assert nl and en and nl != en, code
        fields = {f for _, f, _, _ in string.Formatter().parse(nl) if f}
        assert fields == {f for _, f, _, _ in string.Formatter().parse(en) if f}, code


def test_a_problem_with_missing_parameters_still_renders():
    p = Problem("x.yaml", 3, 4, "error", "unknown-meter")
    assert "unknown-meter" not in p.render() or "x.yaml:3:4" in p.render()
    assert p.render().startswith("x.yaml:3:4: error: ")


def test_problem_to_json():
    p = Problem("x.yaml", 3, 4, "warning", "unreachable-scene", name="zij")
    assert p.to_json("nl") == {"line": 3, "column": 4, "level": "warning", "code": "unreachable-scene",
                               "message": "niets leidt naar scène 'zij'"}


@pytest.mark.parametrize("word, options, expected", [
    ("choises", ["choices", "text", "title"], "choices"),
    ("nxt", ["next", "text", "id"], "next"),
    ("tegenmact", ["tegenmacht", "relatie"], "tegenmacht"),
    ("confrontaite", ["polderen", "coalitie", "confrontatie"], "confrontatie"),
    ("xyz", ["tegenmacht", "relatie"], None),
])
def test_did_you_mean(word, options, expected):
    assert suggest(word, options) == expected


def test_did_you_mean_in_messages():
    r = validate_text(MINI.replace("        next: midden", "        next: midde"))
    (p,) = r.errors
    assert "(did you mean 'midden'?)" in p.message("en") and "(bedoel je 'midden'?)" in p.message("nl")
    r = validate_text(MINI.replace("        next: midden", "        next: xyzzy"))
    (p,) = r.errors
    assert "did you mean" not in p.message("en")


def test_unknown_key_in_a_choice_names_the_choice():
    r = validate_text(MINI.replace("        next: midden", "        nxt: midden"))
    (p,) = r.errors
    assert p.code == "unknown-key" and "choice 'verder'" in p.message("en")


def test_start_must_be_a_scene():
    r = validate_text("start: begn\n" + MINI)
    assert any(p.code == "unknown-scene" and "'begin'" not in p.message() for p in r.errors)
    r = validate_text("start: midden\n" + MINI)
    assert r.scenario is not None and r.scenario.start == "midden"


def test_languages_must_include_dutch():
    r = validate_text("languages: [en]\n" + MINI)
    assert "language-nl" in [p.code for p in r.errors]


def test_scene_and_ending_share_a_name():
    r = validate_text(MINI.replace("  rest:\n", "  midden:\n"))
    assert "duplicate-id" in [p.code for p in r.errors]


def test_missing_required_keys():
    r = validate_text("id: a\ntitle: b\n")
    assert sorted(p.params["key"] for p in r.errors if p.code == "missing-key") == ["endings", "scenes"]


def test_conditions_in_choices_and_events_are_checked():
    text = MINI.replace("        strategy: polderen\n", "        strategy: polderen\n        if: \"relatei > 3\"\n")
    r = validate_text(text)
    (p,) = r.errors
    assert p.code == "unknown-meter" and p.line == 10 and p.column == 14


def test_condition_column_in_an_unquoted_condition():
    text = MINI.replace('    if: "tegenmacht >= 50"', "    if: tegenmacht >= 50 and relatei < 2")
    (p,) = validate_text(text).errors
    assert (p.code, p.column) == ("unknown-meter", 30)


def test_a_bad_condition_does_not_cascade():
    text = MINI.replace('if: "tegenmacht >= 50"', 'if: "tegenmacht => 50"')
    r = validate_text(text)
    assert [p.code for p in r.problems] == ["bad-condition"]


def test_image_missing_is_a_warning(tmp_path):
    f = tmp_path / "s.yaml"
    f.write_text(MINI.replace("    text: Het begin.\n", "    text: Het begin.\n    image: nergens.png\n"),
                 encoding="utf-8")
    r = validate_file(f)
    assert [p.code for p in r.problems] == ["image-missing"] and r.ok


def test_stats_count_words():
    r = validate_text(MINI)
    assert r.stats["words_nl"] > 10 and r.stats["words_en"] == 0
