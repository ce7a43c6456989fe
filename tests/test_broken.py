"""Broken scenario files: each has ONE mistake, and the validator must point at it.

Every file in ``tests/data/broken/`` is a small scenario that is valid except
for one mistake. The table below says what the validator must report for it:
(level, code, line, column, a fragment of the English message, a fragment of
the Dutch message). The same finding must come out of ``tegenmacht validate``
as ``path:line:col: error|warning: …`` with the right exit code and never a
traceback.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from game.cli import main
from game.scenario.loader import MAX_FILE_BYTES
from game.scenario.validate import validate_file

BROKEN = Path(__file__).resolve().parent / "data" / "broken"

# file -> (level, code, line, column, English fragment, Dutch fragment)
EXPECTED: dict[str, tuple[str, str, int, int, str, str]] = {
    "unknown_key_choises.yaml": ("error", "unknown-key", 6, 5, "did you mean 'choices'", "bedoel je 'choices'"),
    "unknown_key_nxt.yaml": ("error", "unknown-key", 11, 9, "did you mean 'next'", "bedoel je 'next'"),
    "duplicate_scene.yaml": ("error", "duplicate-key", 18, 3, "first on line 4", "eerst op regel 4"),
    "duplicate_choice_id.yaml": ("error", "duplicate-id", 18, 13, "'klaar' is already used (line 15)", "regel 15"),
    "duplicate_event_id.yaml": ("error", "duplicate-id", 21, 9, "'storm' is already used (line 19)", "regel 19"),
    "wrong_type_power.yaml": ("error", "wrong-type", 21, 12, "must be a whole number, not a text",
                              "moet een heel getal zijn, niet een tekst"),
    "actor_power_150.yaml": ("error", "out-of-range", 6, 12, "between 0 and 100, not 150", "niet 150"),
    "chance_1_5.yaml": ("error", "out-of-range", 21, 13, "between 0 and 1, not 1.5", "niet 1.5"),
    "meter_start_out_of_range.yaml": ("error", "out-of-range", 5, 12, "'start' must lie between 0 and 100, not 120",
                                      "niet 120"),
    "meter_min_ge_max.yaml": ("error", "bad-range", 6, 10, "min must be smaller than max", "min kleiner"),
    "unknown_next_scene.yaml": ("error", "unknown-scene", 11, 15, "did you mean 'midden'", "bedoel je 'midden'"),
    "unknown_meter_effect.yaml": ("error", "unknown-meter", 10, 19, "did you mean 'tegenmacht'",
                                  "bedoel je 'tegenmacht'"),
    "unknown_actor.yaml": ("error", "unknown-actor", 14, 18, "did you mean 'gemeente'", "bedoel je 'gemeente'"),
    # column 31 is INSIDE the condition text: `    if: "tegenmacht >= 50 and relatei < 20"`
    "unknown_meter_condition.yaml": ("error", "unknown-meter", 21, 31, "did you mean 'relatie'",
                                     "bedoel je 'relatie'"),
    "condition_bad_actor_attr.yaml": ("error", "bad-condition", 24, 10, ".power or .stance", ".power of .stance"),
    "condition_arrow.yaml": ("error", "bad-condition", 21, 21, "write '>='", "schrijf '>='"),
    "condition_single_equals.yaml": ("error", "bad-condition", 21, 21, "write '=='", "schrijf '=='"),
    "condition_unbalanced.yaml": ("error", "bad-condition", 21, 44, "')' is missing", "')' ontbreekt"),
    "condition_never_range.yaml": ("error", "never-true", 21, 9, "can never hold", "nooit waar"),
    "condition_never_contradiction.yaml": ("error", "never-true", 21, 9, "contradict", "tegen"),
    "effect_fair_150.yaml": ("error", "bad-effect", 10, 31, "100 % at most", "hooguit tot 100"),
    "effect_plusplus.yaml": ("error", "bad-effect", 10, 31, "'++5' is not a change", "'++5' is geen verandering"),
    "effect_float.yaml": ("error", "bad-effect", 10, 31, "whole numbers", "hele getallen"),
    "unreachable_scene.yaml": ("warning", "unreachable-scene", 18, 3, "nothing leads to scene 'zijspoor'",
                               "niets leidt naar scène 'zijspoor'"),
    "dead_end.yaml": ("error", "dead-end", 21, 3, "'doodlopend' has no choices", "'doodlopend' heeft geen keuzes"),
    "unreachable_ending.yaml": ("warning", "unreachable-ending", 19, 3, "ending 'nooit' can never be reached",
                                "einde 'nooit' kan nooit bereikt worden"),
    "shadowed_ending.yaml": ("warning", "unreachable-ending", 26, 3, "'rest' comes before it", "'rest' staat ervoor"),
    "interrupt_at_start.yaml": ("error", "always-true-interrupt", 19, 3, "already holds at the start",
                                "al bij de start"),
    "missing_translation.yaml": ("warning", "missing-translation", 8, 11, "English translation is missing",
                                 "Engelse vertaling ontbreekt"),
    "bad_strategy.yaml": ("error", "bad-value", 9, 19, "did you mean 'confrontatie'", "bedoel je 'confrontatie'"),
    "bad_id.yaml": ("error", "bad-id", 7, 13, "'2verder' is not a valid name", "'2verder' is geen geldige naam"),
    "next_end_no_fallback.yaml": ("warning", "no-fallback-ending", 19, 3, "no ending without a condition",
                                  "geen einde zonder voorwaarde"),
    "not_utf8.yaml": ("error", "not-utf8", 13, 16, "not UTF-8", "geen UTF-8"),
    "empty.yaml": ("error", "file-empty", 1, 1, "this file is empty", "dit bestand is leeg"),
    "only_list.yaml": ("error", "not-a-mapping", 1, 1, "not a list", "geen lijst"),
    "bare_word.yaml": ("error", "not-a-mapping", 1, 1, "not a bare word", "geen losse tekst"),
    "several_documents.yaml": ("error", "yaml-several-documents", 26, 1, "more than one YAML document",
                               "meer dan één YAML-document"),
    "python_tag.yaml": ("error", "yaml-tag", 1, 5, "python/object/apply:os.system", "niet toegestaan"),
    "custom_tag.yaml": ("error", "yaml-tag", 2, 8, "'!vertaal' is not allowed", "'!vertaal' is niet toegestaan"),
    "billion_laughs.yaml": ("error", "yaml-aliases-too-big", 6, 26, "the aliases (*name) in this file copy more",
                            "de aliassen (*naam) in dit bestand kopiëren"),
    "deep_nesting.yaml": ("error", "yaml-too-deep", 2, 43, "nested deeper than 40", "dieper dan 40"),
    "bad_indentation.yaml": ("error", "yaml-syntax", 14, 4, "the YAML is broken here", "de YAML klopt hier niet"),
    "format_2.yaml": ("error", "format-version", 1, 9, "format version 2 is not supported", "formaatversie 2"),
}


def test_every_file_has_an_expectation():
    on_disk = {p.name for p in BROKEN.glob("*.yaml")}
    assert on_disk == set(EXPECTED), "every broken file needs a row in EXPECTED, and every row a file"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_validator_finds_the_mistake(name):
    level, code, line, column, en, nl = EXPECTED[name]
    report = validate_file(BROKEN / name)
    found = [p for p in report.problems if p.code == code and p.line == line and p.column == column]
    assert found, f"{name}: no {code} at {line}:{column}; got " + "; ".join(p.render() for p in report.problems)
    p = found[0]
    assert p.level == level
    assert en in p.message("en")
    assert nl in p.message("nl")
    if level == "error":
        assert report.scenario is None and not report.ok
    else:
        assert report.errors == [], [e.render() for e in report.errors]
        assert report.scenario is not None


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_cli_reports_the_mistake(name, capsys):
    level, code, line, column, en, nl = EXPECTED[name]
    path = str(BROKEN / name)
    rc = main(["--lang", "en", "validate", path])
    out, err = capsys.readouterr()
    assert f"{path}:{line}:{column}: {level}: " in out
    assert en in out
    assert rc == (1 if level == "error" else 0)
    assert "Traceback" not in out + err
    rc = main(["--lang", "nl", "validate", path])
    out, err = capsys.readouterr()
    assert f"{path}:{line}:{column}: {level}: " in out
    assert nl in out
    assert "Traceback" not in out + err


def test_one_mistake_gives_one_error():
    """A file with one mistake must not drown it in follow-up errors (warnings may follow)."""
    cascading = {"unknown_key_choises.yaml"}  # the scene really has no choices left: dead-end follows
    for name, (level, *_rest) in EXPECTED.items():
        if level != "error" or name in cascading:
            continue
        report = validate_file(BROKEN / name)
        assert len(report.errors) == 1, (name, [p.render() for p in report.errors])


def test_python_tag_is_never_executed(tmp_path):
    marker = Path("/tmp/tegenmacht-hacked")
    marker.unlink(missing_ok=True)
    validate_file(BROKEN / "python_tag.yaml")
    assert not marker.exists()


def test_a_file_too_big(tmp_path, capsys):
    big = tmp_path / "groot.yaml"
    line = "# " + "x" * 1022 + "\n"
    with big.open("w", encoding="utf-8") as f:
        f.write("id: groot\n")
        for _ in range(MAX_FILE_BYTES // len(line) + 2):
            f.write(line)
    report = validate_file(big)
    assert [p.code for p in report.problems] == ["file-too-big"]
    assert "too big" in report.problems[0].message("en")
    assert main(["validate", str(big)]) == 1
    out, err = capsys.readouterr()
    assert f"{big}: error: " in out and "Traceback" not in out + err


def test_a_folder(tmp_path, capsys):
    report = validate_file(tmp_path)
    assert [p.code for p in report.problems] == ["path-is-folder"]
    assert "folder" in report.problems[0].message("en")
    assert main(["--lang", "en", "validate", str(tmp_path)]) == 1
    out, err = capsys.readouterr()
    assert f"{tmp_path}: error: this is a folder" in out
    assert "Traceback" not in out + err


def test_a_path_that_does_not_exist(tmp_path, capsys):
    missing = tmp_path / "nergens.yaml"
    report = validate_file(missing)
    assert [p.code for p in report.problems] == ["file-missing"]
    assert main(["--lang", "en", "validate", str(missing)]) == 1
    out, err = capsys.readouterr()
    assert f"{missing}: error: this file does not exist" in out
    assert "Traceback" not in out + err


def test_only_whitespace_and_comments(tmp_path):
    for text in ("   \n\n", "# alleen commentaar\n"):
        f = tmp_path / "leeg.yaml"
        f.write_text(text, encoding="utf-8")
        assert [p.code for p in validate_file(f).problems] == ["file-empty"]


def test_a_bom_is_accepted(tmp_path, example_path):
    f = tmp_path / "bom.yaml"
    f.write_bytes(b"\xef\xbb\xbf" + example_path.read_bytes())
    assert validate_file(f).errors == []


def test_nul_byte(tmp_path):
    f = tmp_path / "nul.yaml"
    f.write_bytes(b"id: a\ntitle: b\x00\n")
    report = validate_file(f)
    assert [(p.code, p.line) for p in report.problems] == [("not-utf8", 2)]
